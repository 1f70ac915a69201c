import { DatasetError } from './dataset-error';

export interface CsvRecord {
  cells: string[];
  /** 1-based line of the file where the record starts. */
  line: number;
}

/**
 * Splits CSV text into records (RFC 4180: comma-separated, fields in double quotes may hold
 * commas, line breaks and doubled quotes). Blank lines are skipped.
 */
export function parseCsv(text: string, file: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteOpenedOnLine = 0;
  let fieldStarted = false;
  const endRecord = () => {
    cells.push(field);
    const blank = cells.length === 1 && cells[0] === '' && !fieldStarted;
    if (!blank) records.push({ cells, line: recordLine });
    cells = [];
    field = '';
    fieldStarted = false;
  };
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // byte-order mark
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      fieldStarted = true;
      quoteOpenedOnLine = line;
    } else if (ch === ',') {
      cells.push(field);
      field = '';
      fieldStarted = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += ch;
    }
  }
  if (quoted) {
    throw new DatasetError('dataset-corrupt', `${file}, line ${quoteOpenedOnLine}: a quoted field is never closed (missing '"'): close the quote.`);
  }
  if (field !== '' || cells.length > 0 || fieldStarted) endRecord();
  return records;
}
