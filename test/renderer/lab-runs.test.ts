import { beforeEach, describe, expect, it } from 'vitest';
import { createDocument } from '../../graph-schema/document';
import { graphHash } from '../../graph-schema/graph-hash';
import { loadDocument, saveDocument } from '../../graph-schema/load-save';
import { getTemplate } from '../../graph-schema/templates/index';
import type { EngineInfo, LayerGradientNorm, TrainingEvent } from '../../shared/training-types';
import { convGeometry, convolve, lessonInput, lessonKernel, pool } from '../../renderer/lab/conv-math';
import { runIsStale } from '../../renderer/lab/stale';
import { fromSavedRun, keptIndices, restoreRunsFrom, savedBatchPoints, toSavedRuns, withSavedRuns } from '../../renderer/training/run-persistence';
import { applyRunEvent, registerRun, removeRun, renameRun, replaceRuns, setRunVisible, useRuns } from '../../renderer/training/training-store';

const engine: EngineInfo = { name: 'cpu', backend: 'cpu', description: 'test', native: false };

function norms(first: number, depth: number): LayerGradientNorm[] {
  return Array.from({ length: depth }, (_, d) => ({ nodeId: `d${d}`, layer: `dense_${d}`, depth: d, weightNorm: first * 2 ** d, activationNorm: d === 1 ? null : first }));
}

/** A run's events the way the service sends them: 0-based epochs, batches throttled, one per epoch. */
function feed(runId: string, epochs: number, batches: number, lossScale: number): void {
  applyRunEvent({ type: 'started', runId, engine, epochs, batchesPerEpoch: batches, trainCount: 100, validationCount: 10, testCount: 20, dataset: 'mnist', graphHash: 'x', name: 'ignored' } as TrainingEvent);
  for (let e = 0; e < epochs; e++) {
    for (let b = 0; b < batches; b++)
      applyRunEvent({ type: 'batch', runId, epoch: e, batch: b, batchesPerEpoch: batches, loss: lossScale / (e * batches + b + 1), accuracy: 0.5, imagesPerSecond: 10, gradientNorms: norms(0.001 * (b + 1), 4) });
    applyRunEvent({ type: 'epoch', runId, epoch: e, epochs, loss: lossScale / (e + 1), accuracy: 0.4 + e / 10, validationLoss: Number.NaN, validationAccuracy: 0.3, elapsedMs: 1, etaMs: 0, imagesPerSecond: 10, gradientNorms: norms(0.01 * (e + 1), 4) });
  }
  applyRunEvent({ type: 'finished', runId, stopped: false, epochsCompleted: epochs, engine, elapsedMs: 5, evaluation: { loss: lossScale / 10, accuracy: 0.9, classNames: [], confusion: [], perClassAccuracy: [], samples: [], count: 20 } });
}

