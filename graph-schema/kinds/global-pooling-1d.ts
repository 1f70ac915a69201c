import type { LayerDef } from '../layer-def';
import { defineLayer } from '../layer-def';
import { readKeras } from './keras-config-read';
import { defineParams } from '../params';
import { isProblem } from './common';
import { requireSequence } from './sequence-common';

/** Global pooling along the steps: one window over the whole sequence, one value per channel. */
function globalPooling1d(kind: 'GlobalAveragePooling1D' | 'GlobalMaxPooling1D', label: string, summary: string): LayerDef {
  return defineLayer({
    kind,
    label,
    category: 'pooling',
    summary,
    formulas: { output: '(C): one value per channel', params: '0' },
    params: defineParams({}),
    inputs: { min: 1, max: 1 },
    describe: () => '',
    inferShape: ([input]) => {
      const seq = requireSequence(label, input!);
      if (isProblem(seq)) return { problem: seq };
      return { shape: [null, seq.c] };
    },
    paramCount: () => ({ trainable: 0, nonTrainable: 0 }),
    macs: () => 0,
    tfjsFactory: kind === 'GlobalAveragePooling1D' ? 'globalAveragePooling1d' : 'globalMaxPooling1d',
    worked: ({ input, output }) => ({ output: `one value per channel over ${input[1]} steps: ${output[1]}`, params: 'no weights: 0' }),
    fromKeras: (c, config) =>
      readKeras(c, config, (r) => {
        r.channelsLast();
        if (r.bool('keepdims', false)) r.fail('keras-option-unsupported', `${c}: keepdims=True is not supported; add a Reshape after it instead.`);
        return {};
      }),
    keras: () => ({ className: kind, config: {} }),
  });
}

export const globalAveragePooling1dLayer = globalPooling1d(
  'GlobalAveragePooling1D',
  'Global Average Pool 1D',
  'Averages each channel over the whole sequence: steps × C becomes C, e.g. before the classifier of a text or signal model.',
);

export const globalMaxPooling1dLayer = globalPooling1d(
  'GlobalMaxPooling1D',
  'Global Max Pool 1D',
  'Keeps the largest value of each channel over the whole sequence: steps × C becomes C.',
);
