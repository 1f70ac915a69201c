import type { ErrorCode } from '../../shared/error-codes';
import { isErrorCode } from '../../shared/error-codes';

/**
 * A failure a user can act on, with a stable code: 'graph-invalid',
 * 'dataset-shape-mismatch', 'loss-not-finite', 'engine-unavailable',
 * 'worker-crashed', 'training-failed', 'settings-invalid', 'model-not-found',
 * 'model-invalid', 'run-not-found', … and the dataset loader's 'dataset-…' codes.
 */
export class TrainingError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TrainingError';
  }
}

/** Any thrown value as a code and a one-line message (codes of known errors are kept). */
export function toErrorValue(error: unknown, fallbackCode: ErrorCode = 'training-failed'): { code: ErrorCode; message: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const message = error.message.split('\n')[0] ?? error.message;
    // A code outside the enumeration (Node's ERR_…, a library's own) is not ours to show.
    return { code: isErrorCode(code) ? code : fallbackCode, message };
  }
  return { code: fallbackCode, message: String(error) };
}
