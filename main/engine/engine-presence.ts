import { createRequire } from 'node:module';
import type { EngineAvailability } from '../../shared/contract';
import type { EngineName } from '../../shared/training-types';
import { engineNames } from '../../shared/training-types';

/**
 * Which training engines are installed, found without starting any (starting native
 * TensorFlow takes seconds): an engine is offered when its package resolves. Whether it
 * then starts (a GPU, CUDA) is still reported by the run itself.
 */
const packages: Record<EngineName, string | null> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
  'onnxruntime-gpu': 'onnxruntime-node',
  onnxruntime: 'onnxruntime-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: null,
};

const needs: Partial<Record<EngineName, string>> = {
  'tensorflow-gpu': 'it also needs an NVIDIA GPU with CUDA and cuDNN',
  'onnxruntime-gpu': 'it also needs an NVIDIA GPU with CUDA',
};

export function listEngines(resolve: (specifier: string) => string = createRequire(import.meta.url).resolve): EngineAvailability[] {
  return engineNames.map((name) => {
    const pkg = packages[name];
    if (pkg === null) return { name, present: true };
    try {
      resolve(pkg);
      return { name, present: true };
    } catch {
      const extra = needs[name] ? `; ${needs[name]}` : '';
      return { name, present: false, missing: `Not installed: install ${pkg} ("npm install ${pkg}")${extra}, then restart Netweave.` };
    }
  });
}
