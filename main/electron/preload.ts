// The bridge between the sandboxed page and main: exactly `call` and `on` of
// the contract, plus one function that turns a dropped File into a handle;
// nothing of Node or Electron itself. Bundled to CommonJS; a sandboxed preload
// may require nothing but 'electron'.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { DropBridge } from '../../shared/channels';
import { callChannel, dropBridgeKey, dropChannel, eventChannel, eventNames, listeningChannel } from '../../shared/channels';

type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>();
const knownEvents: readonly string[] = eventNames;

ipcRenderer.on(eventChannel, (_event, message: { event?: unknown; payload?: unknown }) => {
  if (typeof message?.event !== 'string') return;
  for (const listener of listeners.get(message.event) ?? []) {
    try {
      listener(message.payload);
    } catch (error) {
      console.error(`A listener of "${message.event}" failed`, error);
    }
  }
});

contextBridge.exposeInMainWorld('netweave', {
  call: (name: string, input: unknown): Promise<unknown> => ipcRenderer.invoke(callChannel, name, input),
  on: (event: string, listener: Listener): (() => void) => {
    if (!knownEvents.includes(event) || typeof listener !== 'function') throw new TypeError(`Unknown event "${String(event)}".`);
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    // Main holds events (files to open at launch) until someone listens for them.
    ipcRenderer.send(listeningChannel, event);
    return () => {
      set.delete(listener);
    };
  },
});

// The path of a dropped file goes to main only; the page gets back a handle and the path to show.
// A File the page made itself has no path ('') and is refused by main like any other bad path.
const dropBridge: DropBridge = {
  handleFor: (file: File) => {
    let filePath = '';
    try {
      filePath = webUtils.getPathForFile(file);
    } catch {
      // Not a File (the page passed something else): main answers drop-not-a-file for ''.
    }
    return ipcRenderer.invoke(dropChannel, filePath);
  },
};
contextBridge.exposeInMainWorld(dropBridgeKey, dropBridge);
