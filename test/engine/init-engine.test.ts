import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineError, isEngineError } from '../../main/engine/engine-error';
import { cudaProviderInstalled, currentEngine, enginePreferenceFromEnv, initEngine } from '../../main/engine/init-engine';
import { runInProcess, templateDocument } from '../training/training-test-utils';

// @tensorflow/tfjs-node(-gpu) cannot be installed here, so 'auto' must land on
// wasm and forcing native TensorFlow must fail with a usable message. A fake
// native package (registering a backend named "tensorflow") checks the path
// a real installation takes.

async function rejection(promise: Promise<unknown>): Promise<EngineError> {
  try {
    await promise;
  } catch (error) {
    if (isEngineError(error)) return error;
    throw error;
  }
  throw new Error('expected the engine to be refused');
}

function notFound(specifier: string): Error {
  return Object.assign(new Error(`Cannot find package '${specifier}'`), { code: 'ERR_MODULE_NOT_FOUND' });
}

/** Plays a native package that loads and registers "tensorflow" (backed by the cpu kernels). */
async function fakeNativePackage(): Promise<void> {
  await tf.setBackend('cpu');
  const CpuBackend = (tf.findBackend('cpu') as object).constructor as new () => tf.KernelBackend;
  tf.registerBackend('tensorflow', () => new CpuBackend(), 0);
  tf.copyRegisteredKernels('cpu', 'tensorflow');
}

afterEach(async () => {
  if (tf.findBackendFactory('tensorflow') != null) {
    await tf.setBackend('cpu');
    tf.removeBackend('tensorflow');
  }
});

