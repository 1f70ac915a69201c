import { defineLayer } from '../layer-def';
import { readKeras } from './keras-config-read';
import { defineParams } from '../params';
import { formatShape } from '../shape';

export const repeatVectorLayer = defineLayer({
  kind: 'RepeatVector',
  label: 'Repeat Vector',
  category: 'reshape',
  summary: 'Repeats a vector n times into a sequence (batch, n, features), e.g. to feed one code to every step of a decoder.',
  formulas: { output: '(n, features)', params: '0' },
  params: defineParams({
    n: { type: 'int', default: 2, min: 1, label: 'Repeats', help: 'How many copies of the vector make the sequence.' },
  }),
  inputs: { min: 1, max: 1 },
  describe: (p) => `×${p.n}`,
  inferShape: ([input], p) => {
    if (input!.length !== 2) {
      return { problem: { code: 'rank-mismatch', message: `RepeatVector needs a vector (batch, features), got ${formatShape(input!)}. Flatten it first.` } };
    }
    return { shape: [input![0]!, p.n, input![1]!] };
  },
  paramCount: () => ({ trainable: 0, nonTrainable: 0 }),
  macs: () => 0,
  tfjsFactory: 'repeatVector',
  worked: ({ params, input, fmt }) => (typeof input[1] === 'number' ? { output: `${fmt(params.n)} copies of ${fmt(input[1])} values` } : {}),
  fromKeras: (c, config) => readKeras(c, config, (r) => ({ n: r.int('n', 2) })),
  keras: (p) => ({ className: 'RepeatVector', config: { n: p.n } }),
});
