import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { templateIds } from '../../graph-schema/templates/index';
import { runCli } from '../support/run-cli';

const dir = mkdtempSync(path.join(tmpdir(), 'netweave-cli-'));

interface SummaryOut {
  nodes: { id: string; kind: string; outputShape: (number | null)[] | null; params: { trainable: number; nonTrainable: number } }[];
  totals: { trainable: number; nonTrainable: number; total: number };
  diagnostics: { code: string; severity: string; message: string; nodeId?: string; edgeId?: string }[];
}

async function summaryJson(source: string): Promise<{ code: number | null; out: SummaryOut }> {
  const run = await runCli(['summary', source, '--json']);
  return { code: run.code, out: JSON.parse(run.stdout) as SummaryOut };
}

describe('netweave summary', () => {
  it('vgg16 totals 138,357,544', async () => {
    const { code, out } = await summaryJson('vgg16');
    expect(code).toBe(0);
    expect(out.totals).toEqual({ trainable: 138_357_544, nonTrainable: 0, total: 138_357_544 });
    expect(out.diagnostics).toEqual([]);
    expect(out.nodes.find((n) => n.id === out.nodes[out.nodes.length - 1]!.id)!.outputShape).toEqual([null, 1000]);
  });

  it('resnet50 totals 25,636,712 with 53,120 non-trainable', async () => {
    const { out } = await summaryJson('resnet50');
    expect(out.totals).toEqual({ trainable: 25_583_592, nonTrainable: 53_120, total: 25_636_712 });
  });

  // Keras Applications' model.summary() with include_top on 224×224×3.
  it.each([
    ['mobilenet-v2', { trainable: 3_504_872, nonTrainable: 34_112, total: 3_538_984 }],
    ['mobilenet', { trainable: 4_231_976, nonTrainable: 21_888, total: 4_253_864 }],
    ['densenet121', { trainable: 7_978_856, nonTrainable: 83_648, total: 8_062_504 }],
  ])('%s has the Keras Applications totals', async (id, totals) => {
    const { code, out } = await summaryJson(id);
    expect(code).toBe(0);
    expect(out.diagnostics).toEqual([]);
    expect(out.totals).toEqual(totals);
    expect(out.nodes[out.nodes.length - 1]!.outputShape).toEqual([null, 1000]);
  });

  it('lenet5 totals 61,706 with the per-layer figures of the reference', async () => {
    const { out } = await summaryJson('lenet5');
    expect(out.totals.total).toBe(61_706);
    const counts = out.nodes.map((n) => n.params.trainable).filter((n) => n > 0);
    expect(counts).toEqual([156, 2_416, 48_120, 10_164, 850]);
    expect(Object.keys(out.nodes[0]!).sort()).toEqual(['id', 'kind', 'outputShape', 'params']);
  });

  it('prints a Keras-like table without --json', async () => {
    const run = await runCli(['summary', 'lenet5']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Output shape/);
    expect(run.stdout).toMatch(/\(None, 28, 28, 6\)\s+156/);
    expect(run.stdout).toMatch(/Total params: 61,706/);
  });

  it('exits 1 and names the node when the graph has errors', async () => {
    const file = path.join(dir, 'broken.netweave');
    expect((await runCli(['new', 'lenet5', '-o', file])).code).toBe(0);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.graph.nodes.find((n: { id: string }) => n.id === 'conv2').params.kernelSize = [20, 20];
    writeFileSync(file, JSON.stringify(doc));
    const { code, out } = await summaryJson(file);
    expect(code).toBe(1);
    expect(out.diagnostics[0]).toMatchObject({ code: 'spatial-underflow', severity: 'error', nodeId: 'conv2' });
  });

  it.each([
    ['a missing file', 'no/such/file.netweave', /No such file or template/],
    ['a truncated file', 'TRUNCATED', /not valid JSON/],
    ['a file from a newer version', 'NEWER', /newer Netweave/],
  ])('exits 2 with one line for %s', async (_name, source, pattern) => {
    let target = source;
    if (source === 'TRUNCATED') {
      target = path.join(dir, 'truncated.netweave');
      writeFileSync(target, '{"format":"netweave.graph","version":1,"graph":{"nod');
    } else if (source === 'NEWER') {
      target = path.join(dir, 'newer.netweave');
      writeFileSync(target, JSON.stringify({ format: 'netweave.graph', version: 42, appVersion: '7.0.0', graph: { nodes: [], edges: [] } }));
    }
    const run = await runCli(['summary', target, '--json']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(pattern);
    expect(run.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('reports an unknown layer kind in a file as a diagnostic, exit 1', async () => {
    const file = path.join(dir, 'unknown.netweave');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'netweave.graph',
        version: 1,
        appVersion: '0.1.0',
        graph: {
          nodes: [
            { id: 'in', kind: 'Input', params: { shape: [3] } },
            { id: 'q', kind: 'Quantum', params: {} },
          ],
          edges: [{ id: 'e', source: 'in', target: 'q' }],
        },
      }),
    );
    const { code, out } = await summaryJson(file);
    expect(code).toBe(1);
    expect(out.diagnostics.filter((d) => d.code === 'unknown-kind')).toHaveLength(1);
  });
});

describe('netweave templates and new', () => {
  it('lists every template id', async () => {
    const run = await runCli(['templates']);
    expect(run.stdout.split('\n').filter(Boolean).map((l) => l.split(/\s+/)[0])).toEqual(templateIds);
  });

  it('writes a project that summary reads back with the same totals', async () => {
    const file = path.join(dir, 'googlenet.netweave');
    const made = await runCli(['new', 'googlenet', '-o', file]);
    expect(made.code).toBe(0);
    const fromFile = await summaryJson(file);
    const fromTemplate = await summaryJson('googlenet');
    expect(fromFile.out.totals).toEqual(fromTemplate.out.totals);
    expect((await runCli(['new', 'googlenet', '-o', file])).code).toBe(2);
    expect((await runCli(['new', 'nope', '-o', path.join(dir, 'x.netweave')])).code).toBe(2);
  });
});
