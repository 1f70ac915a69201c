import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd(), errorOnUnmatchedPattern: false });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering rule', () => {
  it.each([
    ['graph-schema/probe.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['graph-schema/probe.ts', "import * as tf from '@tensorflow/tfjs';\nexport const x = tf;\n"],
    ['graph-schema/probe.ts', "import { x as y } from '../main/compile/compile-graph';\nexport const x = y;\n"],
    ['graph-schema/kinds/probe.ts', "import React from 'react';\nexport const x = React;\n"],
    ['graph-schema/edit/probe.ts', "import ELK from 'elkjs/lib/elk.bundled.js';\nexport const x = ELK;\n"],
    ['graph-schema/probe.ts', "import ELK from 'elkjs';\nexport const x = ELK;\n"],
    ['graph-schema/edit/probe.ts', "import type { Draft } from 'immer';\nexport type X = Draft<number>;\n"],
    ['graph-schema/layout/probe.ts', "import React from 'react';\nexport const x = React;\n"],
    ['graph-schema/layout/probe.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['shared/probe.ts', "import { x as y } from '../main/services/project-files';\nexport const x = y;\n"],
    ['renderer/probe.ts', "import { x as y } from '../main/services/project-files';\nexport const x = y;\n"],
    ['renderer/probe.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['main/services/probe.ts', "import { app } from 'electron';\nexport const x = app;\n"],
  ])('refuses the forbidden import in %s', async (file, code) => {
    expect(await restrictedImports(file, code)).not.toEqual([]);
  });

  it.each([
    ['graph-schema/probe.ts', "import { z } from 'zod';\nexport const x = z;\n"],
    ['graph-schema/layout/probe.ts', "import ELK from 'elkjs/lib/elk.bundled.js';\nexport const x = ELK;\n"],
    ['graph-schema/layout/probe.ts', "import type { ElkNode } from 'elkjs/lib/elk-api';\nexport type X = ElkNode;\n"],
    ['shared/probe.ts', "import { analyzeGraph } from '../graph-schema/infer';\nexport const x = analyzeGraph;\n"],
    ['main/electron/probe.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['main/compile/probe.ts', "import * as tf from '@tensorflow/tfjs';\nexport const x = tf;\n"],
  ])('allows the permitted import in %s', async (file, code) => {
    expect(await restrictedImports(file, code)).toEqual([]);
  });

  it('the whole tree passes the layering rule', async () => {
    const results = await eslint.lintFiles(['graph-schema', 'shared', 'main', 'renderer']);
    const layering = results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => `${r.filePath}:${m.line} ${m.message}`));
    expect(layering).toEqual([]);
  });
});
