import { defineLayer } from '../layer-def';
import { readKeras } from './keras-config-read';
import { defineParams } from '../params';

export const rescalingLayer = defineLayer({
  kind: 'Rescaling',
  label: 'Rescaling',
  category: 'core',
  summary: 'Multiplies every value by a scale and adds an offset, e.g. pixels 0–255 to 0–1 (scale 1/255).',
  formulas: { output: 'same shape as the input; x · scale + offset', params: '0' },
  params: defineParams({
    scale: { type: 'float', default: 1 / 255, label: 'Scale', help: 'Every value is multiplied by it; 1/255 maps pixels to 0–1.' },
    offset: { type: 'float', default: 0, label: 'Offset', help: 'Added after scaling; scale 1/127.5 with offset −1 maps pixels to −1…1.' },
  }),
  inputs: { min: 1, max: 1 },
  describe: (p) => `×${Number(p.scale.toPrecision(4))}${p.offset !== 0 ? ` ${p.offset > 0 ? '+' : '−'} ${Math.abs(p.offset)}` : ''}`,
  inferShape: ([input]) => ({ shape: input! }),
  paramCount: () => ({ trainable: 0, nonTrainable: 0 }),
  macs: () => 0,
  tfjsFactory: 'rescaling',
  fromKeras: (c, config) => readKeras(c, config, (r) => ({ scale: r.num('scale', 1 / 255), offset: r.num('offset', 0) })),
  keras: (p) => ({ className: 'Rescaling', config: { scale: p.scale, offset: p.offset } }),
});
