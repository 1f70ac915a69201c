import { appVersion } from '../document';
import type { Shape } from '../shape';
import { emitWithBlockSections, tidyLines } from './block-sections';
import type { ExportModel } from './export-model';
import { IdentifierAllocator, toPascalCase, torchModuleAttributes } from './identifiers';
import { commentText, groupedNumber, paramsText, shapeText } from './literals';
import { pytorchTraining } from './pytorch-training';
import type { Layout, TorchInput, TorchLayerPlan } from './torch-layers';
import { torchLayerPlan } from './torch-layers';
import type { TorchWeightEntry } from './torch-weights-plan';

export interface PytorchExport {
  code: string;
  className: string;
  /** Where each TensorFlow.js weight goes in the module's state dict. */
  weights: TorchWeightEntry[];
}

/** Shape text as the tensor is held inside the module: (N, C, H, W) for channels-first images. */
function torchShapeText(shape: Shape, layout: Layout): string {
  const dims = shape.slice(1).map(String);
  const ordered = layout === 'nchw' && dims.length === 3 ? [dims[2], dims[0], dims[1]] : dims;
  return `(N, ${ordered.join(', ')})`;
}

/**
 * Plans the module: one submodule per layer with weights (or state), and the
 * forward statements with the layout conversions between them.
 */
export function planPytorch(model: ExportModel): { className: string; plans: Map<string, TorchLayerPlan>; weights: TorchWeightEntry[] } {
  const attributes = new IdentifierAllocator(torchModuleAttributes);
  const plans = new Map<string, TorchLayerPlan>();
  const weights: TorchWeightEntry[] = [];
  for (const layer of model.layers) {
    if (layer.kind === 'Input') continue;
    const plan = torchLayerPlan(layer, (base) => attributes.allocate(base));
    plans.set(layer.name, plan);
    weights.push(...plan.weights);
  }
  const title = toPascalCase(model.title, 'NetweaveModel');
  // A one-letter name would clash with the `F` import.
  return { className: title.length < 2 ? `${title}Net` : title, plans, weights };
}

