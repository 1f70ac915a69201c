import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { EngineError, shortReason } from './engine-error';
import { localWasmDirectory } from './wasm-paths';
import { registerWasmTrainingKernels } from './wasm-kernels/register-wasm-training-kernels';

import type { EngineInfo, EngineName, EnginePreference } from '../../shared/training-types';
import { enginePreferences } from '../../shared/training-types';

export type { EngineInfo, EngineName, EnginePreference };

export const ENGINE_PREFERENCES: readonly EnginePreference[] = enginePreferences;

/** The environment variable that sets the default engine preference. */
export const ENGINE_ENV_VAR = 'NETWEAVE_ENGINE';

export interface InitEngineOptions {
  /** Loads an optional native package; tests replace it to simulate one being installed. */
  loadModule?: (specifier: string) => Promise<unknown>;
  /** Where NETWEAVE_ENGINE is read from when no preference is passed. */
  env?: Record<string, string | undefined>;
}

const NATIVE_PACKAGES = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
} as const;

let activeEngine: EngineInfo | undefined;

/** The engine the last successful initEngine call chose, if any. */
export function currentEngine(): EngineInfo | undefined {
  return activeEngine;
}

/**
 * Reads NETWEAVE_ENGINE. Unset or empty gives undefined; an unknown name is an
 * 'engine-unknown' error rather than a silent fallback.
 */
export function enginePreferenceFromEnv(env: Record<string, string | undefined> = process.env): EnginePreference | undefined {
  const raw = env[ENGINE_ENV_VAR]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return undefined;
  return parseEnginePreference(raw, `${ENGINE_ENV_VAR}=${raw}`);
}

export function parseEnginePreference(value: string, source = value): EnginePreference {
  const match = ENGINE_PREFERENCES.find((preference) => preference === value);
  if (match === undefined) {
    throw new EngineError(
      'engine-unknown',
      `Unknown engine "${source}". Choose one of: ${ENGINE_PREFERENCES.join(', ')}.`,
    );
  }
  return match;
}

/**
 * Chooses and starts the training engine. 'auto' (the default, unless
 * NETWEAVE_ENGINE names another) tries native TensorFlow with CUDA, then
 * native TensorFlow, then WebAssembly with our training kernels, then plain
 * JavaScript. A forced engine that cannot load rejects with an EngineError
 * coded 'engine-unavailable' whose message says how to get it.
 */
export async function initEngine(preference?: EnginePreference, options: InitEngineOptions = {}): Promise<EngineInfo> {
  const chosen = preference ?? enginePreferenceFromEnv(options.env) ?? 'auto';
  const loadModule = options.loadModule ?? ((specifier: string) => import(/* @vite-ignore */ specifier));
  const info = chosen === 'auto' ? await initAuto(loadModule) : await initForced(chosen, loadModule);
  activeEngine = info;
  return info;
}

async function initForced(name: EngineName, loadModule: (specifier: string) => Promise<unknown>): Promise<EngineInfo> {
  switch (name) {
    case 'tensorflow-gpu':
    case 'tensorflow':
      return initNative(name, loadModule);
    case 'onnxruntime':
    case 'onnxruntime-gpu':
      return initOnnxRuntime(name, loadModule);
    case 'wasm':
      return initWasm();
    case 'cpu':
      return initCpu();
  }
}

async function initAuto(loadModule: (specifier: string) => Promise<unknown>): Promise<EngineInfo> {
  const skipped: string[] = [];
  for (const name of ['tensorflow-gpu', 'tensorflow'] as const) {
    try {
      return await initNative(name, loadModule);
    } catch (error) {
      skipped.push(`${NATIVE_PACKAGES[name]}: ${error instanceof EngineError ? (error.detail ?? error.message) : shortReason(error)}`);
    }
  }
  const nativeNote =
    'Native TensorFlow is not available (install @tensorflow/tfjs-node, or @tensorflow/tfjs-node-gpu with CUDA, for faster training).';
  try {
    const onnx = await initOnnxRuntime('onnxruntime', loadModule);
    return { ...onnx, description: `${onnx.description} ${nativeNote}` };
  } catch (error) {
    skipped.push(`onnxruntime-node: ${error instanceof EngineError ? (error.detail ?? error.message) : shortReason(error)}`);
  }
  try {
    const wasm = await initWasm();
    return { ...wasm, description: `${wasm.description} ${nativeNote}` };
  } catch (error) {
    skipped.push(`wasm: ${error instanceof EngineError ? (error.detail ?? error.message) : shortReason(error)}`);
  }
  const cpu = await initCpu();
  return { ...cpu, description: `${cpu.description} ${nativeNote} WebAssembly did not start either.` };
}

