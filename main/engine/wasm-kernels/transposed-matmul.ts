import * as tf from '@tensorflow/tfjs';
import { requireInput } from './conv2d-backprop-filter';
import { runComposite } from './kernel-runner';

/**
 * BatchMatMul / _FusedMatMul with transposeA or transposeB. wasm's kernel
 * handles a transposed operand in a plain loop, 10-15× slower than its
 * XNNPACK path (measured: 64×400 by 400×120 takes 5.5 ms transposed, 0.4 ms
 * with an explicit Transpose first). Dense layers' gradients always ask for
 * one transposed operand, so we transpose explicitly and hand the untransposed
 * product to the original kernel.
 */
export function untransposedMatMulKernel(original: tf.KernelConfig): tf.KernelConfig {
  const backendName = original.backendName;
  return {
    kernelName: original.kernelName,
    backendName,
    setupFunc: original.setupFunc,
    disposeFunc: original.disposeFunc,
    kernelFunc: (args) => {
      const attrs = args.attrs ?? {};
      const transposeA = attrs['transposeA'] === true;
      const transposeB = attrs['transposeB'] === true;
      if (!transposeA && !transposeB) return original.kernelFunc(args);
      return runComposite(args.backend as tf.KernelBackend, backendName, (runner) => {
        const a = requireInput(args.inputs, 'a');
        const b = requireInput(args.inputs, 'b');
        const inputs: tf.NamedTensorInfoMap = {
          ...args.inputs,
          a: transposeA ? runner.transpose(a, swapLastTwoAxes(a.shape.length)) : a,
          b: transposeB ? runner.transpose(b, swapLastTwoAxes(b.shape.length)) : b,
        };
        return runner.runFunction(original.kernelFunc, inputs, { ...attrs, transposeA: false, transposeB: false });
      });
    },
  };
}

function swapLastTwoAxes(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, axis) => axis);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}
