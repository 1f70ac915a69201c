/** The graphs open now (the canvas, the twin beside it), by graphHash. */
export interface OpenGraphs {
  editor: string;
  twin: string | null;
}

/** A run is stale when neither open graph is the one it was trained from: its graph has changed since. */
export function runIsStale(run: { graphHash: string }, open: OpenGraphs): boolean {
  return run.graphHash !== '' && run.graphHash !== open.editor && run.graphHash !== open.twin;
}
