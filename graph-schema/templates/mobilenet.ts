import type { ChainLayer, TemplateDef } from './template-def';
import { chainGraph, conv, imageNetTraining } from './template-def';

const relu6 = { activation: 'relu6' } as const;

/** Keras MobileNet's depthwise separable block: (pad,) depthwise 3×3, BN, ReLU6, pointwise 1×1, BN, ReLU6. */
function depthwiseSeparable(id: number, filters: number, stride: 1 | 2): ChainLayer[] {
  return [
    // A stride-2 block pads one row and column at the bottom/right, then convolves "valid".
    ...(stride === 2 ? [{ id: `conv_pad_${id}`, kind: 'ZeroPadding2D', params: { heightPadding: [0, 1], widthPadding: [0, 1] } }] : []),
    {
      id: `conv_dw_${id}`,
      kind: 'DepthwiseConv2D',
      params: { kernelSize: [3, 3], strides: [stride, stride], padding: stride === 2 ? 'valid' : 'same', useBias: false },
    },
    { id: `conv_dw_${id}_bn`, kind: 'BatchNormalization' },
    { id: `conv_dw_${id}_relu`, kind: 'Activation', params: relu6 },
    { id: `conv_pw_${id}`, kind: 'Conv2D', params: conv(filters, 1, { padding: 'same', useBias: false }) },
    { id: `conv_pw_${id}_bn`, kind: 'BatchNormalization' },
    { id: `conv_pw_${id}_relu`, kind: 'Activation', params: relu6 },
  ];
}

/** Pointwise filters and stride of blocks 1–13 of Keras MobileNet (alpha 1). */
const blocks: readonly [number, 1 | 2][] = [
  [64, 1],
  [128, 2],
  [128, 1],
  [256, 2],
  [256, 1],
  [512, 2],
  [512, 1],
  [512, 1],
  [512, 1],
  [512, 1],
  [512, 1],
  [1024, 2],
  [1024, 1],
];

export const mobilenetTemplate: TemplateDef = {
  id: 'mobilenet',
  name: 'MobileNet v1 (Keras, with classifier)',
  description:
    'MobileNet (alpha 1) as in Keras Applications with include_top on 224×224×3: a strided 3×3 stem, 13 depthwise separable blocks with batch norm and ReLU6, global average pooling and a 1×1 convolution as the 1000-way classifier; 4,253,864 parameters, 4,231,976 trainable.',
  build: () => ({
    graph: chainGraph([
      { id: 'input', kind: 'Input', params: { shape: [224, 224, 3] } },
      { id: 'conv1', kind: 'Conv2D', params: conv(32, 3, { strides: [2, 2], padding: 'same', useBias: false }) },
      { id: 'conv1_bn', kind: 'BatchNormalization' },
      { id: 'conv1_relu', kind: 'Activation', params: relu6 },
      ...blocks.flatMap(([filters, stride], i) => depthwiseSeparable(i + 1, filters, stride)),
      // Keras pools keeping a 1×1 map (keepdims) so the classifier can be a 1×1 convolution.
      { id: 'global_average_pooling', kind: 'GlobalAveragePooling2D' },
      { id: 'reshape_1', kind: 'Reshape', params: { targetShape: [1, 1, 1024] } },
      { id: 'dropout', kind: 'Dropout', params: { rate: 1e-3 } },
      { id: 'conv_preds', kind: 'Conv2D', params: conv(1000, 1, { padding: 'same' }) },
      { id: 'reshape_2', kind: 'Reshape', params: { targetShape: [1000] } },
      { id: 'predictions', kind: 'Activation', params: { activation: 'softmax' } },
    ]),
    training: { ...imageNetTraining },
  }),
};
