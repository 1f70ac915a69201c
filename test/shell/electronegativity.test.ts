import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from './temp-dirs';

const tempDir = useTempDirs();

interface Finding {
  issue: string;
  severity: string;
  confidence: string;
  file: string;
  location: string;
}

/** Runs the gate script and reads the CSV it wrote (the tool itself always exits 0, so the file is what counts). */
function scan(input?: string): { status: number | null; findings: Finding[]; stdout: string } {
  const output = path.join(tempDir(), 'report.csv');
  const args = ['scripts/electronegativity.mjs', '--output', output, ...(input ? ['--input', input] : [])];
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 120_000 });
  const lines = readFileSync(output, 'utf8').trim().split('\n');
  expect(lines[0]).toMatch(/^issue,severity,confidence,file,location/);
  const findings = lines.slice(1).map((line) => {
    const cells = [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]!.replace(/""/g, '"'));
    return { issue: cells[0]!, severity: cells[1]!, confidence: cells[2]!, file: cells[3]!, location: cells[4]! };
  });
  return { status: run.status, findings, stdout: run.stdout };
}

describe('Electronegativity over main/electron', () => {
  it('reports nothing of HIGH severity', () => {
    const { status, findings } = scan();
    console.log(`Electronegativity findings (${findings.length}):\n${findings.map((f) => `  ${f.severity} ${f.confidence} ${f.issue} ${f.file}:${f.location}`).join('\n')}`);
    expect(findings.filter((f) => f.severity === 'HIGH')).toEqual([]);
    expect(status).toBe(0);
  });

  it('does flag an insecure window, so a clean report means something', () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'insecure.js'),
      "const { BrowserWindow } = require('electron');\nnew BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\n",
    );
    const { status, findings } = scan(dir);
    const high = findings.filter((f) => f.severity === 'HIGH').map((f) => f.issue);
    expect(high).toEqual(expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK']));
    expect(status).toBe(1);
  });
});
