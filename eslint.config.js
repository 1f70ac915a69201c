// Lint: TypeScript rules plus the layering of the project (see README, "Layout").
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'url', 'zlib', 'http', 'net', 'stream'];
const pattern = (group, message) => ({ group, message });

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'test/golden/**', 'test-results/**', '**/*.d.ts', '.tmp/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  // graph-schema is pure; elkjs (pure JavaScript) only in graph-schema/layout, the auto-layout entry.
  ...[
    { files: ['graph-schema/**/*.ts'], ignores: ['graph-schema/tools/**', 'graph-schema/layout/**'], elk: false },
    { files: ['graph-schema/layout/**/*.ts'], ignores: [], elk: true },
  ].map(({ files, ignores, elk }) => ({
    files,
    ignores,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(['**/main/**', '**/renderer/**', '**/shared/**', '**/test/**'], 'graph-schema imports nothing of the app.'),
            pattern(['@tensorflow/*', 'react', 'react-*', '@xyflow/*', 'electron', 'monaco-editor', 'immer', ...nodeBuiltins], 'graph-schema is pure: no tfjs, React, Electron or Node APIs.'),
            ...(elk ? [] : [pattern(['elkjs', 'elkjs/*'], 'Only graph-schema/layout/ may import elkjs (the auto-layout entry).')]),
          ],
        },
      ],
    },
  })),
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(['**/main/**', '**/renderer/**', '**/test/**'], 'shared/ may import only graph-schema.'),
            pattern(['@tensorflow/*', 'react', 'electron', ...nodeBuiltins], 'shared/ is plain data and types.'),
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(['**/main/**', '**/test/**'], 'The renderer reaches main only through the contract in shared/.'),
            pattern(['@tensorflow/tfjs-node*', 'electron', ...nodeBuiltins], 'The renderer runs in a browser: no Node, no tfjs-node, no Electron.'),
          ],
        },
      ],
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [pattern(['**/renderer/**'], 'main/ never imports the renderer.'), pattern(['electron'], 'Only main/electron/ may import electron.')] },
      ],
    },
  },
);
