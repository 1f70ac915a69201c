import type { ErrorValue } from './result';
import type { EventName } from './contract';

/**
 * Names that cross the process boundary. Kept free of runtime imports so the
 * sandboxed Electron preload can bundle it without zod or graph-schema.
 */

/** IPC channel for every call: invoke(callChannel, name, input) → Result. */
export const callChannel = 'netweave:call';
/** IPC channel main sends events on: (eventChannel, { event, payload }). */
export const eventChannel = 'netweave:event';
/** IPC channel the preload tells main on that the page now listens for an event (so queued ones can be delivered). */
export const listeningChannel = 'netweave:listening';

/**
 * IPC channel the preload sends a dropped file's path on (Electron only): main checks it and answers
 * Result<DroppedFile>. The page never sees this channel, only `window[dropBridgeKey].handleFor(file)`.
 */
export const dropChannel = 'netweave:drop';
/** Where the Electron preload puts its one function for dropped files: window.netweaveDrop. */
export const dropBridgeKey = 'netweaveDrop';
/** What a drop of a file grants: a handle (project: for project.open; model: for an import), and the path to show. */
export interface DroppedFile {
  handle: string;
  path: string;
  kind: 'project' | 'model';
}
/** The preload's bridge for drops: a File from a drop event → a handle, or a coded error. */
export interface DropBridge {
  handleFor(file: File): Promise<{ ok: true; value: DroppedFile } | { ok: false; error: ErrorValue }>;
}

export const eventNames = ['training.event', 'lab.event', 'app.command', 'app.openFile'] as const satisfies readonly EventName[];

/** Commands the menu and its accelerators send to the renderer as 'app.command'. */
export const appCommands = [
  'new',
  'open',
  /** Import a model file (TensorFlow.js, Keras, ONNX) as a new project. */
  'import',
  'save',
  'saveAs',
  'export',
  'undo',
  'redo',
  'zoomIn',
  'zoomOut',
  'zoomReset',
  'fitView',
  'train',
  'stop',
  /** Sent when the user chose "Save" in the close prompt: save, then report a clean state and the window closes. */
  'saveAndClose',
] as const;

export type AppCommand = (typeof appCommands)[number];

/** The web host's message shapes over its WebSocket. */
export type WireRequest = { type: 'call'; id: number; name: string; input: unknown };
export type WireMessage =
  | { type: 'result'; id: number; result: unknown }
  | { type: 'event'; event: string; payload: unknown };

/** Fails type-checking when an event of the contract is missing from eventNames. */
export const _everyEventListed: Exclude<EventName, (typeof eventNames)[number]> extends never ? true : false = true;
