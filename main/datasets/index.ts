export type { DataSplit, Dataset, LoadDatasetOptions } from './dataset-types';
export { DatasetError, isDatasetError, type DatasetErrorCode } from './dataset-error';
export { parseDatasetRef, formatDatasetRef, type DatasetRef, type DatasetKind } from './dataset-ref';
export { loadDataset } from './load-dataset';
export { checkDatasetFits, type DatasetFit } from './check-fits';
export { listBuiltinDatasets, debianFashionMnistDir, type BuiltinDataset } from './builtin-datasets';
export { fashionMnistClassNames } from './idx-reader';
export { cifar10ClassNames } from './cifar10-reader';
export { resizeBilinear } from './bilinear-resize';