export function emitPytorch(model: ExportModel, includeTraining: boolean): PytorchExport {
  const { className, plans, weights } = planPytorch(model);
  const locals = new IdentifierAllocator();
  for (const layer of model.layers) locals.claim(layer.variable);

  // Each tensor: its variable, its layout, and conversions already made.
  const held = new Map<string, { variable: string; layout: Layout; other?: string }>();
  const forward: string[] = [];
  const convert = (name: string, want: Layout): TorchInput => {
    const t = held.get(name)!;
    if (t.layout === want || model.byName.get(name)!.outputShape.length !== 4) return { variable: t.variable, layout: t.layout };
    if (!t.other) {
      t.other = locals.allocate(`${t.variable}_${want === 'nchw' ? 'nchw' : 'nhwc'}`);
      const permutation = want === 'nchw' ? '0, 3, 1, 2' : '0, 2, 3, 1';
      forward.push(`        ${t.other} = ${t.variable}.permute(${permutation})  # to ${want === 'nchw' ? 'channels-first' : 'channels-last'}`);
    }
    return { variable: t.other, layout: want };
  };

  const inputVars = model.inputs.map((n) => model.byName.get(n)!.variable);
  for (const name of model.inputs) held.set(name, { variable: model.byName.get(name)!.variable, layout: 'native' });

  const init = emitWithBlockSections(model, { indent: '        ', comment: '#', language: 'py' }, (layer) => {
    const plan = plans.get(layer.name);
    if (!plan || plan.init.length === 0) return [];
    const count = paramsText(layer.paramCount);
    // A frozen layer (Keras trainable=False): its modules and parameters get no gradient.
    const frozen = layer.config.trainable === false ? plan.init.flatMap((l) => (/^self\.(\w+) = /.exec(l) ? [`self.${/^self\.(\w+) = /.exec(l)![1]}.requires_grad_(False)  # frozen`] : [])) : [];
    return [`        # ${layer.name}: ${commentText(layer.description)}${count ? `, ${count}` : ''}`, ...[...plan.init, ...frozen].map((l) => `        ${l}`)];
  });

  const forwardSections = emitWithBlockSections(model, { indent: '        ', comment: '#', language: 'py' }, (layer) => {
    const plan = plans.get(layer.name);
    if (!plan) return [];
    forward.length = 0;
    const want = plan.inputLayout === 'any' ? held.get(layer.inputs[0]!)!.layout : plan.inputLayout;
    const inputs = layer.inputs.map((n) => convert(n, want));
    const step = plan.forward(inputs);
    held.set(layer.name, { variable: layer.variable, layout: step.layout });
    return [
      ...forward,
      ...step.comments.map((c) => `        # ${c}`),
      `        ${layer.variable} = ${step.expression}  # ${torchShapeText(layer.outputShape, step.layout)}`,
    ];
  });

  forward.length = 0;
  const results = model.outputs.map((n) => convert(n, 'native').variable);
  const returnLines = [...forward, `        return ${results.length === 1 ? results[0]! : `(${results.join(', ')})`}`];

  const { totals } = model;
  const inputShapes = model.inputs.map((n) => shapeText(model.byName.get(n)!.outputShape, 'py').replace('None', 'N')).join(' and ');
  const outputShapes = model.outputs.map((n) => shapeText(model.byName.get(n)!.outputShape, 'py').replace('None', 'N')).join(' and ');
  const body = [
    ...init,
    '',
    `    def forward(self, ${inputVars.join(', ')}):`,
    `        """Takes channels-last input ${inputShapes}, as the Netweave app does; returns ${outputShapes}."""`,
    ...forwardSections,
    ...returnLines,
  ];
  const usesFunctional = body.some((l) => /\bF\./.test(l));
  const out = [
    `"""${commentText(model.title).replace(/"/g, "'").replace(/\\/g, '/')}: generated by Netweave ${appVersion} for PyTorch.`,
    '',
    `${groupedNumber(totals.total)} parameters as Keras counts them: ${groupedNumber(totals.trainable)} trainable (PyTorch parameters)`,
    `and ${groupedNumber(totals.nonTrainable)} non-trainable (batch-norm running statistics, PyTorch buffers).`,
    'The module takes channels-last input like the app and works channels-first inside; layers follow Keras',
    "semantics ('same' padding, flatten order, batch-norm momentum and epsilon), so weights exported from the app",
    'give the same predictions. Needs PyTorch and NumPy (pip install torch numpy).',
    ...(model.layers.some((l) => l.kind === 'BatchNormalization')
      ? [
          '',
          "Batch norm: PyTorch's momentum weighs the new batch, so it is 1 − Keras' momentum. When training, PyTorch",
          'updates its running variance with the unbiased batch variance where Keras uses the biased one, so',
          'training goes on slightly differently; predictions (eval mode) are identical.',
        ]
      : []),
    '"""',
    'import json',
    'import os',
    '',
    'import numpy as np',
    'import torch',
    ...(usesFunctional || includeTraining ? ['import torch.nn.functional as F'] : []),
    'from torch import nn',
    '',
    '',
    `class ${className}(nn.Module):`,
    `    """${commentText(model.title).replace(/"/g, "'").replace(/\\/g, '/')}: layers in the order of the Netweave graph."""`,
    '',
    '    def __init__(self):',
    '        super().__init__()',
    ...body,
    '',
    ...loadWeightsMethod(),
    '',
    '',
    `def build_model() -> ${className}:`,
    `    return ${className}()`,
  ];
  if (includeTraining) out.push('', '', ...pytorchTraining(model));
  out.push(
    '',
    '',
    'if __name__ == "__main__":',
    ...(includeTraining
      ? ['    main()']
      : ['    net = build_model()', '    print(net)', '    print(sum(p.numel() for p in net.parameters()), "parameters")']),
  );
  return { code: tidyLines(out), className, weights };
}

function loadWeightsMethod(): string[] {
  return [
    '    def load_weights(self, path):',
    '        """Loads weights exported by Netweave (netweave export --to pytorch --weights DIR).',
    '',
    '        `path` is the JSON manifest; it names a little-endian float32 file beside it and, for each tensor,',
    '        its state-dict key, shape and byte offset, already in PyTorch\'s layout.',
    '        """',
    '        with open(path, encoding="utf-8") as f:',
    '            manifest = json.load(f)',
    '        data = np.fromfile(os.path.join(os.path.dirname(path), manifest["data"]), dtype="<f4")',
    '        state = {}',
    '        for entry in manifest["tensors"]:',
    '            start = entry["offset"] // 4',
    '            count = int(np.prod(entry["shape"]))',
    '            values = data[start:start + count].astype(np.float32).reshape(entry["shape"])',
    '            state[entry["key"]] = torch.from_numpy(values)',
    '        expected = {key for key in self.state_dict() if not key.endswith("num_batches_tracked")}',
    '        missing, unexpected = sorted(expected - state.keys()), sorted(state.keys() - expected)',
    '        if missing or unexpected:',
    '            raise ValueError(f"{path} does not fit this model: missing {missing}, unexpected {unexpected}")',
    '        self.load_state_dict(state, strict=False)',
    '        return self',
  ];
}