async function initNative(name: 'tensorflow-gpu' | 'tensorflow', loadModule: (specifier: string) => Promise<unknown>): Promise<EngineInfo> {
  const packageName = NATIVE_PACKAGES[name];
  const howToGet =
    name === 'tensorflow-gpu'
      ? `Install it with "npm install ${packageName}" (it downloads libtensorflow with GPU support and needs CUDA and cuDNN on this machine), then restart; or choose the "auto", "wasm" or "cpu" engine.`
      : `Install it with "npm install ${packageName}" (it downloads libtensorflow, so it needs internet access once), then restart; or choose the "auto", "wasm" or "cpu" engine.`;
  try {
    await loadModule(packageName);
  } catch (error) {
    const missing = isModuleNotFound(error);
    throw new EngineError(
      'engine-unavailable',
      missing
        ? `The engine "${name}" needs ${packageName}, which is not installed. ${howToGet}`
        : `The engine "${name}" could not load ${packageName} (${shortReason(error)}). ${howToGet}`,
      missing ? 'not installed' : shortReason(error),
    );
  }
  // tfjs-node registers "tensorflow" on the @tensorflow/tfjs it resolves; a second copy of tfjs would not see it.
  if (tf.findBackendFactory('tensorflow') == null) {
    throw new EngineError(
      'engine-unavailable',
      `${packageName} loaded but registered no "tensorflow" backend with this app's @tensorflow/tfjs (two different versions are installed). Install ${packageName} at the same version as @tensorflow/tfjs, then restart.`,
      'backend not registered on this tfjs',
    );
  }
  const started = await trySetBackend('tensorflow');
  if (started !== true) {
    throw new EngineError(
      'engine-unavailable',
      `The engine "${name}" did not start (${started}). ${howToGet}`,
      started,
    );
  }
  return {
    name,
    backend: 'tensorflow',
    native: true,
    description:
      name === 'tensorflow-gpu'
        ? 'Native TensorFlow with CUDA (@tensorflow/tfjs-node-gpu).'
        : 'Native TensorFlow on the CPU (@tensorflow/tfjs-node).',
  };
}

/**
 * ONNX Runtime runs the training step (main/engine/onnxruntime); TensorFlow.js keeps the
 * layers model for evaluate/predict/save on WebAssembly (plain JavaScript if that fails).
 */
async function initOnnxRuntime(name: 'onnxruntime' | 'onnxruntime-gpu', loadModule: (specifier: string) => Promise<unknown>): Promise<EngineInfo> {
  let ort: { listSupportedBackends?: () => { name: string }[] };
  try {
    ort = (await loadModule('onnxruntime-node')) as typeof ort;
  } catch (error) {
    throw new EngineError(
      'engine-unavailable',
      `The engine "${name}" needs onnxruntime-node (${shortReason(error)}). Reinstall the dependencies ("npm ci"), or choose the "wasm" or "cpu" engine.`,
      isModuleNotFound(error) ? 'not installed' : shortReason(error),
    );
  }
  if (name === 'onnxruntime-gpu') {
    const backends = (ort.listSupportedBackends?.() ?? []).map((b) => b.name);
    // 'cuda' is listed even when its provider library was never fetched (bundled: false): look for the library.
    if (!backends.includes('cuda') || !cudaProviderInstalled()) {
      throw new EngineError(
        'engine-unavailable',
        `The engine "onnxruntime-gpu" needs onnxruntime-node's CUDA execution provider, which is not installed here (providers: ${backends.join(', ') || 'none'}). On a machine with CUDA 12 and internet, reinstall onnxruntime-node with its install script allowed ("ONNXRUNTIME_NODE_INSTALL_CUDA=v12 npm rebuild onnxruntime-node"); or choose "onnxruntime".`,
        'CUDA execution provider not installed',
      );
    }
  }
  let backend = 'wasm';
  try {
    await initWasm();
  } catch {
    await initCpu();
    backend = 'cpu';
  }
  return {
    name,
    backend,
    native: true,
    description: `ONNX Runtime${name === 'onnxruntime-gpu' ? ' with CUDA' : ' on the CPU'} runs the training step compiled to ONNX; TensorFlow.js (${backend}) evaluates and saves.`,
  };
}

