/** What loadDataset hands each reader, with the options checked and defaults filled in. */
export interface ReaderContext {
  /** The data set id: its reference with the path made absolute. */
  id: string;
  seed: number;
  testFraction: number;
  limit?: number;
  imageSize?: [number, number, number];
  progress: (fraction: number, message: string) => void;
}

/** Reads an optional list of class names, one per line (blank lines ignored). */
export function parseClassNameLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
