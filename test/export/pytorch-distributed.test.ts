import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportPytorch } from '../../graph-schema/export/export-code';
import { exportToFiles } from '../../main/export/export-files';
import { projectTempDir, python, runPythonJson, templateDocument, torchStatus } from './export-test-utils';

// The exported training script: numpy-only readers for every data-set reference, and a loop that
// runs on one process or under torchrun with DistributedDataParallel (gloo on CPU).
const torch = torchStatus();
const fashionDir = '/usr/share/datasets/fashion-mnist';
const torchrun = '/usr/bin/torchrun';
const distributedReason = !torch.available
  ? torch.reason
  : !existsSync(torchrun)
    ? `${torchrun} is missing (Debian's python3-torch provides it)`
    : !existsSync(fashionDir)
      ? `${fashionDir} is missing (install dataset-fashion-mnist)`
      : null;
if (distributedReason) console.warn(`Distributed training-script test skipped: ${distributedReason}`);
if (!torch.available) console.warn(`Training-script reader tests skipped: ${torch.reason}`);

interface Figures {
  epoch: number;
  processes: number;
  loss: number;
  accuracy: number;
  test_loss: number;
  test_accuracy: number;
}

const scratch = projectTempDir('torch-ddp');
afterAll(() => scratch.remove());

function lastJsonLine(text: string): Figures {
  const line = text
    .split('\n')
    .map((l) => l.replace(/^\[[^\]]*\]:/, ''))
    .filter((l) => l.startsWith('{'))
    .pop();
  if (!line) throw new Error(`no JSON line in:\n${text.slice(-2000)}`);
  return JSON.parse(line) as Figures;
}

