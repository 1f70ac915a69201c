import type { Graph, TrainingSettings } from '../document';

export interface TemplateDef {
  /** Stable id used by the CLI and saved in nothing else: kebab-case, e.g. "lenet5". */
  id: string;
  name: string;
  /** One or two sentences for the template picker. */
  description: string;
  build(): { graph: Graph; training: Partial<TrainingSettings> };
}

/** One layer of a straight chain; `params` are stored as given (defaults fill the rest). */
export interface ChainLayer {
  id: string;
  kind: string;
  params?: Record<string, unknown>;
  label?: string;
}

const rowSpacing = 110;

/** Composite blocks a template shows collapsed. */
const collapsedKinds = new Set(['InceptionBlock', 'ResidualBlock', 'InvertedResidualBlock', 'DenseBlock', 'TransitionBlock']);

/**
 * A graph where each layer feeds the next, laid out top to bottom. Edge ids
 * name both ends so that they stay stable and readable. Composite blocks are
 * shown collapsed.
 */
export function chainGraph(layers: readonly ChainLayer[]): Graph {
  const nodes: Graph['nodes'] = layers.map((layer, i) => ({
    id: layer.id,
    kind: layer.kind,
    ...(layer.label ? { label: layer.label } : {}),
    params: layer.params ?? {},
    position: { x: 0, y: i * rowSpacing },
    ...(collapsedKinds.has(layer.kind) ? { collapsed: true } : {}),
  }));
  const edges: Graph['edges'] = [];
  for (let i = 1; i < layers.length; i++) {
    const source = layers[i - 1]!.id;
    const target = layers[i]!.id;
    edges.push({ id: `e_${source}_${target}`, source, sourcePort: 'out', target, targetPort: 'in' });
  }
  return { nodes, edges };
}

/** A layer of a graph with branches: fed by the layer before it unless `from` names its inputs, in order. */
export interface BranchLayer extends ChainLayer {
  from?: readonly string[];
}

/** Like `chainGraph`, for graphs with skips and merges (e.g. U-Net): rows in the order given, so every edge points down. */
export function branchGraph(layers: readonly BranchLayer[]): Graph {
  const { nodes } = chainGraph(layers);
  const edges: Graph['edges'] = [];
  layers.forEach((layer, i) => {
    if (i === 0 && !layer.from) return;
    for (const source of layer.from ?? [layers[i - 1]!.id]) {
      edges.push({ id: `e_${source}_${layer.id}`, source, sourcePort: 'out', target: layer.id, targetPort: 'in' });
    }
  });
  return { nodes, edges };
}

/** Square conv params in the app's spelling. */
export function conv(filters: number, size: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { filters, kernelSize: [size, size], ...extra };
}

/** Square pooling window with its stride. */
export function pool(size: number, stride: number, padding: 'valid' | 'same' = 'valid'): Record<string, unknown> {
  return { poolSize: [size, size], strides: [stride, stride], padding };
}

/** Training defaults for the ImageNet-sized networks: they need an image folder of the user's. */
export const imageNetTraining: Partial<TrainingSettings> = {
  dataset: 'folder:images',
  loss: 'categoricalCrossentropy',
  optimizer: 'momentum',
  learningRate: 0.01,
  batchSize: 32,
  epochs: 10,
  validationSplit: 0.1,
};

/** A stage of residual blocks named as in Keras (conv2_block1 …); only its first block changes the stride. */
export function residualStage(
  stage: number,
  blocks: number,
  params: { variant: 'basic' | 'bottleneck'; filters: number; firstStride: number; useBias: boolean },
): ChainLayer[] {
  const layers: ChainLayer[] = [];
  for (let i = 1; i <= blocks; i++) {
    layers.push({
      id: `conv${stage}_block${i}`,
      kind: 'ResidualBlock',
      label: `conv${stage} block ${i}`,
      params: {
        variant: params.variant,
        filters: params.filters,
        strides: i === 1 ? params.firstStride : 1,
        batchNorm: true,
        useBias: params.useBias,
        activation: 'relu',
      },
    });
  }
  return layers;
}
