import path from 'node:path';
import type { Dataset } from './dataset-types';
import { DatasetError } from './dataset-error';
import { gunzipDatasetFile, readDatasetFile } from './file-access';
import { parseCsv } from './csv-parse';
import { gatherSplit, stratifiedSplit } from './split';
import { seededRandom } from './seeded-random';
import { formatCount } from './byte-scaling';
import type { ReaderContext } from './reader-context';

const decimalNumber = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Reads a CSV table with a header row: numeric feature columns and one label column
 * (the one named, else 'label', else the last). Labels may be numbers or text; classes are
 * their distinct values in sorted order. Values are used as they are (no scaling).
 */
export async function readCsvDataset(file: string, labelColumn: string | undefined, context: ReaderContext): Promise<Dataset> {
  context.progress(0, `Reading ${file}`);
  let bytes = await readDatasetFile(file);
  if (file.endsWith('.gz')) bytes = await gunzipDatasetFile(bytes, file);
  const records = parseCsv(bytes.toString('utf8'), file);
  const [header, ...rows] = records;
  if (header === undefined) throw new DatasetError('dataset-empty', `${file} is empty: a CSV data set needs a header row and at least one data row.`);
  const columns = header.cells.map((name) => name.trim());
  const labelIndex = findLabelColumn(columns, labelColumn, file);
  if (columns.length < 2) {
    throw new DatasetError('dataset-corrupt', `${file}, line ${header.line}: the header has ${columns.length} column; a CSV data set needs at least one feature column and a label column.`);
  }
  if (rows.length === 0) throw new DatasetError('dataset-empty', `${file} has a header but no data rows: add examples below the header.`);
  context.progress(0.4, `Parsed ${formatCount(rows.length)} rows`);

  const featureCount = columns.length - 1;
  const x = new Float32Array(rows.length * featureCount);
  const labelTexts: string[] = new Array(rows.length);
  rows.forEach((row, r) => {
    if (row.cells.length !== columns.length) {
      throw new DatasetError(
        'dataset-corrupt',
        `${file}, line ${row.line}: the row has ${row.cells.length} cells but the header has ${columns.length} columns: every row needs one value per column.`,
      );
    }
    let f = 0;
    row.cells.forEach((raw, c) => {
      const cell = raw.trim();
      if (c === labelIndex) {
        if (cell === '') throw new DatasetError('dataset-corrupt', `${file}, line ${row.line}, column ${c + 1} ('${columns[c]}'): the label is empty: give every row a label.`);
        labelTexts[r] = cell;
        return;
      }
      const value = Number(cell);
      if (decimalNumber.test(cell) && !Number.isFinite(value)) {
        throw new DatasetError(
          'dataset-corrupt',
          `${file}, line ${row.line}, column ${c + 1} ('${columns[c]}'): the number is too large for 32-bit floats (it becomes infinite). Scale the column or fix the cell.`,
        );
      }
      if (!decimalNumber.test(cell) || !Number.isFinite(Math.fround(value))) {
        // The cell itself is not quoted: an error message never carries a file's contents.
        const shown = cell === '' ? 'the cell is empty' : !decimalNumber.test(cell) ? 'the cell is not a number' : 'the number is too large for 32-bit floats (it becomes infinite)';
        throw new DatasetError(
          'dataset-corrupt',
          `${file}, line ${row.line}, column ${c + 1} ('${columns[c]}'): ${shown}. Feature columns must hold numbers; fix the cell or remove the row (or name the label column with '#label=COLUMN').`,
        );
      }
      x[r * featureCount + f++] = value;
    });
  });

  const { classNames, classOf } = classesOf(labelTexts);
  if (classNames.length < 2) {
    throw new DatasetError('dataset-empty', `${file}: the label column '${columns[labelIndex]}' holds a single value ('${classNames[0]}'): a classification data set needs at least two classes.`);
  }
  const y = Int32Array.from(labelTexts, (text) => classOf.get(labelKey(text))!);
  const { train, test } = stratifiedSplit(y, classNames.length, context.testFraction, seededRandom(context.seed));
  context.progress(1, `Loaded ${formatCount(rows.length)} rows`);
  return {
    id: context.id,
    name: `${path.basename(file)} (CSV)`,
    exampleShape: [featureCount],
    numClasses: classNames.length,
    classNames,
    train: gatherSplit(x, y, featureCount, train),
    test: gatherSplit(x, y, featureCount, test),
    source: `${file}: ${formatCount(rows.length)} rows, features ${columns.filter((_, c) => c !== labelIndex).join(', ')}; label '${columns[labelIndex]}'`,
  };
}

function findLabelColumn(columns: string[], named: string | undefined, file: string): number {
  if (named !== undefined) {
    const index = columns.indexOf(named);
    if (index < 0) {
      throw new DatasetError(
        'dataset-corrupt',
        `${file} has no column named '${named}' (its columns are ${columns.map((c) => `'${c}'`).join(', ')}): name the label column with '#label=COLUMN'.`,
      );
    }
    return index;
  }
  const labelIndex = columns.indexOf('label');
  return labelIndex >= 0 ? labelIndex : columns.length - 1;
}

/** Numeric labels compare as numbers ('2' before '10', '1' equals '1.0'); text labels as strings. */
function labelKey(text: string): string {
  return decimalNumber.test(text) ? String(Number(text)) : text;
}

function classesOf(labelTexts: string[]): { classNames: string[]; classOf: Map<string, number> } {
  const keys = [...new Set(labelTexts.map(labelKey))];
  const numeric = labelTexts.every((t) => decimalNumber.test(t));
  keys.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { classNames: keys, classOf: new Map(keys.map((key, index) => [key, index])) };
}
