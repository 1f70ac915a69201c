import { elementwiseMerge, mergeHint } from './elementwise-merge';

export const maximumLayer = elementwiseMerge({
  kind: 'Maximum',
  label: 'Maximum',
  summary: 'Keeps, element by element, the largest of its inputs.',
  formula: 'max(x₁, x₂, …)',
  inputs: { min: 2, max: 64 },
  tfjsFactory: 'maximum',
  code: 'merge-shape-mismatch',
  hint: mergeHint,
});
