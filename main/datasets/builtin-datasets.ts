import { access } from 'node:fs/promises';

export interface BuiltinDataset {
  ref: string;
  name: string;
  description: string;
}

/** Where Debian's dataset-fashion-mnist package puts the IDX files. */
export const debianFashionMnistDir = '/usr/share/datasets/fashion-mnist';

/** The data sets that need nothing from the user: always MNIST and XOR, plus Fashion-MNIST where Debian installed it. */
export async function listBuiltinDatasets(): Promise<BuiltinDataset[]> {
  const list: BuiltinDataset[] = [
    { ref: 'mnist', name: 'MNIST digits', description: '10,000 handwritten digits, 28×28 grey, 10 classes (8,000 train / 2,000 test).' },
    { ref: 'xor', name: 'XOR truth table', description: 'The four rows of XOR, 2 inputs, 2 classes: the classic problem a single layer cannot solve.' },
  ];
  try {
    await access(`${debianFashionMnistDir}/train-images-idx3-ubyte.gz`);
    list.push({
      ref: `idx:${debianFashionMnistDir}`,
      name: 'Fashion-MNIST',
      description: '70,000 clothing images, 28×28 grey, 10 classes (60,000 train / 10,000 test).',
    });
  } catch {
    // Not installed: nothing to offer.
  }
  return list;
}
