import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CodeTarget } from '../../graph-schema/export/export-code';
import { exportCode } from '../../graph-schema/export/export-code';
import { allTemplateIds, templateDocument } from './export-test-utils';

// Golden files: what each exporter writes for each template, reviewed by a person once.
// After an intended change to an exporter, regenerate them and review the diff:
//   UPDATE_GOLDEN=1 npx vitest run test/export/golden.test.ts

const goldenDir = path.join(import.meta.dirname, '..', 'golden');
const update = process.env.UPDATE_GOLDEN === '1';
const extensions: Record<CodeTarget, string> = { ts: '.ts', pytorch: '.py', keras: '.keras.py' };

const cases = allTemplateIds.flatMap((id) => (Object.keys(extensions) as CodeTarget[]).map((target) => [id, target] as const));

describe('golden files', () => {
  it.each(cases)('%s → %s equals its golden file', (id, target) => {
    const result = exportCode(templateDocument(id), target);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const file = path.join(goldenDir, `${id}${extensions[target]}`);
    if (update) {
      mkdirSync(goldenDir, { recursive: true });
      writeFileSync(file, result.code);
      return;
    }
    expect(existsSync(file), `${file} is missing: run UPDATE_GOLDEN=1 npx vitest run test/export/golden.test.ts`).toBe(true);
    expect(result.code).toBe(readFileSync(file, 'utf8'));
  });

  it('every golden file belongs to a template and a target', async () => {
    const { readdirSync } = await import('node:fs');
    const expected = cases.map(([id, target]) => `${id}${extensions[target]}`).sort();
    expect(readdirSync(goldenDir).sort()).toEqual(expected);
  });
});
