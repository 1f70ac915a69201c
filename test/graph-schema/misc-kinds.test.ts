import { describe, expect, it } from 'vitest';
import { analyzeLayer } from '../../graph-schema/infer';
import { layerRegistry } from '../../graph-schema/registry';
import type { Shape } from '../../graph-schema/shape';

// What the generic kind tests do not cover for PReLU, LayerNormalization, Embedding, GaussianNoise and
// SpatialDropout2D: the inspector's worked formulas and reading Keras configs back (Keras' own spellings).

function worked(kind: 'PReLU' | 'LayerNormalization' | 'Embedding', params: Record<string, unknown>, input: Shape) {
  const def = layerRegistry[kind];
  const outcome = analyzeLayer(def, params, [input]);
  const ctx = { params: outcome.params, inputs: [input], input, output: outcome.shape!, count: outcome.count, fmt: (n: number) => n.toLocaleString('en-US') };
  return def.worked!(ctx);
}

describe('worked formulas', () => {
  it('PReLU: the shape of α and its count', () => {
    expect(worked('PReLU', { sharedAxes: [1, 2] }, [null, 28, 28, 32]).params).toBe('α of shape (1 × 1 × 32) = 32');
    expect(worked('PReLU', {}, [null, 28, 28, 32]).params).toBe('α of shape (28 × 28 × 32) = 25,088');
  });

  it('LayerNormalization: the normalized axis and γ, β', () => {
    expect(worked('LayerNormalization', {}, [null, 6, 8]).params).toBe('C = 8: γ and β = 16');
    expect(worked('LayerNormalization', { axis: 1, center: false }, [null, 6, 8]).params).toBe('C = 6: γ = 6');
  });

  it('Embedding: the output and input_dim · output_dim', () => {
    expect(worked('Embedding', { inputDim: 1000, outputDim: 64 }, [null, 10])).toEqual({ output: '(10, 64)', params: '1,000 · 64 = 64,000' });
  });
});

describe('reading Keras configs back', () => {
  it('PReLU: shared_axes as a list, a single integer or None', () => {
    expect(layerRegistry.PReLU.fromKeras!('PReLU', { shared_axes: [1, 2], alpha_initializer: 'zeros' })).toEqual({ params: { sharedAxes: [1, 2] } });
    expect(layerRegistry.PReLU.fromKeras!('PReLU', { shared_axes: 3 })).toEqual({ params: { sharedAxes: [3] } });
    expect(layerRegistry.PReLU.fromKeras!('PReLU', { shared_axes: null })).toEqual({ params: { sharedAxes: [] } });
  });

  it('LayerNormalization: a one-axis list is read, several axes and rms_scaling are refused with a code', () => {
    expect(layerRegistry.LayerNormalization.fromKeras!('LayerNormalization', { axis: [-1], epsilon: 1e-5, center: true, scale: false })).toEqual({
      params: { axis: -1, epsilon: 1e-5, center: true, scale: false },
    });
    expect(layerRegistry.LayerNormalization.fromKeras!('LayerNormalization', { axis: [1, 2] })).toEqual({ problem: expect.objectContaining({ code: 'keras-option-unsupported' }) });
    expect(layerRegistry.LayerNormalization.fromKeras!('LayerNormalization', { rms_scaling: true })).toEqual({ problem: expect.objectContaining({ code: 'keras-option-unsupported' }) });
  });

  it('Embedding: input_dim and output_dim; mask_zero is refused (nothing here reads a mask)', () => {
    expect(layerRegistry.Embedding.fromKeras!('Embedding', { input_dim: 5000, output_dim: 32, embeddings_initializer: 'uniform' })).toEqual({ params: { inputDim: 5000, outputDim: 32 } });
    expect(layerRegistry.Embedding.fromKeras!('Embedding', { input_dim: 10, output_dim: 2, mask_zero: true })).toEqual({ problem: expect.objectContaining({ code: 'keras-option-unsupported', message: expect.stringMatching(/mask_zero/) }) });
  });

  it('GaussianNoise and SpatialDropout2D: their one number; channels-first data is refused', () => {
    expect(layerRegistry.GaussianNoise.fromKeras!('GaussianNoise', { stddev: 0.3, seed: 1 })).toEqual({ params: { stddev: 0.3 } });
    expect(layerRegistry.SpatialDropout2D.fromKeras!('SpatialDropout2D', { rate: 0.2, data_format: 'channels_last' })).toEqual({ params: { rate: 0.2 } });
    expect(layerRegistry.SpatialDropout2D.fromKeras!('SpatialDropout2D', { rate: 0.2, data_format: 'channels_first' })).toEqual({ problem: expect.objectContaining({ code: 'keras-channels-first' }) });
  });
});
