import type { Dataset } from './dataset-types';

const truthTable: [number, number, number][] = [
  [0, 0, 0],
  [0, 1, 1],
  [1, 0, 1],
  [1, 1, 0],
];
/** Enough repetitions of the four rows for a few batches per epoch. */
export const xorTrainCount = 256;

/** The XOR truth table: training repeats the four rows in order, the test set is the four rows once. */
export function buildXorDataset(): Dataset {
  const split = (count: number) => {
    const x = new Float32Array(count * 2);
    const y = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const [a, b, label] = truthTable[i % truthTable.length]!;
      x[i * 2] = a;
      x[i * 2 + 1] = b;
      y[i] = label;
    }
    return { x, y, count };
  };
  return {
    id: 'xor',
    name: 'XOR truth table',
    exampleShape: [2],
    numClasses: 2,
    classNames: ['0', '1'],
    train: split(xorTrainCount),
    test: split(truthTable.length),
    source: 'built in: the four rows of the XOR truth table',
  };
}
