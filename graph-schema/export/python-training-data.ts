import { commentText, pyLiteral, pyString } from './literals';
import type { TrainingPlan } from './training-plan';
import { datasetFormatNotes, datasetName, exampleCount } from './training-plan';

/** Python settings dictionary, the same in the Keras and PyTorch exports. */
export function pythonSettings(plan: TrainingPlan): string[] {
  const s = plan.settings;
  return [
    '# The training settings of the Netweave project.',
    'TRAINING_SETTINGS = {',
    `    "optimizer": ${pyString(s.optimizer)},`,
    `    "learning_rate": ${s.learningRate},`,
    `    "loss": ${pyString(s.loss)},`,
    `    "batch_size": ${s.batchSize},`,
    `    "epochs": ${s.epochs},`,
    `    "validation_split": ${s.validationSplit},`,
    `    "shuffle": ${s.shuffle ? 'True' : 'False'},`,
    `    "dataset": ${pyString(s.dataset)},`,
    '}',
  ];
}

function labels(plan: TrainingPlan, variable: string, classes: number): string[] {
  switch (plan.labels) {
    case 'indices':
      return [`    y = ${variable}.astype(np.int64)`];
    case 'single':
      return [`    y = ${variable}.astype(np.float32).reshape(-1, 1)`];
    case 'one-hot':
      return [`    y = np.eye(${Math.max(classes, plan.outputUnits)}, dtype=np.float32)[${variable}]`];
  }
}

/**
 * `load_data()` returning numpy arrays: x channels-last (n, *input shape) in
 * float32, y as the loss expects. MNIST comes from Keras' or torchvision's
 * downloader, whichever the target has.
 */
export function pythonLoader(plan: TrainingPlan, mnistSource: 'keras' | 'torchvision'): string[] {
  const shape = pyLiteral(plan.inputShape);
  switch (plan.dataset.kind) {
    case 'mnist': {
      if (exampleCount(plan.inputShape) !== 784) return stub(plan, [`MNIST digits have 28×28 = 784 pixels but this model takes ${shape}.`]);
      const fetch =
        mnistSource === 'keras'
          ? ['    (images, digits), _ = keras.datasets.mnist.load_data()']
          : [
              '    from torchvision.datasets import MNIST  # pip install torchvision',
              '',
              '    train_set = MNIST(root, train=True, download=True)',
              '    images, digits = train_set.data.numpy(), train_set.targets.numpy()',
            ];
      return [
        `def load_data(${mnistSource === 'keras' ? '' : 'root="data"'}):`,
        `    """The 60,000 MNIST training digits (downloaded on first use), pixels in [0, 1], shaped ${shape}."""`,
        ...fetch,
        `    x = (images.astype(np.float32) / 255.0).reshape((-1,) + ${shape})`,
        ...labels(plan, 'digits', 10),
        '    return x, y',
      ];
    }
    case 'xor':
      if (exampleCount(plan.inputShape) !== 2) return stub(plan, [`XOR examples have 2 values but this model takes ${shape}.`]);
      return [
        'def load_data():',
        '    """The XOR truth table: four examples, label 1 where exactly one input is 1."""',
        `    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32).reshape((-1,) + ${shape})`,
        '    truth = np.array([0, 1, 1, 0])',
        ...labels(plan, 'truth', 2),
        '    return x, y',
      ];
    case 'unknown':
      return stub(plan, ['This is not a data set reference Netweave knows.']);
    default:
      return stub(plan, datasetFormatNotes(plan.dataset.kind));
  }
}

function stub(plan: TrainingPlan, notes: string[]): string[] {
  const target = plan.labels === 'indices' ? '(n,) class indices' : plan.labels === 'single' ? '(n, 1) targets' : `(n, ${plan.outputUnits}) one-hot labels`;
  return [
    'def load_data():',
    `    """The project trains on "${commentText(datasetName(plan)).replace(/\\/g, '\\\\').replace(/"/g, "'")}". Load it here:`,
    '',
    ...notes.map((n) => `    ${n}`),
    `    Return x as float32 of shape (n, ${plan.inputShape.join(', ')}) and y as ${target}.`,
    '    """',
    '    raise NotImplementedError("load_data() is a stub: load the data set as its docstring describes.")',
  ];
}
