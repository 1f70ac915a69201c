/** One side of a data set: examples laid out one after another, plus their class indices. */
export interface DataSplit {
  /** Row-major values, `count` examples each of `Dataset.exampleShape`. */
  x: Float32Array;
  /** Class index of each example, in [0, numClasses). */
  y: Int32Array;
  count: number;
}

export interface Dataset {
  /** The reference it was loaded from, with any path made absolute: 'mnist', 'idx:/data/fashion', … */
  id: string;
  /** A name for people: 'Fashion-MNIST (IDX)', 'XOR truth table', … */
  name: string;
  /** Shape of one example, without the batch dimension: [28, 28, 1], [2], … */
  exampleShape: number[];
  numClasses: number;
  classNames: string[];
  train: DataSplit;
  test: DataSplit;
  /** Where the values came from (files, package), for logs and the UI. */
  source: string;
  /** The example shape as read, when the images were resized or converted to the requested image size. */
  adaptedFrom?: number[];
}

export interface LoadDatasetOptions {
  /** Caps the number of training examples; the test set shrinks in proportion (never below 100 or its size). */
  limit?: number;
  /**
   * [height, width, channels] the images must have (the graph's Input): images of any image data set
   * (folder, mnist, IDX, CIFAR-10) are resized (bilinear) and converted (1 = grey, 3 = RGB); other data sets are left as they are.
   */
  imageSize?: [number, number, number];
  /** Share of the examples held out for testing where the source has no split of its own (csv, folder, mnist). Default 0.2. */
  testFraction?: number;
  /** Seed of the shuffles and splits; the same seed gives the same data set. */
  seed?: number;
  /** Folder that relative paths in the reference are resolved against (e.g. the project file's folder). Default: the working directory. */
  baseDir?: string;
  onProgress?: (fraction: number, message: string) => void;
}

