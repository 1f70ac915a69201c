import { describe, expect, it } from 'vitest';
import { DatasetError, formatDatasetRef, loadDataset, parseDatasetRef } from '../../main/datasets';

describe('parseDatasetRef', () => {
  it.each([
    ['mnist', { kind: 'mnist' }],
    ['  MNIST ', { kind: 'mnist' }],
    ['xor', { kind: 'xor' }],
    ['idx:/data/fashion', { kind: 'idx', path: '/data/fashion' }],
    ['IDX:relative/dir', { kind: 'idx', path: 'relative/dir' }],
    ['cifar10:/data/cifar', { kind: 'cifar10', path: '/data/cifar' }],
    ['csv:iris.csv', { kind: 'csv', path: 'iris.csv' }],
    ['csv:iris.csv#label=species', { kind: 'csv', path: 'iris.csv', labelColumn: 'species' }],
    ['csv:C:\\data\\my file.csv#label=class name', { kind: 'csv', path: 'C:\\data\\my file.csv', labelColumn: 'class name' }],
    ['csv:notes#1.csv', { kind: 'csv', path: 'notes#1.csv' }],
    ['folder:images', { kind: 'folder', path: 'images' }],
    ['folder:/a:b/c', { kind: 'folder', path: '/a:b/c' }],
  ])('reads %j', (ref, expected) => {
    expect(parseDatasetRef(ref)).toEqual(expected);
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['imagenet', /Unknown data set 'imagenet'/],
    ['http://example.com/data', /Unknown data set kind 'http'/],
    ['idx:', /names no folder/],
    ['csv:   ', /names no file/],
    ['csv:a.csv#label=', /names no label column/],
    ['folder:imgs#label=x', /applies only to csv/],
  ])('refuses %j with dataset-invalid-ref', (ref, message) => {
    const result = parseDatasetRef(ref);
    expect(result).toBeInstanceOf(DatasetError);
    expect((result as DatasetError).code).toBe('dataset-invalid-ref');
    expect((result as DatasetError).message).toMatch(message);
    // Every refusal says which forms are accepted or what to write instead.
    expect((result as DatasetError).message).toMatch(/use|write|remove/);
  });

  it('round-trips through formatDatasetRef', () => {
    for (const ref of ['mnist', 'xor', 'idx:/d', 'cifar10:c', 'csv:f.csv', 'csv:f.csv#label=y', 'folder:/x/y']) {
      const parsed = parseDatasetRef(ref);
      expect(parsed).not.toBeInstanceOf(DatasetError);
      expect(formatDatasetRef(parsed as Exclude<typeof parsed, DatasetError>)).toBe(ref);
    }
  });
});

describe('loadDataset refusals before reading anything', () => {
  it('rejects a bad reference with its code', async () => {
    await expect(loadDataset('nonsense')).rejects.toMatchObject({ code: 'dataset-invalid-ref' });
  });

  it.each([
    [{ limit: 0 }, /limit/],
    [{ limit: 2.5 }, /limit/],
    [{ testFraction: 1 }, /test fraction/],
    [{ testFraction: -0.1 }, /test fraction/],
    [{ imageSize: [28, 28, 4] as [number, number, number] }, /channels/],
    [{ imageSize: [0, 28, 1] as [number, number, number] }, /image size/],
    [{ seed: Number.NaN }, /seed/],
  ])('rejects options %j', async (options, message) => {
    const error = await loadDataset('xor', options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).code).toBe('dataset-invalid-ref');
    expect((error as DatasetError).message).toMatch(message);
  });
});
