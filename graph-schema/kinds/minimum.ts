import { elementwiseMerge, mergeHint } from './elementwise-merge';

export const minimumLayer = elementwiseMerge({
  kind: 'Minimum',
  label: 'Minimum',
  summary: 'Keeps, element by element, the smallest of its inputs.',
  formula: 'min(x₁, x₂, …)',
  inputs: { min: 2, max: 64 },
  tfjsFactory: 'minimum',
  code: 'merge-shape-mismatch',
  hint: mergeHint,
});
