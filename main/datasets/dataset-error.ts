import type { ErrorCode } from '../../shared/error-codes';

/** The data-set codes of the one enumeration (shared/error-codes.ts). */
export type DatasetErrorCode = Extract<ErrorCode, `dataset-${string}`>;

/** A data set that cannot be used; the message names the file (and byte, line or column) and says what to do. */
export class DatasetError extends Error {
  readonly code: DatasetErrorCode;

  constructor(code: DatasetErrorCode, message: string) {
    super(message);
    this.name = 'DatasetError';
    this.code = code;
  }
}

export function isDatasetError(value: unknown): value is DatasetError {
  return value instanceof DatasetError;
}
