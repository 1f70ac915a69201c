export type DatasetErrorCode =
  | 'dataset-not-found'
  | 'dataset-corrupt'
  | 'dataset-truncated'
  | 'dataset-unsupported'
  | 'dataset-empty'
  | 'dataset-shape-mismatch'
  | 'dataset-invalid-ref'
  | 'dataset-too-large';

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
