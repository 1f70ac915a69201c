import type { FromKerasResult, KerasImportProblem } from '../layer-def';
import { activationNames } from './common';
import type { ActivationName } from './common';

/**
 * Reading a Keras layer config back (the inverse of each kind's `keras()`): Keras writes snake_case,
 * TensorFlow.js camelCase; both are accepted. The first value that does not fit becomes the problem.
 */

export function snakeCase(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export class KerasConfigReader {
  problem: KerasImportProblem | null = null;

  constructor(
    readonly className: string,
    readonly config: Record<string, unknown>,
  ) {}

  /** The value under the camelCase key or its snake_case twin. */
  get(key: string): unknown {
    if (key in this.config) return this.config[key];
    return this.config[snakeCase(key)];
  }

  has(key: string): boolean {
    return this.get(key) !== undefined && this.get(key) !== null;
  }

  fail(code: string, message: string): void {
    this.problem ??= { code, message };
  }

  int(key: string, fallback: number): number {
    const v = this.get(key);
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    this.fail('keras-config-invalid', `${this.className}: ${key} must be an integer, got ${JSON.stringify(v)}.`);
    return fallback;
  }

  num(key: string, fallback: number): number {
    const v = this.get(key);
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    this.fail('keras-config-invalid', `${this.className}: ${key} must be a number, got ${JSON.stringify(v)}.`);
    return fallback;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.get(key);
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'boolean') return v;
    this.fail('keras-config-invalid', `${this.className}: ${key} must be true or false, got ${JSON.stringify(v)}.`);
    return fallback;
  }

  /** An int or a pair of ints (Keras accepts `3` for `(3, 3)`). */
  pair(key: string, fallback: readonly [number, number]): [number, number] {
    const v = this.get(key);
    if (v === undefined || v === null) return [fallback[0], fallback[1]];
    if (typeof v === 'number' && Number.isInteger(v)) return [v, v];
    if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number' && Number.isInteger(x))) return [v[0] as number, v[1] as number];
    this.fail('keras-config-invalid', `${this.className}: ${key} must be an integer or two integers, got ${JSON.stringify(v)}.`);
    return [fallback[0], fallback[1]];
  }

  ints(key: string, fallback: readonly number[]): number[] {
    const v = this.get(key);
    if (v === undefined || v === null) return [...fallback];
    if (Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isInteger(x))) return v as number[];
    this.fail('keras-config-invalid', `${this.className}: ${key} must be a list of integers, got ${JSON.stringify(v)}.`);
    return [...fallback];
  }

  choice<T extends string>(key: string, options: readonly T[], fallback: T): T {
    const v = this.get(key);
    if (v === undefined || v === null) return fallback;
    const s = typeof v === 'string' ? v.toLowerCase() : v;
    if (typeof s === 'string' && (options as readonly string[]).includes(s)) return s as T;
    this.fail('keras-option-unsupported', `${this.className}: ${key} ${JSON.stringify(v)} is not supported here (supported: ${options.join(', ')}).`);
    return fallback;
  }

  /** A named activation; Keras 3 may wrap it as {class_name, config}. */
  activation(key = 'activation'): ActivationName {
    let v = this.get(key);
    if (v && typeof v === 'object' && 'class_name' in v) v = (v as { class_name: unknown }).class_name;
    if (v === undefined || v === null) return 'linear';
    const name = typeof v === 'string' ? v.toLowerCase() : '';
    const alias: Record<string, ActivationName> = { silu: 'swish', hard_silu: 'hard_swish' };
    const found = alias[name] ?? (activationNames as readonly string[]).find((a) => a === name);
    if (found) return found as ActivationName;
    this.fail('keras-activation-unsupported', `${this.className}: activation ${JSON.stringify(v)} has no equivalent; pick one of ${activationNames.join(', ')} after importing.`);
    return 'linear';
  }

  /** Refuses channels-first data: our image layers are channels-last (NHWC). */
  channelsLast(): void {
    const v = this.get('dataFormat');
    if (v !== undefined && v !== null && v !== 'channels_last' && v !== 'channelsLast') {
      this.fail('keras-channels-first', `${this.className}: data_format ${JSON.stringify(v)} is not supported; layers here are channels-last (height, width, channels).`);
    }
  }

  result(params: Record<string, unknown>): FromKerasResult {
    return this.problem ? { problem: this.problem } : { params };
  }
}

/** The usual shape of a `fromKeras`: read the config, return the params or the first problem. */
export function readKeras(className: string, config: Record<string, unknown>, build: (r: KerasConfigReader) => Record<string, unknown>): FromKerasResult {
  const reader = new KerasConfigReader(className, config);
  const params = build(reader);
  return reader.result(params);
}

/** Pooling windows: Keras' strides default to the pool size. */
export function readPooling2d(r: KerasConfigReader): Record<string, unknown> {
  r.channelsLast();
  const poolSize = r.pair('poolSize', [2, 2]);
  return { poolSize, strides: r.has('strides') ? r.pair('strides', poolSize) : poolSize, padding: r.choice('padding', ['valid', 'same'], 'valid') };
}

/** What Conv2D, DepthwiseConv2D and SeparableConv2D share: window, strides, padding, dilation, activation, bias. */
export function readConvWindow(r: KerasConfigReader): Record<string, unknown> {
  r.channelsLast();
  return {
    kernelSize: r.pair('kernelSize', [3, 3]),
    strides: r.pair('strides', [1, 1]),
    padding: r.choice('padding', ['valid', 'same'], 'valid'),
    dilationRate: r.pair('dilationRate', [1, 1]),
    activation: r.activation(),
    useBias: r.bool('useBias', true),
  };
}
