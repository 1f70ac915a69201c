import type { Graph } from '../document';
import type { TemplateDef } from './template-def';

/** Depth and width of the lesson pair: deep enough that sigmoid gradients vanish without skips, small enough to train in seconds. */
export const deepMlpHidden = 30;
export const deepMlpWidth = 32;
export const deepMlpActivation = 'sigmoid';

const lessonTraining = {
  dataset: 'mnist',
  loss: 'categoricalCrossentropy',
  optimizer: 'adam',
  learningRate: 0.001,
  batchSize: 32,
  epochs: 2,
  validationSplit: 0.1,
} as const;

/**
 * `hidden` sigmoid Dense layers on 784 inputs and a softmax over 10 digits; with
 * `residual`, an Add after every two layers sums their output with the
 * output two layers back (the skip). Node ids are the same in both, so the
 * layers they share start from the same seeded weights.
 */
export function deepMlpGraph(residual: boolean, hidden = deepMlpHidden, width = deepMlpWidth): Graph {
  const nodes: Graph['nodes'] = [];
  const edges: Graph['edges'] = [];
  let y = 0;
  const add = (id: string, kind: string, params: Record<string, unknown>, x = 0): void => {
    nodes.push({ id, kind, params, position: { x, y } });
    y += 90;
  };
  const link = (source: string, target: string): void => {
    edges.push({ id: `e_${source}_${target}`, source, sourcePort: 'out', target, targetPort: 'in' });
  };
  add('input', 'Input', { shape: [784] });
  add('dense1', 'Dense', { units: width, activation: deepMlpActivation });
  link('input', 'dense1');
  let last = 'dense1';
  let skipFrom = 'dense1';
  for (let i = 2; i <= hidden; i++) {
    const id = `dense${i}`;
    add(id, 'Dense', { units: width, activation: deepMlpActivation });
    link(last, id);
    last = id;
    if (residual && i % 2 === 1) {
      const sum = `add${i}`;
      add(sum, 'Add', {}, 220);
      link(last, sum);
      link(skipFrom, sum);
      last = sum;
      skipFrom = sum;
    }
  }
  add('output', 'Dense', { units: 10, activation: 'softmax' });
  link(last, 'output');
  return { nodes, edges };
}

export const deepMlpPlainTemplate: TemplateDef = {
  id: 'deep-mlp-plain',
  name: `Deep plain MLP (${deepMlpHidden} sigmoid layers)`,
  description: `The teaching lab's plain net: ${deepMlpHidden} Dense layers of ${deepMlpWidth} sigmoid units on MNIST, no skips. Its early layers do not learn: the gradient vanishes on the way down (sigmoid's slope is at most 1/4 per layer).`,
  build: () => ({ graph: deepMlpGraph(false), training: { ...lessonTraining } }),
};

export const deepMlpResidualTemplate: TemplateDef = {
  id: 'deep-mlp-residual',
  name: `Deep residual MLP (${deepMlpHidden} sigmoid layers)`,
  description: `The same ${deepMlpHidden} × ${deepMlpWidth} sigmoid MLP with an Add skip every two layers: the gradient reaches the first layer and the net trains.`,
  build: () => ({ graph: deepMlpGraph(true), training: { ...lessonTraining } }),
};
