import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDocument } from '../../graph-schema/document';
import { getTemplate } from '../../graph-schema/templates/index';
import type { DropBridge } from '../../shared/channels';
import type { NetweaveApi } from '../../shared/contract';
import { setApi } from '../../renderer/api';
import { openDroppedFile } from '../../renderer/documents/file-drop';
import { emptyDocument } from '../../renderer/store/editor-store';
import { useUi } from '../../renderer/store/ui-store';
import { editorStore } from '../../renderer/store/use-editor';
import { useToasts } from '../../renderer/ui/toast-store';

// The page's side of a drop, in Node: a minimal window, a recording host and real File objects.

const xor = () => {
  const built = getTemplate('mlp-xor')!.build();
  return createDocument(built.graph, 'Dropped XOR', built.training);
};

let calls: { name: string; input: unknown }[];
const host = (): NetweaveApi =>
  ({
    call: async (name: string, input: unknown) => {
      calls.push({ name, input });
      if (name === 'project.import') return { ok: true, value: { kind: 'import', path: '/home/user/model.json', format: 'tfjs-layers', document: { ...xor(), name: 'Imported' }, diagnostics: [] } };
      if (name === 'project.open') return { ok: true, value: { handle: 'nwh-opened', path: '/home/user/net.netweave', document: xor(), warnings: [] } };
      return { ok: true, value: name === 'project.recent' ? [] : {} };
    },
    on: () => () => undefined,
  }) as unknown as NetweaveApi;

const errors = () => useToasts.getState().toasts.filter((t) => t.kind === 'error');

beforeEach(() => {
  calls = [];
  useToasts.setState({ toasts: [] });
  setApi(host());
  editorStore.getState().loadDocument(emptyDocument(), { path: null, dirty: false });
});
afterEach(() => {
  delete (globalThis as { window?: unknown }).window;
});

describe('a file dropped on the window', () => {
  it('in Electron opens through the handle the preload returns, never reading the file in the page', async () => {
    const asked: File[] = [];
    const bridge: DropBridge = {
      handleFor: async (file) => (asked.push(file), { ok: true, value: { handle: 'nwh-dropped', path: '/home/user/net.netweave', kind: 'project' } }),
    };
    (globalThis as { window?: unknown }).window = { netweaveDrop: bridge };
    const file = new File(['not read by the page'], 'net.netweave');
    expect(await openDroppedFile(file)).toBe(true);
    expect(asked).toEqual([file]);
    expect(calls.find((c) => c.name === 'project.open')).toEqual({ name: 'project.open', input: { handle: 'nwh-dropped' } });
    expect(editorStore.getState().document.name).toBe('Dropped XOR');
    expect(editorStore.getState().filePath).toBe('nwh-opened');
  });

  it('in Electron imports a dropped model file through its handle, as a new unsaved project', async () => {
    const bridge: DropBridge = { handleFor: async () => ({ ok: true, value: { handle: 'nwh-model', path: '/home/user/model.json', kind: 'model' } }) };
    (globalThis as { window?: unknown }).window = { netweaveDrop: bridge };
    expect(await openDroppedFile(new File(['{}'], 'model.json'))).toBe(true);
    expect(calls.find((c) => c.name === 'project.import')).toEqual({ name: 'project.import', input: { handle: 'nwh-model' } });
    expect(calls.some((c) => c.name === 'project.open')).toBe(false);
    expect(editorStore.getState().document.name).toBe('Imported');
    expect(editorStore.getState().filePath).toBeNull();
  });

  it('in Electron shows main’s coded refusal and opens nothing', async () => {
    const bridge: DropBridge = { handleFor: async () => ({ ok: false, error: { code: 'drop-kind-unsupported', message: 'passwd is not a Netweave project' } }) };
    (globalThis as { window?: unknown }).window = { netweaveDrop: bridge };
    expect(await openDroppedFile(new File(['root:x:0:0'], 'passwd'))).toBe(false);
    expect(calls.some((c) => c.name === 'project.open')).toBe(false);
    expect(errors().at(-1)).toMatchObject({ title: 'Cannot open the dropped file' });
    expect(JSON.stringify(errors())).toContain('drop-kind-unsupported');
  });

  it('in a browser reads the dropped project’s text and opens it without a path (Save asks where)', async () => {
    (globalThis as { window?: unknown }).window = {};
    const document = { ...xor(), name: 'From the browser' };
    expect(await openDroppedFile(new File([JSON.stringify(document)], 'mine.netweave'))).toBe(true);
    expect(editorStore.getState().document.name).toBe('From the browser');
    expect(editorStore.getState().filePath).toBeNull();
    expect(calls.some((c) => c.name === 'project.open')).toBe(false);
  });

  it('with unsaved changes, asks first in either host; Cancel keeps the document and opens nothing', async () => {
    editorStore.getState().loadDocument({ ...xor(), name: 'Unsaved work' }, { path: null, dirty: true });
    for (const window of [{}, { netweaveDrop: { handleFor: async () => ({ ok: true, value: { handle: 'nwh-d', path: '/p.netweave', kind: 'project' } }) } satisfies DropBridge }]) {
      (globalThis as { window?: unknown }).window = window;
      const dropped = openDroppedFile(new File([JSON.stringify(xor())], 'other.netweave'));
      await expect.poll(() => useUi.getState().confirmRequest?.title).toBe('Unsaved changes');
      const request = useUi.getState().confirmRequest!;
      useUi.getState().set({ confirmRequest: null });
      request.resolve('cancel');
      expect(await dropped).toBe(false);
      expect(editorStore.getState().document.name).toBe('Unsaved work');
    }
    expect(calls.some((c) => c.name === 'project.open')).toBe(false);
  });

  it('in a browser refuses what is not a project, and a broken project, with a code and without quoting it', async () => {
    (globalThis as { window?: unknown }).window = {};
    const before = editorStore.getState().document;
    expect(await openDroppedFile(new File(['root:x:0:0'], 'passwd'))).toBe(false);
    expect(await openDroppedFile(new File(['{"format":"netweave.graph", SECRET'], 'broken.netweave'))).toBe(false);
    expect(editorStore.getState().document).toBe(before);
    const shown = JSON.stringify(errors());
    expect(shown).toContain('drop-kind-unsupported');
    expect(shown).toContain('parse-error');
    expect(shown).not.toContain('SECRET');
    expect(shown).not.toContain('root:x');
  });
});
