import { useEffect, useMemo, useState } from 'react';
import { getLayerDef } from '../../graph-schema/registry';
import { useEditor } from '../store/use-editor';
import type { RunRecord } from '../training/training-store';
import { selectRun, useRuns } from '../training/training-store';
import { labCall } from './lab-api';
import { useLab } from './lab-store';
import type { LabActivations, LabFilters, LabSamples } from './lab-types';
import { runIsStale, StaleBadge, useOpenGraphs } from './open-graphs';
import { FiltersView, SampleImage, TensorView } from './tensor-images';
import { RunControls } from './run-controls';

type Samples = LabSamples;
type Activations = LabActivations;

/** Runs whose model main still holds: the lab can look inside those. */
export function inspectableRuns(runs: Record<string, RunRecord>, order: string[]): RunRecord[] {
  return order.map((id) => runs[id]!).filter((r) => r && !r.restored && r.status !== 'error' && r.status !== 'starting');
}

function useEdgeSource(): { edgeId: string | null; source: string | null; target: string | null } {
  const chosen = useLab((s) => s.edgeId);
  const selectedEdges = useEditor((s) => s.selectedEdges);
  const edges = useEditor((s) => s.document.graph.edges);
  const edgeId = chosen ?? (selectedEdges.size === 1 ? [...selectedEdges][0]! : null);
  const edge = edgeId ? edges.find((e) => e.id === edgeId) : undefined;
  return { edgeId, source: edge?.source ?? null, target: edge?.target ?? null };
}

function Probabilities({ result, classNames }: { result: Activations; classNames: string[] }) {
  return (
    <div className="nw-lab-probs" data-testid="sample-probabilities" data-predicted={result.predicted} data-label={result.sample.label} data-index={result.sample.index}>
      <div className="nw-small">
        predicted <strong data-testid="sample-predicted">{classNames[result.predicted] ?? result.predicted}</strong>
        {' · '}true {classNames[result.sample.label] ?? result.sample.label}{' '}
        {result.predicted === result.sample.label ? <span className="nw-lab-ok">✓</span> : <span className="nw-lab-bad">✗</span>}
      </div>
      {result.probabilities.map((p, i) => (
        <div key={i} className={`nw-lab-prob${i === result.predicted ? ' is-top' : ''}`}>
          <span className="nw-lab-prob-name">{classNames[i] ?? i}</span>
          <span className="nw-lab-prob-bar">
            <span style={{ width: `${Math.max(0, Math.min(1, p)) * 100}%` }} />
          </span>
          <span className="nw-mono nw-small">{(p * 100).toFixed(1)}%</span>
        </div>
      ))}
    </div>
  );
}