async function initWasm(): Promise<EngineInfo> {
  const unavailable = (reason: string): EngineError =>
    new EngineError(
      'engine-unavailable',
      `The WebAssembly engine did not start (${reason}). Reinstall the dependencies ("npm ci") so that node_modules/@tensorflow/tfjs-backend-wasm/dist holds its .wasm files, or choose the "cpu" engine.`,
      reason,
    );
  if (!wasmBackendInitialised()) {
    const directory = localWasmDirectory();
    if (directory === undefined) throw unavailable('@tensorflow/tfjs-backend-wasm or its .wasm files are missing');
    try {
      setWasmPaths(directory);
    } catch (error) {
      throw unavailable(shortReason(error));
    }
  }
  registerWasmTrainingKernels('wasm');
  const started = await withoutNewProcessHandlers(() => trySetBackend('wasm'));
  if (started !== true) throw unavailable(started);

  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const threadsSupported = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true;
  const threads = safeThreadsCount();
  const threadNote = threadsSupported ? `threads on (${threads})` : 'threads off (1 thread)';
  return {
    name: 'wasm',
    backend: 'wasm',
    native: false,
    description: `WebAssembly (XNNPACK) with conv-net training kernels; SIMD ${simd ? 'on' : 'off'}, ${threadNote}.`,
  };
}

async function initCpu(): Promise<EngineInfo> {
  const started = await trySetBackend('cpu');
  if (started !== true) {
    throw new EngineError('engine-unavailable', `The plain JavaScript engine did not start (${started}). Reinstall the dependencies ("npm ci").`, started);
  }
  return {
    name: 'cpu',
    backend: 'cpu',
    native: false,
    description: 'Plain JavaScript (tfjs cpu backend): works everywhere, but trains conv nets far slower than WebAssembly (over a hundred times for LeNet-5).',
  };
}

/** true, or why the backend did not start (tfjs' setBackend only logs, and returns false). */
async function trySetBackend(backendName: string): Promise<true | string> {
  try {
    const ok = await tf.setBackend(backendName);
    if (ok && tf.getBackend() === backendName) return true;
    return `the ${backendName} backend failed to initialise`;
  } catch (error) {
    return shortReason(error);
  }
}

/**
 * The wasm glue code (Emscripten) adds process-wide uncaughtException and
 * unhandledRejection handlers that only rethrow; Node then prints the line
 * they sit on, 20 KB of minified code, with any later crash of the app.
 * Removing them restores Node's own behaviour.
 */
async function withoutNewProcessHandlers<T>(start: () => Promise<T>): Promise<T> {
  const before = {
    uncaughtException: new Set(process.listeners('uncaughtException')),
    unhandledRejection: new Set(process.listeners('unhandledRejection')),
  };
  try {
    return await start();
  } finally {
    for (const listener of process.listeners('uncaughtException')) {
      if (!before.uncaughtException.has(listener)) process.removeListener('uncaughtException', listener);
    }
    for (const listener of process.listeners('unhandledRejection')) {
      if (!before.unhandledRejection.has(listener)) process.removeListener('unhandledRejection', listener);
    }
  }
}

function wasmBackendInitialised(): boolean {
  try {
    getThreadsCount();
    return true;
  } catch {
    return false;
  }
}

function safeThreadsCount(): number {
  try {
    return getThreadsCount();
  } catch {
    return 1;
  }
}

/** onnxruntime-node's CUDA execution provider library, which its install script fetches next to the binding. */
export function cudaProviderInstalled(): boolean {
  try {
    const root = path.dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
    const bin = path.join(root, 'bin');
    for (const napi of readdirSync(bin)) {
      const dir = path.join(bin, napi, process.platform, process.arch);
      if (existsSync(path.join(dir, process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so'))) return true;
    }
  } catch {
    return false;
  }
  return false;
}

function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}
