import type { LayerDef } from './layer-def';
import { addLayer } from './kinds/add';
import { concatenateLayer } from './kinds/concatenate';
import { conv2dLayer } from './kinds/conv2d';
import { denseLayer } from './kinds/dense';
import { flattenLayer } from './kinds/flatten';
import { inputLayer } from './kinds/input';
import { maxPooling2dLayer } from './kinds/max-pooling-2d';

/** Every layer kind the app knows. Adding a kind: one file under kinds/, one name here, one line in `layerRegistry`. */
export const layerKindNames = [
  'Input',
  'Conv2D',
  'DepthwiseConv2D',
  'SeparableConv2D',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling2D',
  'ZeroPadding2D',
  'Dense',
  'Flatten',
  'Reshape',
  'Dropout',
  'BatchNormalization',
  'Activation',
  'Add',
  'Concatenate',
  'InceptionBlock',
  'ResidualBlock',
] as const;

export type LayerKindName = (typeof layerKindNames)[number];

// The mapped type makes a missing or misspelt entry a type error.
export const layerRegistry: { readonly [K in LayerKindName]: LayerDef } = {
  Input: inputLayer,
  Conv2D: conv2dLayer,
  MaxPooling2D: maxPooling2dLayer,
  Dense: denseLayer,
  Flatten: flattenLayer,
  Add: addLayer,
  Concatenate: concatenateLayer,
} as never;

export function isLayerKind(kind: string): kind is LayerKindName {
  return Object.prototype.hasOwnProperty.call(layerRegistry, kind);
}

export function getLayerDef(kind: string): LayerDef | undefined {
  return isLayerKind(kind) ? layerRegistry[kind] : undefined;
}
