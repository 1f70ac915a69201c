export { EngineError, isEngineError, type EngineErrorCode } from './engine-error';
export {
  ENGINE_ENV_VAR,
  ENGINE_PREFERENCES,
  currentEngine,
  enginePreferenceFromEnv,
  initEngine,
  parseEnginePreference,
  type EngineInfo,
  type EngineName,
  type EnginePreference,
  type InitEngineOptions,
} from './init-engine';
export {
  WASM_MISSING_KERNEL_NAMES,
  WASM_REPLACED_KERNEL_NAMES,
  registerWasmTrainingKernels,
  type WasmKernelRegistration,
} from './wasm-kernels/register-wasm-training-kernels';
