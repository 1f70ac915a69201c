import type { LayerKindName } from './registry';
import type { ActivationName } from './kinds/common';

/**
 * A target (TensorFlow.js compile, TypeScript, PyTorch, Keras, ONNX, …) says for every layer kind how it
 * translates it, or why it cannot. The mapped type makes a new kind a type error in every target table.
 */
export interface Unsupported {
  /** Why the target cannot express this kind, in words a user can act on. */
  readonly unsupported: string;
}

/** The entry of a composite kind (a block): targets translate its expansion, layer by layer. */
export interface Expands {
  readonly expands: true;
}

export const expands: Expands = { expands: true };

export function unsupported(reason: string): Unsupported {
  return { unsupported: reason };
}

export type TargetEntry<T> = T | Unsupported | Expands;

export type TargetTable<T> = { readonly [K in LayerKindName]: TargetEntry<T> };

export function isUnsupported(entry: unknown): entry is Unsupported {
  return typeof entry === 'object' && entry !== null && typeof (entry as Unsupported).unsupported === 'string';
}

export function isExpands(entry: unknown): entry is Expands {
  return typeof entry === 'object' && entry !== null && (entry as Expands).expands === true;
}

/** The table's entry for a kind; an unknown kind reads as unsupported. */
export function entryFor<T>(table: TargetTable<T>, kind: string): TargetEntry<T> {
  return Object.prototype.hasOwnProperty.call(table, kind)
    ? table[kind as LayerKindName]
    : unsupported(`${kind} is not a layer kind this version knows.`);
}

/** The translation of a primitive kind, or null where the table says unsupported or expands. */
export function translationFor<T>(table: TargetTable<T>, kind: string): T | null {
  const entry = entryFor(table, kind);
  return isUnsupported(entry) || isExpands(entry) ? null : entry;
}

/** Why the target cannot express a kind; null when it can (blocks can when their layers can). */
export function unsupportedReason<T>(table: TargetTable<T>, kind: string): string | null {
  const entry = entryFor(table, kind);
  return isUnsupported(entry) ? entry.unsupported : null;
}

/** Per target, each named activation's translation or why the target has none. */
export type ActivationTable<T> = { readonly [A in ActivationName]: T | Unsupported };

/** The translation of an activation, or the reason there is none. */
export function activationEntry<T>(table: ActivationTable<T>, name: string): T | Unsupported {
  return Object.prototype.hasOwnProperty.call(table, name) ? table[name as ActivationName] : unsupported(`"${name}" is not an activation this version knows.`);
}
