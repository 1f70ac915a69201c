import { elementwiseMerge, mergeHint } from './elementwise-merge';

export const subtractLayer = elementwiseMerge({
  kind: 'Subtract',
  label: 'Subtract',
  summary: 'Subtracts its second input from its first, element by element (Keras takes exactly two inputs).',
  formula: 'first − second',
  inputs: { min: 2, max: 2 },
  code: 'merge-shape-mismatch',
  hint: mergeHint,
});
