import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The .wasm binaries tfjs-backend-wasm may load (plain, SIMD, threaded SIMD). */
export const WASM_BINARY_NAMES = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
] as const;

/**
 * The folder in node_modules that holds tfjs-backend-wasm's .wasm files, with
 * a trailing separator as setWasmPaths expects. Loading from disk means no
 * network access (the package's default is a CDN URL in browsers). Returns
 * undefined when the package or its binaries are missing.
 */
export function localWasmDirectory(): string | undefined {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
  } catch {
    return undefined;
  }
  // The package's main file sits in dist/, next to the binaries.
  const directory = path.dirname(entry);
  const hasBinaries = WASM_BINARY_NAMES.some((name) => existsSync(path.join(directory, name)));
  return hasBinaries ? directory + path.sep : undefined;
}
