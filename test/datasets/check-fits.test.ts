import { describe, expect, it } from 'vitest';
import { checkDatasetFits, type Dataset } from '../../main/datasets';

function fakeDataset(exampleShape: number[], classNames: string[]): Dataset {
  const empty = { x: new Float32Array(0), y: new Int32Array(0), count: 0 };
  return { id: 'test', name: 'Sample', exampleShape, numClasses: classNames.length, classNames, train: empty, test: empty, source: 'test' };
}

const digits = fakeDataset([28, 28, 1], ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
const cifar = fakeDataset([32, 32, 3], ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']);
const xor = fakeDataset([2], ['0', '1']);
const iris = fakeDataset([4], ['setosa', 'versicolor', 'virginica']);

function mismatch(ds: Dataset, input: (number | null)[], output: (number | null)[]): string {
  const fit = checkDatasetFits(ds, input, output);
  expect(fit.ok).toBe(false);
  if (fit.ok) return '';
  expect(fit.code).toBe('dataset-shape-mismatch');
  return fit.message;
}

describe('checkDatasetFits', () => {
  it.each([
    ['images into the same image input', digits, [null, 28, 28, 1], [null, 10]],
    ['images into a flat input of the same size', digits, [null, 784], [null, 10]],
    ['a flat vector into an image input of the same size', fakeDataset([784], ['a', 'b']), [null, 28, 28, 1], [null, 2]],
    ['two classes into one sigmoid unit', xor, [null, 2], [null, 1]],
    ['two classes into two softmax units', xor, [null, 2], [null, 2]],
    ['colour images into an input with free height and width', cifar, [null, null, null, 3], [null, 10]],
  ])('accepts %s', (_, ds, input, output) => {
    expect(checkDatasetFits(ds, input, output)).toEqual({ ok: true });
  });

  it('names each disagreeing image dimension', () => {
    const message = mismatch(cifar, [null, 28, 28, 1], [null, 10]);
    expect(message).toContain("the data set's images are 32×32×3 but the Input layer expects 28×28×1");
    expect(message).toContain('height 32 ≠ 28');
    expect(message).toContain('width 32 ≠ 28');
    expect(message).toContain('channels 3 ≠ 1');
    expect(message).toContain('[32, 32, 3]');
    expect(message).not.toMatch(/output/);
  });

  it('names only the dimension that disagrees', () => {
    const message = mismatch(digits, [null, 28, 28, 3], [null, 10]);
    expect(message).toContain('channels 1 ≠ 3');
    expect(message).not.toMatch(/height|width/);
  });

  it('compares value counts when the ranks differ', () => {
    const message = mismatch(xor, [null, 28, 28, 1], [null, 2]);
    expect(message).toContain('vectors of 2 values');
    expect(message).toContain('2 values per example ≠ 784');
    const flat = mismatch(digits, [null, 100], [null, 10]);
    expect(flat).toContain('784 values per example ≠ 100');
  });

  it('checks fixed dimensions when the input has free ones', () => {
    const message = mismatch(digits, [null, null, null, 3], [null, 10]);
    expect(message).toContain('channels 1 ≠ 3');
    expect(mismatch(iris, [null, null, null, 3], [null, 3])).toMatch(/1 dimensions ≠ 3/);
  });

  it('requires one output unit per class, naming the classes', () => {
    const message = mismatch(iris, [null, 4], [null, 10]);
    expect(message).toContain('10 units');
    expect(message).toContain('3 classes (setosa, versicolor, virginica)');
    expect(message).toContain('units to 3');
    expect(message).not.toMatch(/Input layer/);
    expect(mismatch(cifar, [null, 32, 32, 3], [null, 1])).toContain('1 unit but the data set has 10 classes (airplane, automobile, bird, cat, deer, …)');
    expect(mismatch(xor, [null, 2], [null, 3])).toContain('2 (softmax) or 1 (sigmoid)');
    expect(mismatch(xor, [null, 2], [null, null])).toContain('unknown number of units');
  });

  it('says an output of one unit per input value reconstructs the input (an autoencoder), which trains against labels only here', () => {
    const message = mismatch(digits, [null, 784], [null, 784]);
    expect(message).toContain('784 units, one per input value');
    expect(message).toContain('autoencoder');
    expect(message).toMatch(/PyTorch or Keras/);
    expect(message).not.toContain("set the last layer's units");
  });

  it('refuses an output that is not one vector per example', () => {
    expect(mismatch(digits, [null, 28, 28, 1], [null, 7, 7, 10])).toMatch(/\[\?, 7, 7, 10\].*Flatten/);
  });

  it('reports input and output problems together', () => {
    const message = mismatch(cifar, [null, 28, 28, 1], [null, 5]);
    expect(message).toContain('height 32 ≠ 28');
    expect(message).toContain('5 units');
  });
});
