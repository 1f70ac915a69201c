import type { ExportModel } from './export-model';
import { pythonLoader, pythonSettings } from './python-training-data';
import { trainingPlan } from './training-plan';

// TensorFlow.js' optimizers with their defaults, spelled in PyTorch.
const optimizers: Record<string, string> = {
  sgd: 'torch.optim.SGD(model.parameters(), lr=lr)',
  momentum: 'torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)',
  rmsprop: 'torch.optim.RMSprop(model.parameters(), lr=lr, alpha=0.9, eps=1e-7)',
  adagrad: 'torch.optim.Adagrad(model.parameters(), lr=lr, initial_accumulator_value=0.1)',
  adam: 'torch.optim.Adam(model.parameters(), lr=lr, eps=1e-7)',
};

// Keras losses on probabilities (the model ends with its own activation), clipped as Keras clips them.
const losses: Record<string, string[]> = {
  categoricalCrossentropy: [
    '    probabilities = outputs / outputs.sum(dim=-1, keepdim=True)',
    '    return -(targets * torch.log(probabilities.clamp(1e-7, 1 - 1e-7))).sum(dim=-1).mean()',
  ],
  sparseCategoricalCrossentropy: ['    return F.nll_loss(torch.log(outputs.clamp(1e-7, 1 - 1e-7)), targets)'],
  binaryCrossentropy: ['    return F.binary_cross_entropy(outputs.clamp(1e-7, 1 - 1e-7), targets)'],
  meanSquaredError: ['    return F.mse_loss(outputs, targets)'],
};

export function pytorchTraining(model: ExportModel): string[] {
  const plan = trainingPlan(model);
  const s = plan.settings;
  return [
    ...pythonSettings(plan),
    '',
    '',
    ...pythonLoader(plan, 'torchvision'),
    '',
    '',
    'def compute_loss(outputs, targets):',
    `    """Keras' ${s.loss} on the model's outputs."""`,
    ...losses[s.loss]!,
    '',
    '',
    'def train(model=None, epochs=TRAINING_SETTINGS["epochs"]):',
    '    """Trains as Keras\' fit does: the last validation_split of the examples is held out before',
    '    shuffling, and the training examples are reshuffled every epoch."""',
    '    model = model or build_model()',
    '    x, y = (torch.from_numpy(a) for a in load_data())',
    '    held_out = int(len(x) * TRAINING_SETTINGS["validation_split"])',
    '    split = len(x) - held_out',
    '    lr = TRAINING_SETTINGS["learning_rate"]',
    `    optimizer = ${optimizers[s.optimizer]}`,
    '    batch_size = TRAINING_SETTINGS["batch_size"]',
    '    for epoch in range(epochs):',
    '        model.train()',
    '        order = torch.randperm(split) if TRAINING_SETTINGS["shuffle"] else torch.arange(split)',
    '        total = 0.0',
    '        for start in range(0, split, batch_size):',
    '            index = order[start:start + batch_size]',
    '            optimizer.zero_grad()',
    '            loss = compute_loss(model(x[index]), y[index])',
    '            loss.backward()',
    '            optimizer.step()',
    '            total += loss.item() * len(index)',
    '        message = f"epoch {epoch + 1}/{epochs}: loss {total / split:.4f}"',
    '        if held_out:',
    '            model.eval()',
    '            with torch.no_grad():',
    '                message += f", validation loss {compute_loss(model(x[split:]), y[split:]).item():.4f}"',
    '        print(message)',
    '    model.eval()',
    '    return model',
  ];
}
