import * as tf from '@tensorflow/tfjs';

/**
 * Runs kernels of one backend directly on TensorInfos (below the engine, so no
 * tape, no scopes, no per-op bookkeeping) and frees every intermediate it made
 * unless it was marked as kept. This is how a composite kernel is built from a
 * backend's own fast kernels without leaking buffers.
 */
export class KernelRunner {
  private readonly temporaries: tf.TensorInfo[] = [];

  constructor(
    private readonly backend: tf.KernelBackend,
    private readonly backendName: string,
  ) {}

  run(kernelName: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}): tf.TensorInfo {
    const kernel = tf.getKernel(kernelName, this.backendName);
    if (kernel === undefined) {
      throw new Error(`Kernel '${kernelName}' is not registered for backend '${this.backendName}'.`);
    }
    return this.runFunction(kernel.kernelFunc, inputs, attrs);
  }

  /** Runs a kernel function held directly (e.g. the original of a kernel we replaced). */
  runFunction(kernelFunc: tf.KernelFunc, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}): tf.TensorInfo {
    const result = kernelFunc({ inputs, backend: this.backend, attrs });
    if (Array.isArray(result)) {
      throw new Error('A kernel returned several outputs where one was expected.');
    }
    this.temporaries.push(result);
    return result;
  }

  /** A new shape over the same buffer; the view owns nothing and is never freed by itself. */
  view(tensor: tf.TensorInfo, shape: number[]): tf.TensorInfo {
    const size = shape.reduce((product, dim) => product * dim, 1);
    const sourceSize = tensor.shape.reduce((product, dim) => product * dim, 1);
    if (size !== sourceSize) {
      throw new Error(`Cannot view shape [${tensor.shape}] as [${shape}].`);
    }
    return { dataId: tensor.dataId, shape, dtype: tensor.dtype };
  }

  /**
   * Transposes, or only re-shapes when the permutation moves nothing but
   * size-1 axes (then the memory order is unchanged and a copy is wasted work).
   */
  transpose(tensor: tf.TensorInfo, perm: number[]): tf.TensorInfo {
    const outShape = perm.map((axis) => dimAt(tensor.shape, axis));
    const movedAxes = perm.filter((axis) => dimAt(tensor.shape, axis) !== 1);
    const keepsOrder = movedAxes.every((axis, index) => index === 0 || axis > (movedAxes[index - 1] ?? -1));
    if (keepsOrder) return this.view(tensor, outShape);
    return this.run('Transpose', { x: tensor }, { perm });
  }

  /** Slices only when the region is smaller than the tensor. */
  slice(tensor: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
    const whole = begin.every((start, axis) => start === 0 && size[axis] === tensor.shape[axis]);
    if (whole) return tensor;
    return this.run('Slice', { x: tensor }, { begin, size });
  }

  /** Keeps a result alive past `disposeTemporaries` (the kernel's output). */
  keep(tensor: tf.TensorInfo): tf.TensorInfo {
    const index = this.temporaries.findIndex((temporary) => temporary.dataId === tensor.dataId);
    if (index < 0) {
      throw new Error('Only a tensor made by this runner can be kept as its output.');
    }
    this.temporaries.splice(index, 1);
    return tensor;
  }

  disposeTemporaries(): void {
    for (const temporary of this.temporaries.splice(0)) {
      this.backend.disposeData(temporary.dataId);
    }
  }
}

/**
 * Runs `body` with a fresh runner and frees its intermediates whatever happens.
 * The tensor `body` returns must come from the runner (or be a view of one
 * of its tensors); it is handed to the engine as the kernel's output.
 */
export function runComposite(
  backend: tf.KernelBackend,
  backendName: string,
  body: (runner: KernelRunner) => tf.TensorInfo,
): tf.TensorInfo {
  const runner = new KernelRunner(backend, backendName);
  try {
    const result = body(runner);
    const owned = runner.keep(result);
    return { dataId: owned.dataId, shape: result.shape, dtype: result.dtype };
  } finally {
    runner.disposeTemporaries();
  }
}

export function dimAt(shape: readonly number[], axis: number): number {
  const dim = shape[axis];
  if (dim === undefined) throw new Error(`Axis ${axis} is out of range for shape [${shape}].`);
  return dim;
}
