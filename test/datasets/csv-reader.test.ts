import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DatasetError, loadDataset, type Dataset } from '../../main/datasets';
import { makeTempDir, removeDir, rowsOf } from './fixture-files';

let root: string;
beforeAll(async () => {
  root = await makeTempDir();
});
afterAll(async () => {
  await removeDir(root);
});

async function csvFile(name: string, text: string | Buffer): Promise<string> {
  const file = path.join(root, name);
  await writeFile(file, text);
  return file;
}

async function loadError(ref: string): Promise<DatasetError> {
  const error = await loadDataset(ref).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DatasetError);
  return error as DatasetError;
}

/** Every example of both splits as "features|class name", sorted: order-free comparison with the file. */
function examplesOf(ds: Dataset): string[] {
  const all = [ds.train, ds.test].flatMap((split) =>
    rowsOf(split.x, split.count).map((row, i) => `${row.join(',')}|${ds.classNames[split.y[i]!]}`),
  );
  return all.sort();
}

describe('csv reader', () => {
  it('reads features and string labels (quoted, with commas), CRLF line ends, a byte-order mark and blank lines', async () => {
    const text = '\uFEFFwidth,height,city\r\n1.5,-2,"New York, NY"\r\n3,4e1,Paris\r\n\r\n.25,0,"Say ""hi"""\r\n7,8,Paris\r\n\r\n';
    const file = await csvFile('cities.csv', text);
    const ds = await loadDataset(`csv:${file}`, { testFraction: 0 });
    expect(ds.exampleShape).toEqual([2]);
    expect(ds.classNames).toEqual(['New York, NY', 'Paris', 'Say "hi"']);
    expect(ds.numClasses).toBe(3);
    expect(ds.train.count + ds.test.count).toBe(4);
    expect(examplesOf(ds)).toEqual(['1.5,-2|New York, NY', '3,40|Paris', '0.25,0|Say "hi"', '7,8|Paris'].sort());
  });

  it("uses the column named 'label' wherever it is, else the last column, else the one named in the reference", async () => {
    const file = await csvFile('middle.csv', 'a,label,b\n1,x,2\n3,y,4\n');
    const ds = await loadDataset(`csv:${file}`, { testFraction: 0 });
    expect(examplesOf(ds)).toEqual(['1,2|x', '3,4|y']);
    const named = await csvFile('named.csv', 'species,len,wid\nsetosa,1,2\nvirginica,3,4\n');
    const byName = await loadDataset(`csv:${named}#label=species`, { testFraction: 0 });
    expect(examplesOf(byName)).toEqual(['1,2|setosa', '3,4|virginica']);
    expect(byName.id).toBe(`csv:${named}#label=species`);
  });

  it('sorts numeric labels as numbers and treats 1 and 1.0 as one class', async () => {
    const file = await csvFile('numeric.csv', 'f,label\n0,10\n1,2\n2,1\n3,1.0\n4,2\n');
    const ds = await loadDataset(`csv:${file}`, { testFraction: 0 });
    expect(ds.classNames).toEqual(['1', '2', '10']);
    expect(examplesOf(ds)).toEqual(['0|10', '1|2', '2|1', '3|1', '4|2'].sort());
  });

  it('splits class by class with the test fraction, deterministically by seed', async () => {
    const lines = ['x,y,label'];
    for (let i = 0; i < 10; i++) lines.push(`${i},${i * 2},a`);
    for (let i = 0; i < 5; i++) lines.push(`${100 + i},0,b`);
    const file = await csvFile('split.csv', `${lines.join('\n')}\n`);
    const ds = await loadDataset(`csv:${file}`, { seed: 7 });
    // round(10 · 0.2) = 2 of class a, round(5 · 0.2) = 1 of class b.
    expect(ds.test.count).toBe(3);
    expect(ds.train.count).toBe(12);
    const testClasses = Array.from(ds.test.y).sort();
    expect(testClasses).toEqual([0, 0, 1]);
    expect(examplesOf(ds)).toHaveLength(15);
    expect(new Set(examplesOf(ds)).size).toBe(15);
    const same = await loadDataset(`csv:${file}`, { seed: 7 });
    expect(Array.from(same.train.x)).toEqual(Array.from(ds.train.x));
    expect(Array.from(same.test.y)).toEqual(Array.from(ds.test.y));
    const other = await loadDataset(`csv:${file}`, { seed: 8 });
    expect(Array.from(other.train.x)).not.toEqual(Array.from(ds.train.x));
    const half = await loadDataset(`csv:${file}`, { testFraction: 0.5 });
    expect(half.test.count).toBe(5 + 3); // round(5) + round(2.5) = 5 + 3
  });

  it('reads a gzipped CSV', async () => {
    const file = await csvFile('packed.csv.gz', gzipSync(Buffer.from('p,q\n1,a\n2,b\n')));
    const ds = await loadDataset(`csv:${file}`, { testFraction: 0 });
    expect(examplesOf(ds)).toEqual(['1|a', '2|b']);
  });

  it('refuses a non-numeric feature, naming line, column and header', async () => {
    const file = await csvFile('text-cell.csv', 'a,b,label\n1,2,x\n3,4,y\n5,five,x\n');
    const error = await loadError(`csv:${file}`);
    expect(error.code).toBe('dataset-corrupt');
    expect(error.message).toContain('text-cell.csv');
    expect(error.message).toContain('line 4, column 2');
    expect(error.message).toContain("('b')");
    // The cell itself is not quoted: error messages never carry a file's contents.
    expect(error.message).toContain('the cell is not a number');
    expect(error.message).not.toContain('five');
  });

  it('counts lines inside quoted fields when naming a line', async () => {
    const file = await csvFile('multiline.csv', 'a,label\n1,"two\nlines"\n,x\n');
    const error = await loadError(`csv:${file}`);
    expect(error.code).toBe('dataset-corrupt');
    expect(error.message).toContain('line 4, column 1');
    expect(error.message).toMatch(/empty/);
  });

  it('refuses a ragged row', async () => {
    const file = await csvFile('ragged.csv', 'a,b,label\n1,2,x\n3,y\n');
    const error = await loadError(`csv:${file}`);
    expect(error.code).toBe('dataset-corrupt');
    expect(error.message).toContain('line 3');
    expect(error.message).toMatch(/2 cells .* 3 columns/);
  });

  it('refuses a label column that is not there, listing the columns', async () => {
    const file = await csvFile('no-label.csv', 'a,b,c\n1,2,3\n');
    const error = await loadError(`csv:${file}#label=species`);
    expect(error.code).toBe('dataset-corrupt');
    expect(error.message).toContain("no column named 'species'");
    expect(error.message).toContain("'a', 'b', 'c'");
  });

  it('refuses an unclosed quote, an empty label, a lone column, a single class, empty files and missing files', async () => {
    const unclosed = await loadError(`csv:${await csvFile('unclosed.csv', 'a,label\n1,"x\n2,y\n')}`);
    expect(unclosed.code).toBe('dataset-corrupt');
    expect(unclosed.message).toContain('line 2');
    const emptyLabel = await loadError(`csv:${await csvFile('empty-label.csv', 'a,label\n1,x\n2, \n')}`);
    expect(emptyLabel.code).toBe('dataset-corrupt');
    expect(emptyLabel.message).toContain('line 3, column 2');
    const lone = await loadError(`csv:${await csvFile('lone.csv', 'label\nx\ny\n')}`);
    expect(lone.code).toBe('dataset-corrupt');
    const single = await loadError(`csv:${await csvFile('single.csv', 'a,label\n1,x\n2,x\n')}`);
    expect(single.code).toBe('dataset-empty');
    expect((await loadError(`csv:${await csvFile('empty.csv', '')}`)).code).toBe('dataset-empty');
    expect((await loadError(`csv:${await csvFile('header-only.csv', 'a,label\n')}`)).code).toBe('dataset-empty');
    const missing = await loadError(`csv:${path.join(root, 'absent.csv')}`);
    expect(missing.code).toBe('dataset-not-found');
    expect(missing.message).toContain('absent.csv');
    expect((await loadError(`csv:${root}`)).code).toBe('dataset-not-found');
  });

  it('refuses numbers written in forms that are not plain decimals', async () => {
    for (const cell of ['0x10', 'NaN', 'Infinity', '1,5', '1 2']) {
      const quoted = cell.includes(',') ? `"${cell}"` : cell;
      const file = await csvFile('odd-number.csv', `a,label\n${quoted},x\n2,y\n`);
      const error = await loadError(`csv:${file}`);
      expect(error.code, cell).toBe('dataset-corrupt');
      expect(error.message).toContain('line 2, column 1');
    }
  });
});
