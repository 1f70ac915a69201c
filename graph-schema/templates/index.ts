import { alexnetTemplate } from './alexnet';
import { deepMlpPlainTemplate, deepMlpResidualTemplate } from './deep-mlp';
import { plain20Template, resnet20Template } from './resnet20';
import { googlenetTemplate } from './googlenet';
import { lenet5Template } from './lenet5';
import { mlpMnistTemplate } from './mlp-mnist';
import { mlpXorTemplate } from './mlp-xor';
import { perceptronTemplate } from './perceptron';
import { resnet18Template } from './resnet18';
import { resnet50Template } from './resnet50';
import { unetSmallTemplate } from './unet-small';
import { autoencoderMnistTemplate } from './autoencoder-mnist';
import { mobilenetTemplate } from './mobilenet';
import { mobilenetV2Template } from './mobilenet-v2';
import { densenet121Template } from './densenet121';
import type { TemplateDef } from './template-def';
import { vgg16Template } from './vgg16';

export type { TemplateDef } from './template-def';

/** Every built-in template, from the simplest to the largest. */
export const templates: readonly TemplateDef[] = [
  perceptronTemplate,
  mlpXorTemplate,
  mlpMnistTemplate,
  lenet5Template,
  alexnetTemplate,
  vgg16Template,
  googlenetTemplate,
  deepMlpPlainTemplate,
  deepMlpResidualTemplate,
  resnet20Template,
  plain20Template,
  resnet18Template,
  resnet50Template,
  mobilenetTemplate,
  mobilenetV2Template,
  densenet121Template,
  unetSmallTemplate,
  autoencoderMnistTemplate,
];

export const templateIds: readonly string[] = templates.map((t) => t.id);

export function getTemplate(id: string): TemplateDef | undefined {
  return templates.find((t) => t.id === id);
}
