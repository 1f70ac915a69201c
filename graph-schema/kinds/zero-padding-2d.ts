import { defineLayer } from '../layer-def';
import { readKeras } from './keras-config-read';
import type { KerasConfigReader } from './keras-config-read';
import { defineParams } from '../params';
import { isProblem, requireImage } from './common';

export const zeroPadding2dLayer = defineLayer({
  kind: 'ZeroPadding2D',
  label: 'Zero Padding 2D',
  category: 'reshape',
  summary: 'Adds rows and columns of zeros around the image, e.g. so a following "valid" convolution keeps the border.',
  formulas: { output: '(H + top + bottom) × (W + left + right) × C', params: '0' },
  params: defineParams({
    heightPadding: { type: 'int2', default: [1, 1], min: 0, max: 4096, label: 'Top, bottom', unit: 'px', help: 'Rows of zeros added above and below.' },
    widthPadding: { type: 'int2', default: [1, 1], min: 0, max: 4096, label: 'Left, right', unit: 'px', help: 'Columns of zeros added left and right.' },
  }),
  inputs: { min: 1, max: 1 },
  describe: (p) => {
    const [top, bottom] = p.heightPadding;
    const [left, right] = p.widthPadding;
    if (top === bottom && bottom === left && left === right) return `${top}`;
    return `${top},${bottom} × ${left},${right}`;
  },
  inferShape: ([input], p) => {
    const img = requireImage('Zero Padding 2D', input!);
    if (isProblem(img)) return { problem: img };
    return { shape: [null, img.h + p.heightPadding[0] + p.heightPadding[1], img.w + p.widthPadding[0] + p.widthPadding[1], img.c] };
  },
  paramCount: () => ({ trainable: 0, nonTrainable: 0 }),
  macs: () => 0,
  // tf.layers.zeroPadding2d takes [[top, bottom], [left, right]].
  tfjsFactory: 'zeroPadding2d',
  worked: ({ input, output, params: p }) => ({
    output: `${input[1]} + ${p.heightPadding[0]} + ${p.heightPadding[1]} = ${output[1]}; ${input[2]} + ${p.widthPadding[0]} + ${p.widthPadding[1]} = ${output[2]}`,
  }),
  fromKeras: (c, config) => readKeras(c, config, (r) => { r.channelsLast(); return readZeroPadding(r); }),
  keras: (p) => ({ className: 'ZeroPadding2D', config: { padding: [[...p.heightPadding], [...p.widthPadding]] } }),
});

/** Keras' padding: one int, (rows, cols) symmetric, or ((top, bottom), (left, right)). */
function readZeroPadding(r: KerasConfigReader): { heightPadding: [number, number]; widthPadding: [number, number] } {
  const p = r.get('padding');
  const int = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x);
  if (p === undefined || p === null) return { heightPadding: [1, 1], widthPadding: [1, 1] };
  if (int(p)) return { heightPadding: [p, p], widthPadding: [p, p] };
  if (Array.isArray(p) && p.length === 2) {
    const [a, b] = p as unknown[];
    if (int(a) && int(b)) return { heightPadding: [a, a], widthPadding: [b, b] };
    if (Array.isArray(a) && Array.isArray(b) && a.length === 2 && b.length === 2 && [...a, ...b].every(int)) {
      return { heightPadding: [a[0] as number, a[1] as number], widthPadding: [b[0] as number, b[1] as number] };
    }
  }
  r.fail('keras-config-invalid', `ZeroPadding2D: padding ${JSON.stringify(p)} is not an int, a pair or two pairs.`);
  return { heightPadding: [1, 1], widthPadding: [1, 1] };
}
