import { elementwiseMerge, mergeHint } from './elementwise-merge';

export const averageLayer = elementwiseMerge({
  kind: 'Average',
  label: 'Average',
  summary: 'Averages its inputs element by element, e.g. an ensemble of branches.',
  formula: '(x₁ + x₂ + …) / n',
  inputs: { min: 2, max: 64 },
  tfjsFactory: 'average',
  code: 'merge-shape-mismatch',
  hint: mergeHint,
});
