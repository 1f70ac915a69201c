/**
 * A failure a user can act on, with a stable code: 'graph-invalid',
 * 'dataset-shape-mismatch', 'loss-not-finite', 'engine-unavailable',
 * 'worker-crashed', 'training-failed', 'settings-invalid', 'model-not-found',
 * 'model-invalid', 'run-not-found', … and the dataset loader's 'dataset-…' codes.
 */
export class TrainingError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TrainingError';
  }
}

/** Any thrown value as a code and a one-line message (codes of known errors are kept). */
export function toErrorValue(error: unknown, fallbackCode = 'training-failed'): { code: string; message: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const message = error.message.split('\n')[0] ?? error.message;
    return { code: typeof code === 'string' && code !== '' && !code.startsWith('ERR_') ? code : fallbackCode, message };
  }
  return { code: fallbackCode, message: String(error) };
}
