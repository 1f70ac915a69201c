import { defineLayer } from '../layer-def';
import { readKeras } from './keras-config-read';
import { defineParams } from '../params';

export const eluLayer = defineLayer({
  kind: 'ELU',
  label: 'ELU',
  category: 'activation',
  summary: 'Exponential linear unit: x for positives, alpha · (eˣ − 1) for negatives, a smooth relu that can go below 0.',
  formulas: { output: 'same shape as the input; f(x) = x for x > 0, alpha · (eˣ − 1) otherwise', params: '0' },
  params: defineParams({
    alpha: { type: 'float', default: 1, min: 0, label: 'Alpha', help: 'Scale of the negative part; the output tends to −alpha.' },
  }),
  inputs: { min: 1, max: 1 },
  describe: (p) => (p.alpha === 1 ? '' : `alpha ${p.alpha}`),
  inferShape: ([input]) => ({ shape: input! }),
  paramCount: () => ({ trainable: 0, nonTrainable: 0 }),
  macs: () => 0,
  tfjsFactory: 'elu',
  fromKeras: (c, config) => readKeras(c, config, (r) => ({ alpha: r.num('alpha', 1) })),
  keras: (p) => ({ className: 'ELU', config: { alpha: p.alpha } }),
});
