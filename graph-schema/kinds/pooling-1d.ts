import type { LayerDef } from '../layer-def';
import { defineLayer } from '../layer-def';
import { readKeras } from './keras-config-read';
import { defineParams } from '../params';
import { isProblem, paddingParam } from './common';
import { readPooling1d, requireSequence, windowOutput1d, windowText1d } from './sequence-common';

export const pooling1dParams = defineParams({
  poolSize: { type: 'int', default: 2, min: 1, max: 1024, label: 'Pool size', unit: 'steps' },
  strides: { type: 'int', default: 2, min: 1, max: 1024, label: 'Strides', unit: 'steps', help: 'Usually equal to the pool size.' },
  padding: paddingParam,
});

/** Max and average pooling along the steps differ only in name, wording and factory. */
function pooling1d(kind: 'MaxPooling1D' | 'AveragePooling1D', label: string, summary: string): LayerDef {
  return defineLayer({
    kind,
    label,
    category: 'pooling',
    summary,
    formulas: { output: 'valid: floor((n − k) / s) + 1; same: ceil(n / s)', params: '0' },
    params: pooling1dParams,
    inputs: { min: 1, max: 1 },
    describe: (p) => `${p.poolSize}${p.strides !== p.poolSize ? `, s${p.strides}` : ''}${p.padding === 'same' ? ', same' : ''}`,
    inferShape: ([input], p) => {
      const seq = requireSequence(label, input!);
      if (isProblem(seq)) return { problem: seq };
      const steps = windowOutput1d(label, seq.steps, p.poolSize, p.strides, p.padding, 1, 'poolSize');
      if (typeof steps !== 'number') return { problem: steps };
      return { shape: [null, steps, seq.c] };
    },
    paramCount: () => ({ trainable: 0, nonTrainable: 0 }),
    macs: () => 0,
    tfjsFactory: kind === 'MaxPooling1D' ? 'maxPooling1d' : 'averagePooling1d',
    worked: ({ input, params: p }) => ({ output: windowText1d(input[1], p.poolSize, p.strides, p.padding), params: 'no weights: 0' }),
    fromKeras: (c, config) => readKeras(c, config, readPooling1d),
    // Keras and TensorFlow.js keep the 1-D sizes as one-element tuples.
    keras: (p) => ({ className: kind, config: { poolSize: [p.poolSize], strides: [p.strides], padding: p.padding } }),
  });
}

export const maxPooling1dLayer = pooling1d(
  'MaxPooling1D',
  'Max Pool 1D',
  'Keeps the largest value in each window of steps: shortens the sequence, keeps the strongest responses.',
);

export const averagePooling1dLayer = pooling1d(
  'AveragePooling1D',
  'Average Pool 1D',
  'Averages each window of steps: shortens the sequence smoothly ("same" averages only the real steps at the edges).',
);