describe('runs side by side (training store)', () => {
  beforeEach(() => replaceRuns([]));

  it('keeps each run apart, with curves, norms per epoch and the test figures', () => {
    const doc = createDocument({ nodes: [], edges: [] }, 'a');
    registerRun('r1', { name: 'plain', document: doc, graphHash: 'h1' });
    feed('r1', 2, 3, 1);
    // Events of a run not registered yet (events can come before training.start answers) make a record too.
    feed('r2', 1, 5, 2);
    const { runs, order } = useRuns.getState();
    expect(order).toEqual(['r1', 'r2']);
    const r1 = runs.r1!;
    expect(r1.name).toBe('plain');
    expect(r1.status).toBe('finished');
    expect(r1.curves.batches.x).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r1.curves.epochs.x).toEqual([1, 2]);
    expect(r1.gradients.epochs.map((g) => g.epoch)).toEqual([1, 2]);
    expect(r1.gradients.epochs[1]!.norms[0]!.weightNorm).toBeCloseTo(0.02);
    expect(r1.gradients.latest?.batch).toBe(3);
    expect(r1.summary).toEqual({ loss: 0.1, accuracy: 0.9, count: 20 });
    expect(runs.r2!.curves.batches.x).toHaveLength(5);
    expect(runs.r2!.name).toBe('ignored');
  });

  it('names, hides and deletes runs', () => {
    feed('a', 1, 2, 1);
    feed('b', 1, 2, 1);
    renameRun('a', '  residual ');
    setRunVisible('b', false);
    expect(useRuns.getState().runs.a!.name).toBe('residual');
    expect(useRuns.getState().runs.b!.visible).toBe(false);
    expect(removeRun('a')).toBe(true);
    expect(removeRun('a')).toBe(false);
    expect(useRuns.getState().order).toEqual(['b']);
  });

  it('marks a run stale when neither the canvas nor the twin has its graph any more', () => {
    const built = getTemplate('mlp-mnist')!.build();
    const hash = graphHash(built.graph);
    const edited = structuredClone(built.graph);
    const dense = edited.nodes.find((n) => n.kind === 'Dense')!;
    dense.params = { ...dense.params, units: 7 };
    const moved = structuredClone(built.graph);
    moved.nodes[0]!.position = { x: 999, y: 5 };
    expect(runIsStale({ graphHash: hash }, { editor: graphHash(moved), twin: null })).toBe(false);
    expect(runIsStale({ graphHash: hash }, { editor: graphHash(edited), twin: null })).toBe(true);
    expect(runIsStale({ graphHash: hash }, { editor: graphHash(edited), twin: hash })).toBe(false);
  });

  it('survives saving and reopening the project, small', () => {
    feed('long', 3, 400, 1);
    const doc = createDocument(getTemplate('mlp-xor')!.build().graph, 'xor');
    const withRuns = withSavedRuns(doc);
    const text = saveDocument(withRuns);
    const loaded = loadDocument(text);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.document.runs).toHaveLength(1);
    const saved = loaded.document.runs![0]!;
    expect(saved.batches.x.length).toBeLessThanOrEqual(savedBatchPoints);
    expect(saved.batches.x[0]).toBe(1);
    expect(saved.batches.x[saved.batches.x.length - 1]).toBe(1200);
    // NaN validation losses cross the file as null.
    expect(saved.epochs.validationLoss).toEqual([null, null, null]);
    expect(saved.gradientNorms).toHaveLength(3);
    expect(text.length).toBeLessThan(60_000);
    // Reopened: the store holds the run again, marked as read back from the file.
    replaceRuns([]);
    restoreRunsFrom(loaded.document);
    const back = useRuns.getState().runs.long!;
    expect(back.restored).toBe(true);
    expect(back.curves.epochs.loss).toEqual([1, 0.5, 1 / 3]);
    expect(back.gradients.epochs[2]!.norms.map((n) => n.depth)).toEqual([0, 1, 2, 3]);
    expect(back.summary?.accuracy).toBe(0.9);
    // Saving the reopened run again writes the same figures.
    expect(toSavedRuns([back])[0]).toEqual(saved);
    expect(fromSavedRun(saved).name).toBe(back.name);
    // A document without runs still loads (older files), and saving it adds no field.
    const plain = saveDocument(doc);
    expect(plain).not.toContain('"runs"');
    expect(loadDocument(plain).ok).toBe(true);
  });

  it('ignores late events of a deleted run and keeps runs still going when a project opens', () => {
    feed('gone', 1, 2, 1);
    removeRun('gone');
    applyRunEvent({ type: 'finished', runId: 'gone', stopped: true, epochsCompleted: 1, engine, elapsedMs: 1, evaluation: null });
    expect(useRuns.getState().runs.gone).toBeUndefined();
    applyRunEvent({ type: 'batch', runId: 'live', epoch: 0, batch: 0, batchesPerEpoch: 9, loss: 1, imagesPerSecond: 1 });
    const live = useRuns.getState().runs.live!;
    expect(live.status).toBe('running');
    restoreRunsFrom(createDocument({ nodes: [], edges: [] }), [live]);
    expect(useRuns.getState().order).toEqual(['live']);
    // A running run is not written to the file: its figures are not final.
    expect(toSavedRuns([live])).toEqual([]);
  });

  it('keeps the first and last points when downsampling', () => {
    expect(keptIndices(5, 10)).toEqual([0, 1, 2, 3, 4]);
    const k = keptIndices(1000, 11);
    expect(k[0]).toBe(0);
    expect(k[k.length - 1]).toBe(999);
    expect(k).toHaveLength(11);
  });
});

describe('convolution lesson numbers', () => {
  it('computes each output cell as the sum of the window times the kernel', () => {
    const { output, cells, geometry } = convolve(lessonInput, lessonKernel, 1, 'valid');
    expect(geometry.out).toBe(3);
    // Independent: the window at (1, 2) summed by hand over the same arrays.
    let sum = 0;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) sum += lessonInput[1 + i]![2 + j]! * lessonKernel[i]![j]!;
    expect(output[1]![2]).toBe(sum);
    expect(cells).toHaveLength(9);
    expect(cells[5]!.terms).toHaveLength(9);
  });

  it('follows the Keras output-size rules for valid and same padding', () => {
    expect(convGeometry(5, 3, 1, 'valid').out).toBe(3);
    expect(convGeometry(5, 3, 2, 'valid').out).toBe(2);
    expect(convGeometry(5, 3, 1, 'same')).toMatchObject({ out: 5, padTotal: 2, padBefore: 1 });
    expect(convGeometry(5, 3, 2, 'same')).toMatchObject({ out: 3, padTotal: 2, padBefore: 1 });
    expect(convGeometry(6, 3, 2, 'same')).toMatchObject({ out: 3, padTotal: 1, padBefore: 0 });
    expect(convGeometry(5, 3, 2, 'valid').formula).toContain('⌊(5 − 3) / 2⌋ + 1 = 2');
    // Same padding at stride 1 keeps the size; the corner sees zeros.
    const same = convolve(lessonInput, lessonKernel, 1, 'same');
    expect(same.output).toHaveLength(5);
    expect(same.cells[0]!.terms.filter((t) => t.input === 0).length).toBeGreaterThanOrEqual(5);
  });

  it('pools 2×2 blocks by max or mean', () => {
    const m = [
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [0, 0, 1, 1],
      [0, 4, 1, 1],
    ];
    expect(pool(m, 'max').output).toEqual([
      [6, 8],
      [4, 1],
    ]);
    expect(pool(m, 'average').output).toEqual([
      [3.5, 5.5],
      [1, 1],
    ]);
    expect(pool([[1, 2, 3], [4, 5, 6], [7, 8, 9]], 'max').out).toBe(1);
  });
});
