import { DatasetError } from './dataset-error';

export type DatasetRef =
  | { kind: 'mnist' }
  | { kind: 'xor' }
  | { kind: 'idx'; path: string }
  | { kind: 'cifar10'; path: string }
  | { kind: 'csv'; path: string; labelColumn?: string }
  | { kind: 'folder'; path: string };

export type DatasetKind = DatasetRef['kind'];

const refForms = "'mnist', 'xor', 'idx:DIR', 'cifar10:DIR', 'csv:FILE' (optionally 'csv:FILE#label=COLUMN') or 'folder:DIR'";
const labelSuffix = '#label=';

/**
 * Reads a data set reference such as 'mnist', 'idx:/data/fashion' or 'csv:iris.csv#label=species'.
 * Returns the typed descriptor, or a DatasetError (code 'dataset-invalid-ref') as a value.
 */
export function parseDatasetRef(ref: string): DatasetRef | DatasetError {
  const text = ref.trim();
  if (text === '') return invalid(`The data set reference is empty: use ${refForms}.`);
  const lower = text.toLowerCase();
  if (lower === 'mnist') return { kind: 'mnist' };
  if (lower === 'xor') return { kind: 'xor' };

  const colon = text.indexOf(':');
  if (colon < 0) return invalid(`Unknown data set '${text}': use ${refForms}.`);
  const scheme = text.slice(0, colon).toLowerCase();
  let location = text.slice(colon + 1).trim();
  if (scheme !== 'idx' && scheme !== 'cifar10' && scheme !== 'csv' && scheme !== 'folder') {
    return invalid(`Unknown data set kind '${text.slice(0, colon)}' in '${text}': use ${refForms}.`);
  }

  let labelColumn: string | undefined;
  const labelAt = location.lastIndexOf(labelSuffix);
  if (labelAt >= 0) {
    if (scheme !== 'csv') return invalid(`'${labelSuffix}COLUMN' applies only to csv data sets: remove it from '${text}'.`);
    labelColumn = location.slice(labelAt + labelSuffix.length).trim();
    location = location.slice(0, labelAt).trim();
    if (labelColumn === '') return invalid(`'${text}' names no label column after '${labelSuffix}': write e.g. 'csv:${location || 'FILE'}#label=species'.`);
  }
  if (location === '') {
    const what = scheme === 'csv' ? 'FILE' : 'DIR';
    return invalid(`'${text}' names no ${scheme === 'csv' ? 'file' : 'folder'}: write '${scheme}:${what}'.`);
  }

  switch (scheme) {
    case 'idx':
      return { kind: 'idx', path: location };
    case 'cifar10':
      return { kind: 'cifar10', path: location };
    case 'folder':
      return { kind: 'folder', path: location };
    case 'csv':
      return labelColumn === undefined ? { kind: 'csv', path: location } : { kind: 'csv', path: location, labelColumn };
  }
}

/** The reference text of a descriptor; parseDatasetRef(formatDatasetRef(r)) gives r back. */
export function formatDatasetRef(ref: DatasetRef): string {
  switch (ref.kind) {
    case 'mnist':
    case 'xor':
      return ref.kind;
    case 'csv':
      return ref.labelColumn === undefined ? `csv:${ref.path}` : `csv:${ref.path}${labelSuffix}${ref.labelColumn}`;
    default:
      return `${ref.kind}:${ref.path}`;
  }
}

function invalid(message: string): DatasetError {
  return new DatasetError('dataset-invalid-ref', message);
}
