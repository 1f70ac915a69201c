/**
 * Plain-loop gradients of 2-D convolution (NHWC), written straight from the
 * definition, for kernel configurations the cpu backend does not cover
 * (its gradient kernels ignore dilation).
 */
export interface ReferenceConvConfig {
  xShape: [number, number, number, number];
  filterShape: [number, number, number, number];
  outHeight: number;
  outWidth: number;
  strides: [number, number];
  dilations: [number, number];
  padTop: number;
  padLeft: number;
  depthwise: boolean;
}

/** Calls visit(xIndex, dyIndex, filterIndex) for every product term of the forward convolution. */
function forEachTerm(config: ReferenceConvConfig, visit: (xIndex: number, dyIndex: number, filterIndex: number) => void): void {
  const [batch, inHeight, inWidth, inChannels] = config.xShape;
  const [filterHeight, filterWidth, , filterOut] = config.filterShape;
  const outChannels = config.depthwise ? inChannels * filterOut : filterOut;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < config.outHeight; oh++) {
      for (let ow = 0; ow < config.outWidth; ow++) {
        for (let kh = 0; kh < filterHeight; kh++) {
          const h = oh * config.strides[0] + kh * config.dilations[0] - config.padTop;
          if (h < 0 || h >= inHeight) continue;
          for (let kw = 0; kw < filterWidth; kw++) {
            const w = ow * config.strides[1] + kw * config.dilations[1] - config.padLeft;
            if (w < 0 || w >= inWidth) continue;
            for (let ci = 0; ci < inChannels; ci++) {
              const xIndex = ((n * inHeight + h) * inWidth + w) * inChannels + ci;
              const tapBase = ((kh * filterWidth + kw) * inChannels + ci) * filterOut;
              for (let j = 0; j < filterOut; j++) {
                const co = config.depthwise ? ci * filterOut + j : j;
                const dyIndex = ((n * config.outHeight + oh) * config.outWidth + ow) * outChannels + co;
                visit(xIndex, dyIndex, tapBase + j);
              }
            }
          }
        }
      }
    }
  }
}

export function referenceFilterGradient(config: ReferenceConvConfig, x: Float32Array, dy: Float32Array): Float64Array {
  const size = config.filterShape.reduce((product, dim) => product * dim, 1);
  const dW = new Float64Array(size);
  forEachTerm(config, (xIndex, dyIndex, filterIndex) => {
    dW[filterIndex] = (dW[filterIndex] ?? 0) + (x[xIndex] ?? 0) * (dy[dyIndex] ?? 0);
  });
  return dW;
}

export function referenceInputGradient(config: ReferenceConvConfig, filter: Float32Array, dy: Float32Array): Float64Array {
  const size = config.xShape.reduce((product, dim) => product * dim, 1);
  const dx = new Float64Array(size);
  forEachTerm(config, (xIndex, dyIndex, filterIndex) => {
    dx[xIndex] = (dx[xIndex] ?? 0) + (filter[filterIndex] ?? 0) * (dy[dyIndex] ?? 0);
  });
  return dx;
}
