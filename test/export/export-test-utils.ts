import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import type { NetweaveDocument } from '../../graph-schema/document';
import { createDocument } from '../../graph-schema/document';
import { getTemplate, templateIds } from '../../graph-schema/templates/index';

/** A scratch folder inside the project, so that generated code resolves node_modules/@tensorflow/tfjs. */
export function projectTempDir(prefix: string): { dir: string; remove(): void } {
  const base = path.join(process.cwd(), '.tmp');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(path.join(base, `${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function templateDocument(id: string): NetweaveDocument {
  const template = getTemplate(id);
  if (!template) throw new Error(`no template ${id}`);
  const built = template.build();
  return createDocument(built.graph, template.name, built.training);
}

export const allTemplateIds: readonly string[] = templateIds;

/** Strict type-check of standalone modules, as `tsc --strict --noEmit` would run it; returns the messages. */
export function typecheckStrict(files: string[]): string[] {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
    types: [],
    skipLibCheck: true,
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

/** Transpiles a generated .ts module to JavaScript beside it and imports it. */
export async function importTypescript<T>(file: string): Promise<T> {
  const source = ts.sys.readFile(file)!;
  const output = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  const js = file.replace(/\.ts$/, '.mjs');
  writeFileSync(js, output.outputText);
  return (await import(/* @vite-ignore */ pathToFileURL(js).href)) as T;
}

export const python = '/usr/bin/python3';

/** Whether Debian's python3-torch is importable; the reason when not. */
export function torchStatus(): { available: true } | { available: false; reason: string } {
  const probe = spawnSync(python, ['-c', 'import torch, numpy; print(torch.__version__)'], { encoding: 'utf8' });
  if (probe.error) return { available: false, reason: `${python} cannot run (${probe.error.message}); install python3-torch` };
  if (probe.status !== 0) return { available: false, reason: `python3-torch is not installed (${probe.stderr.trim().split('\n').pop()})` };
  return { available: true };
}

/** Runs a Python script with arguments; returns its parsed JSON stdout or throws with its stderr. */
export function runPythonJson<T>(script: string, args: string[], timeoutMs = 300_000): T {
  const result = spawnSync(python, [script, ...args], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, OMP_NUM_THREADS: '1' } });
  if (result.status !== 0) throw new Error(`${path.basename(script)} failed (${result.status ?? result.signal}):\n${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

export function writeFloat32(file: string, values: Float32Array): void {
  writeFileSync(file, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}
