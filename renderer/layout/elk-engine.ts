import ELK from 'elkjs/lib/elk-api';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import type { LayoutEngine } from '../../graph-schema/layout/auto-layout';

let engine: LayoutEngine | null = null;

/** ELK in a worker, so a large layout never freezes the window. */
export function elkEngine(): LayoutEngine {
  engine ??= new ELK({ workerFactory: () => new Worker(elkWorkerUrl) }) as unknown as LayoutEngine;
  return engine;
}
