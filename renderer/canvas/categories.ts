import type { Category } from '../../graph-schema/layer-def';

/** One calm colour per category; the node's accent strip and the minimap use it. */
export const categoryColors: Record<Category | 'unknown', string> = {
  input: '#34d399',
  convolution: '#60a5fa',
  pooling: '#22d3ee',
  core: '#a78bfa',
  reshape: '#94a3b8',
  normalization: '#fbbf24',
  regularization: '#f472b6',
  activation: '#fb923c',
  merge: '#e879f9',
  block: '#2dd4bf',
  unknown: '#ef4444',
};

export function colorOf(category: string): string {
  return categoryColors[category as Category] ?? categoryColors.unknown;
}
