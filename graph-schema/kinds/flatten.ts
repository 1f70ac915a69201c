import { defineLayer } from '../layer-def';
import { readKeras } from './keras-config-read';
import { defineParams } from '../params';
import { elementCount } from '../shape';

export const flattenLayer = defineLayer({
  kind: 'Flatten',
  label: 'Flatten',
  category: 'reshape',
  summary: 'Unrolls everything but the batch axis into one long vector (row-major, channels last).',
  formulas: { output: '(H · W · C)' },
  params: defineParams({}),
  inputs: { min: 1, max: 1 },
  describe: () => '',
  inferShape: ([input]) => {
    const n = elementCount(input!);
    if (n === null) return { problem: { code: 'unknown-dimension', message: 'Flatten needs every dimension to be known.' } };
    return { shape: [null, n] };
  },
  paramCount: () => ({ trainable: 0, nonTrainable: 0 }),
  macs: () => 0,
  tfjsFactory: 'flatten',
  worked: ({ input, fmt }) => {
    const dims = input.slice(1);
    return dims.every((d) => typeof d === 'number') ? { output: `${dims.join(' · ')} = ${fmt(dims.reduce<number>((a, b) => a * (b as number), 1))}` } : {};
  },
  fromKeras: (c, config) => readKeras(c, config, (r) => { r.channelsLast(); return {}; }),
  keras: () => ({ className: 'Flatten', config: {} }),
});
