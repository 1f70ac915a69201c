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

export const eventNames = ['training.event', 'lab.event', 'app.command', 'app.openFile'] as const satisfies readonly EventName[];

/** Commands the menu and its accelerators send to the renderer as 'app.command'. */
export const appCommands = [
  'new',
  'open',
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
