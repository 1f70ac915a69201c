import { elementwiseMerge, mergeHint } from './elementwise-merge';

export const multiplyLayer = elementwiseMerge({
  kind: 'Multiply',
  label: 'Multiply',
  summary: 'Multiplies its inputs element by element, e.g. a gate or attention mask applied to features.',
  formula: 'x₁ · x₂ · …',
  inputs: { min: 2, max: 64 },
  tfjsFactory: 'multiply',
  code: 'merge-shape-mismatch',
  hint: mergeHint,
});
