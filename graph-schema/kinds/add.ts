import { defineLayer } from '../layer-def';
import { readKeras } from './keras-config-read';
import { defineParams } from '../params';
import { formatShape, shapesEqual } from '../shape';

export const addLayer = defineLayer({
  kind: 'Add',
  label: 'Add',
  category: 'merge',
  summary: 'Adds its inputs element by element; the heart of a residual (skip) connection.',
  formulas: { output: 'same shape as every input' },
  params: defineParams({}),
  inputs: { min: 2, max: 64 },
  describe: () => '',
  inferShape: (inputs) => {
    const first = inputs[0]!;
    for (let i = 1; i < inputs.length; i++) {
      if (!shapesEqual(first, inputs[i]!)) {
        return {
          problem: {
            code: 'add-shape-mismatch',
            message: `Add needs identical shapes, got ${inputs.map(formatShape).join(' and ')}. Make the branches match (e.g. a 1×1 Conv 2D projection on the shortcut).`,
          },
        };
      }
    }
    return { shape: first };
  },
  paramCount: () => ({ trainable: 0, nonTrainable: 0 }),
  macs: () => 0,
  tfjsFactory: 'add',
  fromKeras: (c, config) => readKeras(c, config, () => ({})),
  keras: () => ({ className: 'Add', config: {} }),
});
