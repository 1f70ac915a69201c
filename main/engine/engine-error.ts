import type { ErrorCodes } from '../../shared/error-codes';

/** Stable codes for engine failures that reach a user. */
export type EngineErrorCode = ErrorCodes<'engine-unavailable' | 'engine-unknown'>;

/** An engine failure with a stable code and a message that says what to do. */
export class EngineError extends Error {
  override readonly name = 'EngineError';

  constructor(
    readonly code: EngineErrorCode,
    message: string,
    /** The underlying failure, for logs; never shown as the message. */
    readonly detail?: string,
  ) {
    super(message);
  }

  /** Plain data for the renderer / CLI contract (errors travel as values). */
  toJSON(): { code: EngineErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

export function isEngineError(error: unknown): error is EngineError {
  return error instanceof EngineError;
}

/** First line of whatever was thrown, for a short reason inside a message. */
export function shortReason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const firstLine = text.split('\n', 1)[0] ?? '';
  return firstLine.length > 200 ? `${firstLine.slice(0, 197)}...` : firstLine;
}
