import { defineLayer } from '../layer-def';
import { readKeras } from './keras-config-read';
import { defineParams } from '../params';

export const inputLayer = defineLayer({
  kind: 'Input',
  label: 'Input',
  category: 'input',
  summary: 'Where data enters the network: an image (height × width × channels) or a flat vector.',
  params: defineParams({
    shape: {
      type: 'ints',
      default: [28, 28, 1],
      min: 1,
      // Keeps every size and count a safe integer.
      max: 1_000_000,
      minLength: 1,
      maxLength: 4,
      label: 'Shape',
      help: 'Size of one example without the batch axis: [784] for a vector, [28, 28, 1] for a grey image.',
    },
  }),
  inputs: { min: 0, max: 0 },
  describe: (p) => p.shape.join('×'),
  inferShape: (_inputs, p) => ({ shape: [null, ...p.shape] }),
  paramCount: () => ({ trainable: 0, nonTrainable: 0 }),
  macs: () => 0,
  tfjsFactory: 'inputLayer',
  fromKeras: (c, config) => readKeras(c, config, (r) => { const full = r.has('batchInputShape') ? r.get('batchInputShape') : r.has('batchShape') ? r.get('batchShape') : null; const shape = Array.isArray(full) ? full.slice(1) : r.ints('inputShape', r.ints('shape', [])); if (shape.length === 0 || !shape.every((d) => typeof d === 'number' && d > 0)) r.fail('keras-input-shape-unknown', `${c}: the input shape ${JSON.stringify(full ?? shape)} needs every size known; set it on the Input node after importing.`); return { shape }; }),
  keras: (p) => ({ className: 'InputLayer', config: { batchInputShape: [null, ...p.shape] } }),
});