describe('initEngine', () => {
  // First in the file: the wasm module starts (once per process) inside this test.
  it('starting wasm leaves no process-wide error handlers behind', async () => {
    const counts = () => [process.listeners('uncaughtException').length, process.listeners('unhandledRejection').length];
    const before = counts();
    await initEngine('wasm');
    expect(counts()).toEqual(before);
  });

  it("'auto' picks onnxruntime here (tfjs on wasm beside it) and says why native TensorFlow was not used", async () => {
    const info = await initEngine('auto', { env: {} });
    expect(info).toMatchObject({ name: 'onnxruntime', backend: 'wasm', native: true });
    expect(tf.getBackend()).toBe('wasm');
    expect(info.description).toMatch(/ONNX Runtime on the CPU/);
    expect(info.description).toMatch(/Native TensorFlow is not available/);
    expect(currentEngine()).toEqual(info);
  });

  it("'auto' without onnxruntime-node falls back to wasm", async () => {
    const info = await initEngine('auto', {
      env: {},
      loadModule: (specifier) => (specifier === 'onnxruntime-node' ? Promise.reject(Object.assign(new Error('missing'), { code: 'ERR_MODULE_NOT_FOUND' })) : import(specifier)),
    });
    expect(info).toMatchObject({ name: 'wasm', backend: 'wasm', native: false });
    expect(info.description).toMatch(/SIMD (on|off)/);
  });

  const cuda = cudaProviderInstalled();
  it.skipIf(cuda)("forcing 'onnxruntime-gpu' without the CUDA execution provider is engine-unavailable and says how to get it", async () => {
    await expect(initEngine('onnxruntime-gpu')).rejects.toMatchObject({ code: 'engine-unavailable', message: expect.stringMatching(/CUDA execution provider/) });
  });
  if (!cuda) {
    console.log("skipped: training on 'onnxruntime-gpu' — onnxruntime-node's CUDA execution provider is not installed on this machine (its install script fetches it where there is CUDA 12 and internet).");
  }
  it.skipIf(!cuda)("'onnxruntime-gpu' trains LeNet-5 on the CUDA execution provider (machines with it installed)", async () => {
    const run = await runInProcess({ document: templateDocument('lenet5'), dataset: 'mnist', limit: 600, epochs: 1, seed: 3, engine: 'onnxruntime-gpu' });
    expect(run.error).toBeUndefined();
    expect(run.finished?.engine.name).toBe('onnxruntime-gpu');
    expect(run.finished?.evaluation?.accuracy ?? 0).toBeGreaterThan(0.5);
  }, 120_000);

  it('the wasm engine it starts can train a conv layer (our kernels are registered)', async () => {
    await initEngine('wasm');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    const grad = tf.tidy(() =>
      tf.grad((w: tf.Tensor) => tf.sum(tf.conv2d(tf.ones([1, 4, 4, 1]) as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid')))(tf.ones([3, 3, 1, 1])),
    );
    // Each tap of a 3x3 filter sees a 2x2 output grid of ones.
    expect(Array.from(await grad.data())).toEqual(Array(9).fill(4));
    grad.dispose();
  });

  it.each([
    ['tensorflow', '@tensorflow/tfjs-node'],
    ['tensorflow-gpu', '@tensorflow/tfjs-node-gpu'],
  ] as const)("forcing '%s' fails with 'engine-unavailable' and says how to install %s", async (name, packageName) => {
    const before = tf.getBackend();
    const error = await rejection(initEngine(name));
    expect(error.code).toBe('engine-unavailable');
    expect(error.message).toContain(`npm install ${packageName}`);
    expect(error.message).toContain('not installed');
    expect(error.message).not.toMatch(/\n\s+at /); // no stack trace in the message
    expect(error.toJSON()).toEqual({ code: 'engine-unavailable', message: error.message });
    expect(tf.getBackend()).toBe(before);
  });

  it("forcing 'cpu' works", async () => {
    const info = await initEngine('cpu');
    expect(info).toMatchObject({ name: 'cpu', backend: 'cpu', native: false });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('NETWEAVE_ENGINE sets the default; an explicit preference wins over it', async () => {
    expect((await initEngine(undefined, { env: { NETWEAVE_ENGINE: 'cpu' } })).name).toBe('cpu');
    expect((await initEngine(undefined, { env: { NETWEAVE_ENGINE: ' WASM ' } })).name).toBe('wasm');
    expect((await initEngine('cpu', { env: { NETWEAVE_ENGINE: 'wasm' } })).name).toBe('cpu');
    expect(enginePreferenceFromEnv({ NETWEAVE_ENGINE: '' })).toBeUndefined();
  });

  it('an unknown NETWEAVE_ENGINE is refused with code engine-unknown, listing the choices', async () => {
    const error = await rejection(initEngine(undefined, { env: { NETWEAVE_ENGINE: 'gpu' } }));
    expect(error.code).toBe('engine-unknown');
    expect(error.message).toContain('NETWEAVE_ENGINE=gpu');
    expect(error.message).toContain('tensorflow-gpu');
  });

  it("'auto' takes native TensorFlow when its package loads (GPU first)", async () => {
    const tried: string[] = [];
    const info = await initEngine('auto', {
      loadModule: async (specifier) => {
        tried.push(specifier);
        if (specifier === '@tensorflow/tfjs-node-gpu') throw notFound(specifier);
        await fakeNativePackage();
      },
    });
    expect(tried).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
    expect(info).toMatchObject({ name: 'tensorflow', backend: 'tensorflow', native: true });
    expect(tf.getBackend()).toBe('tensorflow');
  });

  it('a native package that registers no backend on our tfjs (a second tfjs copy) is reported as such', async () => {
    const error = await rejection(initEngine('tensorflow', { loadModule: async () => undefined }));
    expect(error.code).toBe('engine-unavailable');
    expect(error.message).toMatch(/same version as @tensorflow\/tfjs/);
  });

  it('a native package that is present but fails to load says so, not "not installed"', async () => {
    const error = await rejection(
      initEngine('tensorflow', {
        loadModule: async () => {
          throw new Error('libtensorflow.so.2: cannot open shared object file');
        },
      }),
    );
    expect(error.code).toBe('engine-unavailable');
    expect(error.message).toContain('libtensorflow.so.2');
    expect(error.message).not.toContain('not installed');
  });
});
