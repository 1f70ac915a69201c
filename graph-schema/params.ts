import type { LayerProblem } from './diagnostics';

interface ParamBase {
  label: string;
  /** One short sentence shown under the field in the inspector. */
  help?: string;
  unit?: string;
}

export interface IntParam extends ParamBase { type: 'int'; default: number; min?: number; max?: number }
export interface FloatParam extends ParamBase {
  type: 'float';
  default: number;
  min?: number;
  max?: number;
  /** Exclusive bounds, e.g. a rate in [0, 1). */
  minExclusive?: boolean;
  maxExclusive?: boolean;
}
export interface BoolParam extends ParamBase { type: 'bool'; default: boolean }
export interface EnumParam<O extends string = string> extends ParamBase {
  type: 'enum';
  options: readonly O[];
  default: O;
}
/** A pair such as a kernel size or stride: [rows, cols]. */
export interface Int2Param extends ParamBase { type: 'int2'; default: readonly [number, number]; min?: number; max?: number }
/** A list of positive integers such as a shape; -1 allowed where `allowInfer` (Reshape). */
export interface IntListParam extends ParamBase {
  type: 'ints';
  default: readonly number[];
  min?: number;
  max?: number;
  minLength?: number;
  maxLength?: number;
}

export type ParamSpec = IntParam | FloatParam | BoolParam | EnumParam | Int2Param | IntListParam;
export type ParamSpecs = Record<string, ParamSpec>;

type ValueOf<S extends ParamSpec> = S extends IntParam | FloatParam
  ? number
  : S extends BoolParam
    ? boolean
    : S extends EnumParam<infer O>
      ? O
      : S extends Int2Param
        ? [number, number]
        : S extends IntListParam
          ? number[]
          : never;

export type ParamsOf<S extends ParamSpecs> = { [K in keyof S]: ValueOf<S[K]> };

/** Helper that keeps literal enum options in the inferred type. */
export function defineParams<const S extends ParamSpecs>(specs: S): S {
  return specs;
}

export function defaultParams<S extends ParamSpecs>(specs: S): ParamsOf<S> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    out[name] = Array.isArray(spec.default) ? [...(spec.default as readonly number[])] : spec.default;
  }
  return out as ParamsOf<S>;
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

function typeProblem(name: string, value: unknown, expected: string): LayerProblem {
  return { code: 'param-invalid', param: name, message: `Parameter "${name}" must be ${expected}, got ${JSON.stringify(value)}.` };
}

function isIntPair(value: unknown): boolean {
  return Array.isArray(value) && value.length === 2 && isInt(value[0]) && isInt(value[1]);
}

function isIntList(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  for (const v of value) if (!isInt(v)) return false;
  return true;
}

/** Type check of one value: a problem when the value cannot be used at all. */
export function checkParamType(name: string, spec: ParamSpec, value: unknown): LayerProblem | null {
  switch (spec.type) {
    case 'int':
      return isInt(value) ? null : typeProblem(name, value, 'an integer');
    case 'float':
      return typeof value === 'number' && Number.isFinite(value) ? null : typeProblem(name, value, 'a finite number');
    case 'bool':
      return typeof value === 'boolean' ? null : typeProblem(name, value, 'true or false');
    case 'enum':
      return typeof value === 'string' && spec.options.includes(value)
        ? null
        : typeProblem(name, value, `one of ${spec.options.map((o) => `"${o}"`).join(', ')}`);
    case 'int2':
      return isIntPair(value) ? null : typeProblem(name, value, 'a pair of integers like [3, 3]');
    case 'ints':
      return isIntList(value) ? null : typeProblem(name, value, 'a list of integers like [28, 28, 1]');
  }
}

/** Why `v` is outside [min, max] (or the exclusive bounds), or null when it is inside. */
function outOfRange(v: number, min?: number, max?: number, minExclusive?: boolean, maxExclusive?: boolean): string | null {
  if (min !== undefined && (minExclusive ? v <= min : v < min)) return `must be ${minExclusive ? 'greater than' : 'at least'} ${min}, got ${v}`;
  if (max !== undefined && (maxExclusive ? v >= max : v > max)) return `must be ${maxExclusive ? 'less than' : 'at most'} ${max}, got ${v}`;
  return null;
}

function rangeProblem(name: string, spec: ParamSpec, what: string | null): LayerProblem | null {
  return what === null ? null : { code: 'param-out-of-range', param: name, message: `${spec.label} (${name}) ${what}.` };
}

/** Range check of a well-typed value. */
export function checkParamRange(name: string, spec: ParamSpec, value: unknown): LayerProblem | null {
  switch (spec.type) {
    case 'int':
      return rangeProblem(name, spec, outOfRange(value as number, spec.min, spec.max));
    case 'float':
      return rangeProblem(name, spec, outOfRange(value as number, spec.min, spec.max, spec.minExclusive, spec.maxExclusive));
    case 'int2': {
      const [a, b] = value as [number, number];
      return rangeProblem(name, spec, outOfRange(a, spec.min, spec.max) ?? outOfRange(b, spec.min, spec.max));
    }
    case 'ints': {
      const list = value as number[];
      if (spec.minLength !== undefined && list.length < spec.minLength) return rangeProblem(name, spec, `needs at least ${spec.minLength} values`);
      if (spec.maxLength !== undefined && list.length > spec.maxLength) return rangeProblem(name, spec, `takes at most ${spec.maxLength} values`);
      for (const v of list) {
        const problem = rangeProblem(name, spec, outOfRange(v, spec.min, spec.max));
        if (problem) return problem;
      }
      return null;
    }
    default:
      return null;
  }
}

/**
 * Merge stored values over the defaults. Missing values take the default;
 * wrong types are reported and replaced by the default so the graph stays usable.
 */
export function resolveParams<S extends ParamSpecs>(
  specs: S,
  stored: Record<string, unknown> | undefined,
): { params: ParamsOf<S>; typeProblems: LayerProblem[]; rangeProblems: LayerProblem[]; unknown: string[] } {
  const params = defaultParams(specs) as Record<string, unknown>;
  const typeProblems: LayerProblem[] = [];
  const rangeProblems: LayerProblem[] = [];
  const unknown: string[] = [];
  for (const [name, value] of Object.entries(stored ?? {})) {
    // Own names only: "toString" or "constructor" are not parameters of any layer.
    const spec = Object.prototype.hasOwnProperty.call(specs, name) ? specs[name] : undefined;
    if (!spec) {
      unknown.push(name);
      continue;
    }
    const typeProblem = checkParamType(name, spec, value);
    if (typeProblem) {
      typeProblems.push(typeProblem);
      continue;
    }
    params[name] = Array.isArray(value) ? [...value] : value;
  }
  for (const [name, spec] of Object.entries(specs)) {
    const problem = checkParamRange(name, spec, params[name]);
    if (problem) rangeProblems.push(problem);
  }
  return { params: params as ParamsOf<S>, typeProblems, rangeProblems, unknown };
}

/** Parameters of a layer whose kind is only known at run time. */
export type LayerParams = ParamsOf<ParamSpecs>;