export function LayerView() {
  const runs = useRuns((s) => s.runs);
  const order = useRuns((s) => s.order);
  const selected = useRuns((s) => s.selected);
  const sampleIndex = useLab((s) => s.sampleIndex);
  const setLab = useLab((s) => s.set);
  const nodes = useEditor((s) => s.document.graph.nodes);
  const open = useOpenGraphs();
  const candidates = useMemo(() => inspectableRuns(runs, order), [runs, order]);
  const { edgeId, source, target } = useEdgeSource();
  // The run used: the selected one if it can be looked into and has the edge's layer, else the latest that has it.
  const run =
    candidates.find((r) => r.id === selected && (!source || r.document?.graph.nodes.some((n) => n.id === source))) ??
    [...candidates].reverse().find((r) => !source || r.document?.graph.nodes.some((n) => n.id === source)) ??
    null;
  const [samples, setSamples] = useState<Samples | null>(null);
  const [samplesFailed, setSamplesFailed] = useState(false);
  const [result, setResult] = useState<Activations | null>(null);
  const [filters, setFilters] = useState<LabFilters | null>(null);
  const [loading, setLoading] = useState(false);
  const runId = run?.id ?? null;
  const step = run ? `${run.epoch}:${run.batch}:${run.status}` : '';

  useEffect(() => {
    setSamples(null);
    setSamplesFailed(false);
    if (!runId) return;
    let current = true;
    void labCall('lab.samples', { runId, count: 12 }, 'Could not read test examples').then((s) => {
      if (!current) return;
      if (s) setSamples(s);
      else setSamplesFailed(true);
    });
    return () => void (current = false);
  }, [runId]);

  const index = sampleIndex ?? samples?.samples[0]?.index ?? null;
  useEffect(() => {
    if (!runId || index === null) return;
    setLoading(true);
    void labCall('lab.activations', { runId, sampleIndex: index }, 'Could not compute the activations').then((r) => {
      setLoading(false);
      if (r) setResult(r);
    });
    // Recomputed after each step or epoch, so a teacher sees the maps change.
  }, [runId, index, step]);

  const sourceNode = nodes.find((n) => n.id === source);
  const isConv = !!sourceNode && /Conv2D$/.test(sourceNode.kind);
  useEffect(() => {
    setFilters(null);
    if (!runId || !source || !isConv) return;
    void labCall('lab.filters', { runId, nodeId: source }, 'Could not read the filters').then((f) => f && setFilters(f));
  }, [runId, source, isConv, step]);

  if (!run)
    return (
      <div className="nw-muted nw-small" data-testid="layer-view-empty">
        Train the graph first (F5): then click an edge to see what the layers pass along it, for one test example.
      </div>
    );
  const output = source ? result?.outputs.find((o) => o.nodeId === source) : undefined;
  const sourceLabel = sourceNode ? sourceNode.label || getLayerDef(sourceNode.kind)?.label || sourceNode.kind : source;
  const targetNode = nodes.find((n) => n.id === target);
  return (
    <div className="nw-lab-layer" data-testid="layer-view" data-run={run.name}>
      <div className="nw-row nw-between">
        <label className="nw-small">
          run{' '}
          <select className="nw-input nw-lab-select" value={run.id} onChange={(e) => selectRun(e.target.value)} data-testid="layer-run">
            {candidates.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
        <StaleBadge stale={runIsStale(run, open)} />
      </div>
      <RunControls run={run} />
      <div className="nw-section-title">Test example</div>
      <div className="nw-lab-samples" data-testid="sample-picker">
        {samples?.samples.map((s) => (
          <button
            key={s.index}
            className={`nw-lab-sample${s.index === index ? ' is-active' : ''}`}
            onClick={() => setLab({ sampleIndex: s.index })}
            title={`test example ${s.index}: ${samples.classNames[s.label] ?? s.label}`}
            data-testid="sample-option"
            data-label={s.label}
            data-index={s.index}
          >
            {s.image ? <SampleImage image={s.image} shape={s.shape} size={36} /> : <span className="nw-mono">{s.index}</span>}
          </button>
        ))}
        {!samples && <span className="nw-muted nw-small">{samplesFailed ? 'The test examples could not be read for this run.' : 'Loading examples…'}</span>}
      </div>
      {result && (
        <div className="nw-row nw-lab-prediction">
          {result.sample.image && <SampleImage image={result.sample.image} shape={result.sample.shape} size={84} />}
          <Probabilities result={result} classNames={samples?.classNames ?? []} />
        </div>
      )}
      <div className="nw-section-title">
        {edgeId ? (
          <>
            Edge {sourceLabel} → {targetNode ? targetNode.label || getLayerDef(targetNode.kind)?.label || targetNode.kind : target}
          </>
        ) : (
          'Click an edge on the canvas'
        )}
      </div>
      {edgeId && output && (
        <div data-testid="edge-activations" data-node={source} data-shape={output.shape.join('x')}>
          <div className="nw-muted nw-small nw-mono">
            {output.shape.join(' × ')} · min {output.min.toPrecision(3)} · max {output.max.toPrecision(3)}
            {loading ? ' · updating…' : ''}
          </div>
          <TensorView tensor={output} />
        </div>
      )}
      {edgeId && result && !output && <div className="nw-muted nw-small">This edge is not in the run's graph (edited since?). Train again to look at it.</div>}
      {filters && (
        <>
          <div className="nw-section-title">Filters of {sourceLabel}</div>
          <FiltersView filters={filters} />
        </>
      )}
    </div>
  );
}