describe.skipIf(distributedReason !== null)('exported PyTorch training script under torchrun', () => {
  it('trains LeNet-5 one epoch on Fashion-MNIST IDX files on 2 processes with the loss of the single-process run', async () => {
    const script = path.join(scratch.dir, 'lenet5_train.py');
    const written = await exportToFiles({ document: templateDocument('lenet5'), target: 'pytorch', output: script, includeTraining: true });
    // lenet5 trains on the built-in digits: the export writes them beside the script as IDX files.
    expect(written.some((f) => f.endsWith(path.join('lenet5_train_data', 'train-images-idx3-ubyte')))).toBe(true);
    // The first 12,000 of the 60,000 training images keep the test short; the test split is all 10,000.
    const args = [script, '--epochs', '1', '--batch', '64', '--data', `idx:${fashionDir}`, '--limit', '12000', '--seed', '7', '--json'];
    const single = spawnSync(python, args, { encoding: 'utf8', timeout: 300_000, env: { ...process.env, OMP_NUM_THREADS: '1' } });
    expect(single.status, single.stderr).toBe(0);
    const one = lastJsonLine(single.stdout);
    const out = path.join(scratch.dir, 'checkpoints');
    // Debian's torchrun (PyTorch 1.13 on Python 3.11) cannot parse its default "--redirects 0" (a Flag
    // with value 0 is not iterable there): redirect and tee stdout instead, which prints "[rank]:" prefixes.
    const distributed = spawnSync(torchrun, ['--nproc_per_node', '2', '--redirects', '1', '--tee', '1', ...args, '--out', out], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(distributed.status, distributed.stderr.slice(-3000)).toBe(0);
    const two = lastJsonLine(distributed.stdout);
    expect(one.processes).toBe(1);
    expect(two.processes).toBe(2);
    // It learned: chance is 10% on Fashion-MNIST.
    expect(two.test_accuracy).toBeGreaterThan(0.6);
    // Same global batch, same examples per step, averaged gradients: the same run up to float
    // summation order (which alone moves these figures by ~1e-3 between 1 and 2 threads of one
    // process). Per-process batches of the global size would take half the steps and miss this by far.
    expect(Math.abs(two.loss - one.loss)).toBeLessThan(0.01);
    expect(Math.abs(two.test_loss - one.test_loss)).toBeLessThan(0.01);
    expect(Math.abs(two.test_accuracy - one.test_accuracy)).toBeLessThan(0.01);
    // Rank 0 alone writes the checkpoint.
    expect(readdirSync(out)).toEqual(['checkpoint.pt']);
  });
});

describe.skipIf(!torch.available)('training-script data readers (numpy only)', () => {
  it('reads CSV as the app does (label column, sorted classes) and refuses unknown references', () => {
    const csvDoc = templateDocument('mlp-xor');
    const result = exportPytorch(csvDoc, { includeTraining: true });
    if (!result.ok) throw new Error(result.error.message);
    const module = path.join(scratch.dir, 'readers.py');
    writeFileSync(module, result.code);
    const csv = path.join(scratch.dir, 'table.csv');
    writeFileSync(csv, '\ufeffa,b,kind\n0,0,no\n0,1,yes\n1,0,yes\n1,1,no\n0.5,0.5,no\n');
    const probe = path.join(scratch.dir, 'probe.py');
    writeFileSync(
      probe,
      [
        'import importlib.util, json, sys',
        `spec = importlib.util.spec_from_file_location("readers", ${JSON.stringify(module)})`,
        'm = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)',
        `train = m.load_csv(${JSON.stringify(`${csv}#label=kind`)}, "train")`,
        `test = m.load_csv(${JSON.stringify(`${csv}#label=kind`)}, "test")`,
        'try:',
        '    m.load_data("nope:thing")',
        '    error = None',
        'except m.DataError as e:',
        '    error = str(e)',
        'x, y = m.load_data()',
        'print(json.dumps({"train_x": train[0].tolist(), "train_y": train[1].tolist(), "classes": train[2], "test_y": test[1].tolist(), "error": error, "xor": y.flatten().tolist()}))',
      ].join('\n'),
    );
    const out = runPythonJson<{ train_x: number[][]; train_y: number[]; classes: number; test_y: number[]; error: string; xor: number[] }>(probe, []);
    // Classes are the distinct labels sorted ("no" = 0, "yes" = 1); every fifth row is held out.
    expect(out.classes).toBe(2);
    expect(out.train_x).toEqual([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    expect(out.train_y).toEqual([0, 1, 1, 0]);
    expect(out.test_y).toEqual([0]);
    expect(out.error).toMatch(/unknown data-set reference 'nope:thing'/);
    expect(out.xor).toEqual([0, 1, 1, 0]);
  });

  it('decodes PNGs of an image folder (every row filter pngjs picks) and reorders CIFAR-10 records to HWC', () => {
    const result = exportPytorch(templateDocument('lenet5'), { includeTraining: true });
    if (!result.ok) throw new Error(result.error.message);
    const module = path.join(scratch.dir, 'image_readers.py');
    writeFileSync(module, result.code);
    const folder = path.join(scratch.dir, 'images');
    const pixel = (x: number, y: number, c: number): number => (x * 37 + y * 11 + c * 90 + x * y) % 256;
    for (const [cls, count] of [['cat', 3], ['dog', 2]] as const) {
      mkdirSync(path.join(folder, cls), { recursive: true });
      for (let i = 0; i < count; i++) {
        const png = new PNG({ width: 28, height: 28, colorType: 2 });
        for (let y = 0; y < 28; y++)
          for (let x = 0; x < 28; x++) for (let c = 0; c < 4; c++) png.data[(y * 28 + x) * 4 + c] = c === 3 ? 255 : pixel(x + i, y, c);
        writeFileSync(path.join(folder, cls, `${i}.png`), PNG.sync.write(png, { colorType: 2 }));
      }
    }
    const cifar = path.join(scratch.dir, 'cifar');
    mkdirSync(cifar);
    const record = new Uint8Array(3073 * 2);
    for (let r = 0; r < 2; r++) {
      record[r * 3073] = r + 4;
      for (let i = 0; i < 3072; i++) record[r * 3073 + 1 + i] = (i + r) % 251;
    }
    for (let b = 1; b <= 5; b++) writeFileSync(path.join(cifar, `data_batch_${b}.bin`), record);
    const probe = path.join(scratch.dir, 'image_probe.py');
    writeFileSync(
      probe,
      [
        'import importlib.util, json',
        `spec = importlib.util.spec_from_file_location("image_readers", ${JSON.stringify(module)})`,
        'm = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)',
        `png = m.decode_png(${JSON.stringify(path.join(folder, 'cat', '1.png'))})`,
        `x, y, classes = m.load_folder(${JSON.stringify(folder)}, "train")`,
        `cx, cy, _ = m.load_cifar10(${JSON.stringify(cifar)}, "train")`,
        'print(json.dumps({"png": png.tolist(), "x_shape": list(x.shape), "y": y.tolist(), "classes": classes,',
        '                  "cifar_shape": list(cx.shape), "cifar_labels": cy[:2].tolist(), "cifar_pixel": float(cx[1, 0, 1, 2])}))',
      ].join('\n'),
    );
    const out = runPythonJson<{ png: number[][][]; x_shape: number[]; y: number[]; classes: number; cifar_shape: number[]; cifar_labels: number[]; cifar_pixel: number }>(probe, []);
    for (let yy = 0; yy < 28; yy++) for (let xx = 0; xx < 28; xx++) for (let c = 0; c < 3; c++) expect(out.png[yy]![xx]![c]).toBe(pixel(xx + 1, yy, c));
    // 5 images, every fifth held out: 4 train; grey 28×28×1 for LeNet-5.
    expect(out.x_shape).toEqual([4, 28, 28, 1]);
    expect(out.y).toEqual([0, 0, 0, 1]);
    expect(out.classes).toBe(2);
    expect(out.cifar_shape).toEqual([10, 32, 32, 3]);
    expect(out.cifar_labels).toEqual([4, 5]);
    // Record 1, row 0, column 1, blue: byte 2048 + 1 of the channels-first planes, (2049 + 1) % 251.
    expect(out.cifar_pixel).toBeCloseTo(((2049 + 1) % 251) / 255, 6);
  });
});
