import ELK from 'elkjs/lib/elk.bundled.js';
import type { NetweaveDocument } from '../document';
import type { LayoutEngine, LayoutOptions } from './auto-layout';
import { autoLayoutDocument, withPositions } from './auto-layout';

let engine: LayoutEngine | null = null;

/** ELK on the calling thread: pure JavaScript, for the CLI, importers and tests (the renderer uses a worker). */
export function bundledElkEngine(): LayoutEngine {
  engine ??= new ELK() as unknown as LayoutEngine;
  return engine;
}

/** `document` with every node placed by the layered layout. */
export async function layOutDocument(document: NetweaveDocument, options: LayoutOptions = {}): Promise<NetweaveDocument> {
  return withPositions(document, await autoLayoutDocument(bundledElkEngine(), document, options));
}
