import { defineLayer } from '../layer-def';
import type { KerasConfigReader } from './keras-config-read';
import { readKeras } from './keras-config-read';
import { defineParams } from '../params';
import { isProblem, requireImage } from './common';

type Pair = [number, number];

export const cropping2dLayer = defineLayer({
  kind: 'Cropping2D',
  label: 'Cropping 2D',
  category: 'reshape',
  summary: 'Cuts rows and columns off the edges of the image, e.g. to match a skip connection of a smaller size.',
  formulas: { output: '(H − top − bottom) × (W − left − right) × C', params: '0' },
  params: defineParams({
    heightCropping: { type: 'int2', default: [0, 0], min: 0, max: 4096, label: 'Top, bottom', unit: 'px', help: 'Rows cut off above and below.' },
    widthCropping: { type: 'int2', default: [0, 0], min: 0, max: 4096, label: 'Left, right', unit: 'px', help: 'Columns cut off left and right.' },
  }),
  inputs: { min: 1, max: 1 },
  describe: (p) => {
    const [top, bottom] = p.heightCropping;
    const [left, right] = p.widthCropping;
    if (top === bottom && bottom === left && left === right) return `${top}`;
    return `${top},${bottom} × ${left},${right}`;
  },
  inferShape: ([input], p) => {
    const img = requireImage('Cropping 2D', input!);
    if (isProblem(img)) return { problem: img };
    const h = img.h - p.heightCropping[0] - p.heightCropping[1];
    const w = img.w - p.widthCropping[0] - p.widthCropping[1];
    if (h <= 0 || w <= 0) {
      return {
        problem: {
          code: 'spatial-underflow',
          param: h <= 0 ? 'heightCropping' : 'widthCropping',
          message: `Cropping 2D: cutting ${p.heightCropping.join(' + ')} rows and ${p.widthCropping.join(' + ')} columns off a ${img.h}×${img.w} image leaves ${h}×${w}. Crop less.`,
        },
      };
    }
    return { shape: [null, h, w, img.c] };
  },
  paramCount: () => ({ trainable: 0, nonTrainable: 0 }),
  macs: () => 0,
  // tf.layers.cropping2D takes [[top, bottom], [left, right]], as Keras writes it.
  tfjsFactory: 'cropping2D',
  worked: ({ input, output, params: p }) => ({
    output: `${input[1]} − ${p.heightCropping[0]} − ${p.heightCropping[1]} = ${output[1]}; ${input[2]} − ${p.widthCropping[0]} − ${p.widthCropping[1]} = ${output[2]}`,
    params: 'no weights: 0',
  }),
  fromKeras: (c, config) => readKeras(c, config, (r) => { r.channelsLast(); return readCropping(r); }),
  keras: (p) => ({ className: 'Cropping2D', config: { cropping: [[...p.heightCropping], [...p.widthCropping]] } }),
});

/** Keras' cropping: one int, (rows, cols) symmetric, or ((top, bottom), (left, right)). */
function readCropping(r: KerasConfigReader): { heightCropping: Pair; widthCropping: Pair } {
  const v = r.get('cropping');
  const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x);
  const isPair = (x: unknown): x is Pair => Array.isArray(x) && x.length === 2 && x.every(isInt);
  if (v === undefined || v === null) return { heightCropping: [0, 0], widthCropping: [0, 0] };
  if (isInt(v)) return { heightCropping: [v, v], widthCropping: [v, v] };
  if (isPair(v)) return { heightCropping: [v[0], v[0]], widthCropping: [v[1], v[1]] };
  if (Array.isArray(v) && v.length === 2 && isPair(v[0]) && isPair(v[1])) return { heightCropping: [...v[0]], widthCropping: [...v[1]] };
  r.fail('keras-config-invalid', `Cropping2D: cropping ${JSON.stringify(v)} is not an int, a pair or two pairs.`);
  return { heightCropping: [0, 0], widthCropping: [0, 0] };
}
