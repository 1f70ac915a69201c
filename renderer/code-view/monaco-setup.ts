import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/languages/definitions/python/register';
import 'monaco-editor/languages/definitions/typescript/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

// Only the core editor worker: the code view is read-only and needs no language service.
(self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
};

monaco.editor.defineTheme('netweave-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [],
  colors: {
    'editor.background': '#0f141b',
    'editor.lineHighlightBackground': '#161d26',
    'editorLineNumber.foreground': '#3b4656',
    'editorGutter.background': '#0f141b',
  },
});

export { monaco };
