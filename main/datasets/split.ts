import type { DataSplit, Dataset } from './dataset-types';
import { sampleIndices, seededRandom, shuffleInPlace } from './seeded-random';

export const defaultSeed = 1;
export const defaultTestFraction = 0.2;
/** Under a limit the test set shrinks in proportion, but never below this many examples (or all it has). */
export const minimumLimitedTestCount = 100;

/**
 * Splits example indices into train and test, class by class, so both sides keep the class balance.
 * Each side comes out shuffled.
 */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  numClasses: number,
  testFraction: number,
  random: () => number,
): { train: number[]; test: number[] } {
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < labels.length; i++) byClass[labels[i]!]!.push(i);
  const train: number[] = [];
  const test: number[] = [];
  for (const members of byClass) {
    shuffleInPlace(members, random);
    const testCount = Math.round(members.length * testFraction);
    test.push(...members.slice(0, testCount));
    train.push(...members.slice(testCount));
  }
  // Tiny sets can round every class down to zero; hold out one example so there is something to test on.
  if (testFraction > 0 && test.length === 0 && train.length >= 2) {
    test.push(train.splice(Math.floor(random() * train.length), 1)[0]!);
  }
  return { train: shuffleInPlace(train, random), test: shuffleInPlace(test, random) };
}

/** Copies the chosen examples (in the given order) into a new split. */
export function gatherSplit(x: Float32Array, y: ArrayLike<number>, exampleSize: number, indices: readonly number[]): DataSplit {
  const outX = new Float32Array(indices.length * exampleSize);
  const outY = new Int32Array(indices.length);
  indices.forEach((source, target) => {
    outX.set(x.subarray(source * exampleSize, (source + 1) * exampleSize), target * exampleSize);
    outY[target] = y[source]!;
  });
  return { x: outX, y: outY, count: indices.length };
}

/** How many test examples to keep when the training set is capped at `limit`. */
export function limitedTestCount(testCount: number, trainCount: number, limit: number): number {
  if (limit >= trainCount) return testCount;
  const proportional = Math.ceil((testCount * limit) / Math.max(trainCount, 1));
  return Math.min(testCount, Math.max(proportional, minimumLimitedTestCount));
}

/** Caps the training set at `limit` examples (a seeded random sample) and the test set in proportion. */
export function applyLimit(dataset: Dataset, limit: number | undefined, seed: number): Dataset {
  if (limit === undefined || limit >= dataset.train.count) return dataset;
  const random = seededRandom(seed ^ 0x5eed);
  const exampleSize = dataset.exampleShape.reduce((a, b) => a * b, 1);
  const testCount = limitedTestCount(dataset.test.count, dataset.train.count, limit);
  const train = gatherSplit(dataset.train.x, dataset.train.y, exampleSize, sampleIndices(dataset.train.count, limit, random));
  const test =
    testCount >= dataset.test.count
      ? dataset.test
      : gatherSplit(dataset.test.x, dataset.test.y, exampleSize, sampleIndices(dataset.test.count, testCount, random));
  return { ...dataset, train, test };
}
