import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The Done-when of the ONNX export: `netweave export lenet5 --to onnx -o x.onnx`, then Debian's onnx checker.
const cli = path.join(process.cwd(), 'bin', 'netweave.mjs');

describe('netweave export --to onnx', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'onnx-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes lenet5 as a model that onnx.checker accepts with full_check, NHWC input by default and NCHW on request', () => {
    for (const layout of ['default', 'nchw'] as const) {
      const file = path.join(dir, `x-${layout}.onnx`);
      const args = ['export', 'lenet5', '--to', 'onnx', '-o', file, ...(layout === 'nchw' ? ['--layout', 'nchw'] : [])];
      const run = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: dir, timeout: 120_000 });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout.trim()).toBe(`Wrote ${file}`);
      const checked = spawnSync(
        '/usr/bin/python3',
        ['-c', "import onnx,sys,json; m=onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); print(json.dumps([d.dim_value or d.dim_param for d in m.graph.input[0].type.tensor_type.shape.dim]))", file],
        { encoding: 'utf8' },
      );
      expect(checked.stderr).toBe('');
      expect(JSON.parse(checked.stdout)).toEqual(layout === 'nchw' ? ['batch', 1, 28, 28] : ['batch', 28, 28, 1]);
    }
  });

  it('refuses a wrong layout name before writing anything', () => {
    const file = path.join(dir, 'bad.onnx');
    const run = spawnSync(process.execPath, [cli, 'export', 'lenet5', '--to', 'onnx', '--layout', 'chwn', '-o', file], { encoding: 'utf8', cwd: dir, timeout: 60_000 });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/layout/);
    expect(existsSync(file)).toBe(false);
  });
});
