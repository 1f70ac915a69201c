import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterKernel } from './conv2d-backprop-filter';
import { depthwiseBackpropFilterKernel } from './depthwise-backprop-filter';
import { depthwiseBackpropInputKernel } from './depthwise-backprop-input';

/** The gradient kernels tfjs' wasm backend lacks, which conv nets need to train. */
export const WASM_TRAINING_KERNEL_NAMES = [
  'Conv2DBackpropFilter',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
] as const;

/**
 * Registers our gradient kernels for `backendName` (default 'wasm'), but only
 * those the backend does not already have, so a later tfjs release with its
 * own kernels keeps them. Safe to call more than once; returns the names it
 * registered now.
 */
export function registerWasmTrainingKernels(backendName = 'wasm'): string[] {
  const configs = [
    conv2dBackpropFilterKernel(backendName),
    depthwiseBackpropFilterKernel(backendName),
    depthwiseBackpropInputKernel(backendName),
  ];
  const registered: string[] = [];
  for (const config of configs) {
    if (tf.getKernel(config.kernelName, backendName) !== undefined) continue;
    tf.registerKernel(config);
    registered.push(config.kernelName);
  }
  return registered;
}
