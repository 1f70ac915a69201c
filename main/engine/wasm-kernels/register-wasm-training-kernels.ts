import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterKernel } from './conv2d-backprop-filter';
import { conv2dBackpropInputKernel } from './conv2d-backprop-input';
import { depthwiseBackpropFilterKernel } from './depthwise-backprop-filter';
import { depthwiseBackpropInputKernel } from './depthwise-backprop-input';
import { maxPoolGradKernel } from './max-pool-grad';
import { untransposedMatMulKernel } from './transposed-matmul';

/** The gradient kernels tfjs' wasm backend lacks, which conv nets need to train. */
export const WASM_MISSING_KERNEL_NAMES = [
  'Conv2DBackpropFilter',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
] as const;

/** wasm kernels that exist but run as plain loops; we route them through XNNPACK-backed kernels. */
export const WASM_REPLACED_KERNEL_NAMES = ['Conv2DBackpropInput', 'BatchMatMul', '_FusedMatMul', 'MaxPoolGrad'] as const;

export interface WasmKernelRegistration {
  /** Kernels that were missing and are now ours. */
  added: string[];
  /** Slow kernels now ours (their originals are kept for the cases we hand back to them). */
  replaced: string[];
}

/** Originals of the kernels we replaced, per backend, so a second call changes nothing. */
const replacedOriginals = new Map<string, Map<string, tf.KernelConfig>>();

/**
 * Makes the wasm backend able to train conv nets, and fast at it: registers
 * the missing gradient kernels (only those still missing, so a later tfjs
 * release with its own keeps them) and replaces wasm's slow plain-loop
 * kernels by compositions of its fast ones. Call before or after the backend
 * is initialised; safe to call more than once.
 */
export function registerWasmTrainingKernels(backendName = 'wasm'): WasmKernelRegistration {
  const added: string[] = [];
  const missing = [
    conv2dBackpropFilterKernel(backendName),
    depthwiseBackpropFilterKernel(backendName),
    depthwiseBackpropInputKernel(backendName),
  ];
  for (const config of missing) {
    if (tf.getKernel(config.kernelName, backendName) !== undefined) continue;
    tf.registerKernel(config);
    added.push(config.kernelName);
  }

  const replaced: string[] = [];
  const originals = replacedOriginals.get(backendName) ?? new Map<string, tf.KernelConfig>();
  replacedOriginals.set(backendName, originals);
  for (const kernelName of WASM_REPLACED_KERNEL_NAMES) {
    if (originals.has(kernelName)) continue;
    const original = tf.getKernel(kernelName, backendName);
    if (original === undefined) continue;
    const replacement = replacementFor(kernelName, original);
    originals.set(kernelName, original);
    tf.unregisterKernel(kernelName, backendName);
    // The original's setup binds its wasm entry point; our replacement may still call it.
    tf.registerKernel({ ...replacement, setupFunc: original.setupFunc, disposeFunc: original.disposeFunc });
    replaced.push(kernelName);
  }
  return { added, replaced };
}

/** The kernel tfjs shipped for `kernelName`, if we replaced it (tests compare against it). */
export function originalWasmKernel(kernelName: string, backendName = 'wasm'): tf.KernelConfig | undefined {
  return replacedOriginals.get(backendName)?.get(kernelName);
}

function replacementFor(kernelName: (typeof WASM_REPLACED_KERNEL_NAMES)[number], original: tf.KernelConfig): tf.KernelConfig {
  switch (kernelName) {
    case 'Conv2DBackpropInput':
      return conv2dBackpropInputKernel(original.backendName, original);
    case 'BatchMatMul':
    case '_FusedMatMul':
      return untransposedMatMulKernel(original);
    case 'MaxPoolGrad':
      return maxPoolGradKernel(original);
  }
}
