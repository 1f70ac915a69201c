import { defineLayer } from '../layer-def';
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
  keras: (p) => ({ className: 'ZeroPadding2D', config: { padding: [[...p.heightPadding], [...p.widthPadding]] } }),
});
