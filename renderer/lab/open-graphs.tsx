import { useMemo } from 'react';
import { useEditor } from '../store/use-editor';
import type { OpenGraphs } from './stale';
import { graphHash } from '../../graph-schema/graph-hash';
import { useLab } from './lab-store';

/**
 * Identities of the graphs open now: the canvas and the twin beside it. A run
 * whose graph is neither was trained on a graph that has changed since: stale.
 */
export function useOpenGraphs(): OpenGraphs {
  const graph = useEditor((s) => s.document.graph);
  const twin = useLab((s) => s.twin?.document.graph ?? null);
  const editor = useMemo(() => graphHash(graph), [graph]);
  const twinHash = useMemo(() => (twin ? graphHash(twin) : null), [twin]);
  return { editor, twin: twinHash };
}

export { runIsStale } from './stale';

export function StaleBadge({ stale, testId }: { stale: boolean; testId?: string }) {
  if (!stale) return null;
  return (
    <span className="nw-lab-stale" title="The graph has changed since this run was trained: its figures belong to the graph as it was." data-testid={testId ?? 'run-stale'}>
      stale
    </span>
  );
}
