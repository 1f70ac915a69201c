import { featureAxis } from '../kinds/common';
import { preluAlphaShape } from '../kinds/prelu';
import type { ExportLayer } from './export-model';
import { pyLiteral } from './literals';
import type { TorchLayerContext, TorchLayerPlan } from './torch-layers';
import type { TorchWeightEntry } from './torch-weights-plan';

/** PyTorch translations of PReLU, LayerNormalization, Embedding, GaussianNoise and SpatialDropout2D. */

type Attribute = (base: string) => string;

/** Keras' PReLU: x above 0, α · x below, with α of the input's (channels-last) shape, 1 on shared axes. */
export function preluPlan(layer: ExportLayer, attribute: Attribute, { p }: TorchLayerContext): TorchLayerPlan {
  const alpha = attribute(`${layer.variable}_alpha`);
  const shape = preluAlphaShape(layer.inputShapes[0]!, p.sharedAxes as number[]) as number[];
  return {
    init: [`# Keras' alpha: one slope per value of the (channels-last) input, 1 on each shared axis.`, `self.${alpha} = nn.Parameter(torch.zeros(${shape.join(', ')}))`],
    inputLayout: 'native',
    forward: ([x]) => ({ comments: [], expression: `F.relu(${x!.variable}) - self.${alpha} * F.relu(-${x!.variable})`, layout: 'native' }),
    weights: [{ layer: layer.name, weight: 'alpha', key: alpha, layout: 'as-is' }],
  };
}

/** Keras' LayerNormalization over one axis: F.layer_norm over the last axis, with the axis moved there and back. */
export function layerNormPlan(layer: ExportLayer, attribute: Attribute, { p }: TorchLayerContext): TorchLayerPlan {
  const rank = layer.outputShape.length;
  const axis = featureAxis(p.axis as number, rank)!;
  const size = layer.outputShape[axis] as number;
  const gamma = p.scale ? attribute(`${layer.variable}_gamma`) : null;
  const beta = p.center ? attribute(`${layer.variable}_beta`) : null;
  const weights: TorchWeightEntry[] = [];
  if (gamma) weights.push({ layer: layer.name, weight: 'gamma', key: gamma, layout: 'as-is' });
  if (beta) weights.push({ layer: layer.name, weight: 'beta', key: beta, layout: 'as-is' });
  const moved = axis !== rank - 1;
  return {
    init: [...(gamma ? [`self.${gamma} = nn.Parameter(torch.ones(${size}))`] : []), ...(beta ? [`self.${beta} = nn.Parameter(torch.zeros(${size}))`] : [])],
    inputLayout: 'native',
    forward: ([x]) => {
      const input = moved ? `${x!.variable}.movedim(${axis}, -1)` : x!.variable;
      const normed = `F.layer_norm(${input}, (${size},), weight=${gamma ? `self.${gamma}` : 'None'}, bias=${beta ? `self.${beta}` : 'None'}, eps=${pyLiteral(p.epsilon)})`;
      return {
        comments: moved ? [`Keras normalizes axis ${axis}; F.layer_norm normalizes the last axis.`] : [],
        expression: moved ? `${normed}.movedim(-1, ${axis})` : normed,
        layout: 'native',
      };
    },
    weights,
  };
}

/** Keras' Embedding: ids arrive as float values (every input is float32) and are cast, as Keras casts them. */
export function embeddingPlan(layer: ExportLayer, attribute: Attribute, { p }: TorchLayerContext): TorchLayerPlan {
  const name = attribute(layer.variable);
  return {
    init: [`self.${name} = nn.Embedding(${p.inputDim}, ${p.outputDim})`],
    inputLayout: 'native',
    forward: ([x]) => ({ comments: ['Ids come as float values; Keras casts them to integers.'], expression: `self.${name}(${x!.variable}.long())`, layout: 'native' }),
    weights: [{ layer: layer.name, weight: 'embeddings', key: `${name}.weight`, layout: 'as-is' }],
  };
}

/** Keras' GaussianNoise: x + N(0, stddev²) while training, x at inference. */
export function gaussianNoisePlan(_layer: ExportLayer, _attribute: Attribute, { p }: TorchLayerContext): TorchLayerPlan {
  return {
    init: [],
    inputLayout: 'any',
    forward: ([x]) => ({
      comments: [],
      expression: `(${x!.variable} + ${pyLiteral(p.stddev)} * torch.randn_like(${x!.variable}) if self.training else ${x!.variable})`,
      layout: x!.layout,
    }),
    weights: [],
  };
}

/** Keras' SpatialDropout2D drops whole channels, as nn.Dropout2d does on channels-first tensors. */
export function spatialDropout2dPlan(layer: ExportLayer, attribute: Attribute, { p }: TorchLayerContext): TorchLayerPlan {
  const name = attribute(layer.variable);
  return {
    init: [`self.${name} = nn.Dropout2d(p=${pyLiteral(p.rate)})`],
    inputLayout: 'nchw',
    forward: ([x]) => ({ comments: [], expression: `self.${name}(${x!.variable})`, layout: 'nchw' }),
    weights: [],
  };
}
