import type { ErrorCode } from './error-codes';

/** Errors cross the renderer↔main boundary as values, never as thrown exceptions. */
export interface ErrorValue {
  /** Stable code from shared/error-codes.ts. */
  code: ErrorCode;
  /** What went wrong and what to do, for a person. */
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorValue };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function err<T = never>(code: ErrorCode, message: string): Result<T> {
  return { ok: false, error: { code, message } };
}
