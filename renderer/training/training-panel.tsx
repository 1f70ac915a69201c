import { useEffect, useMemo, useState } from 'react';
import type { TrainingSettings } from '../../graph-schema/document';
import { lossNames, optimizerNames } from '../../graph-schema/document';
import type { ParamSpec } from '../../graph-schema/params';
import { callOrReport } from '../api';
import { formatCount, formatDuration, formatNumber } from '../format';
import { ParamField } from '../inspector/param-field';
import { useUi } from '../store/ui-store';
import type { EngineAvailability } from '../../shared/contract';
import type { EngineName } from '../../shared/training-types';

const engineLabels: Record<EngineName, string> = {
  'tensorflow-gpu': 'TensorFlow GPU',
  tensorflow: 'TensorFlow (native)',
  'onnxruntime-gpu': 'ONNX Runtime GPU',
  onnxruntime: 'ONNX Runtime',
  wasm: 'WebAssembly',
  cpu: 'Plain JavaScript (slow)',
};
/** Before main has answered: only what always ships. */
const fallbackEngines: EngineAvailability[] = [
  { name: 'wasm', present: true },
  { name: 'cpu', present: true },
];
import { editorStore, useEditor } from '../store/use-editor';
import { EvaluationView } from './evaluation-view';
import type { ChartSeries } from './line-chart';
import { LineChart } from './line-chart';
import { saveTrainedModel, startTraining, stopTraining } from './training-actions';
import { runIsStale, StaleBadge, useOpenGraphs } from '../lab/open-graphs';
import { RunControls } from '../lab/run-controls';
import { isActive, useRuns, useTraining } from './training-store';

const settingSpecs: Record<Exclude<keyof TrainingSettings, 'dataset'>, ParamSpec> = {
  optimizer: { type: 'enum', options: optimizerNames, default: 'adam', label: 'Optimizer' },
  learningRate: { type: 'float', default: 0.001, min: 0, minExclusive: true, max: 10, label: 'Learning rate' },
  loss: { type: 'enum', options: lossNames, default: 'categoricalCrossentropy', label: 'Loss' },
  batchSize: { type: 'int', default: 32, min: 1, max: 65536, label: 'Batch size', unit: 'examples' },
  epochs: { type: 'int', default: 5, min: 1, max: 100000, label: 'Epochs' },
  validationSplit: { type: 'float', default: 0.1, min: 0, max: 0.9, label: 'Validation split', help: 'Share of the training data held out to check for overfitting.' },
  shuffle: { type: 'bool', default: true, label: 'Shuffle each epoch' },
  seed: { type: 'int', default: 42, min: 0, max: 2 ** 31 - 1, label: 'Seed', help: 'Same seed, same initial weights and batch order.' },
};

const datasetKinds = [
  { kind: 'idx', label: 'IDX folder (MNIST format)' },
  { kind: 'cifar10', label: 'CIFAR-10 binary folder' },
  { kind: 'csv', label: 'CSV file (label last)' },
  { kind: 'folder', label: 'Image folder (one sub-folder per class)' },
] as const;

type DatasetKind = (typeof datasetKinds)[number]['kind'];

function setTraining(patch: Partial<TrainingSettings>, key: string): void {
  editorStore.getState().edit('Edit training settings', (d) => void Object.assign(d.training, patch), `training:${key}`);
}

function DatasetPicker() {
  const dataset = useEditor((s) => s.document.training.dataset);
  const native = useUi((s) => s.host?.nativeDialogs ?? false);
  const [builtin, setBuiltin] = useState<{ ref: string; name: string; description: string }[]>([]);
  const [kind, setKind] = useState<DatasetKind>('idx');
  const [path, setPath] = useState('');
  useEffect(() => {
    void callOrReport('dataset.builtin', {}, 'Could not list the data sets').then((list) => list && setBuiltin(list));
  }, []);
  const isBuiltin = builtin.some((b) => b.ref === dataset);
  const pick = async (withPath: boolean) => {
    const picked = await callOrReport('dataset.pick', withPath ? { kind, handle: path.trim() } : { kind }, 'Could not use that data set');
    if (picked) setTraining({ dataset: picked.ref }, 'dataset');
  };
  const description = builtin.find((b) => b.ref === dataset)?.description;
  return (
    <div className="nw-field">
      <label className="nw-field-label" htmlFor="training-dataset">
        <span>Data set</span>
      </label>
      <select id="training-dataset" className="nw-input" value={dataset} onChange={(e) => setTraining({ dataset: e.target.value }, 'dataset')} data-testid="training-dataset">
        {builtin.map((b) => (
          <option key={b.ref} value={b.ref}>
            {b.name}
          </option>
        ))}
        {!isBuiltin && <option value={dataset}>{dataset}</option>}
      </select>
      {description && <div className="nw-field-help">{description}</div>}
      <details className="nw-dataset-files">
        <summary>From files…</summary>
        <select className="nw-input" value={kind} onChange={(e) => setKind(e.target.value as DatasetKind)} data-testid="dataset-kind">
          {datasetKinds.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.label}
            </option>
          ))}
        </select>
        <div className="nw-row">
          <input
            className="nw-input"
            placeholder={kind === 'csv' ? '/path/to/data.csv' : '/path/to/folder'}
            value={path}
            onChange={(e) => setPath(e.target.value)}
            data-testid="dataset-path"
            spellCheck={false}
          />
          <button className="nw-button" disabled={path.trim() === ''} onClick={() => void pick(true)} data-testid="dataset-use-path">
            Use
          </button>
          {native && (
            <button className="nw-button" onClick={() => void pick(false)} data-testid="dataset-browse">
              Browse…
            </button>
          )}
        </div>
      </details>
    </div>
  );
}

function ProgressView() {
  const status = useTraining((s) => s.status);
  const progress = useTraining((s) => s.progress);
  const engine = useTraining((s) => s.engine);
  const run = useTraining((s) => s.run);
  const error = useTraining((s) => s.error);
  const batchSize = useEditor((s) => s.document.training.batchSize);
  const total = progress.epochs * progress.batchesPerEpoch;
  const done = Math.max(0, (progress.epoch - 1) * progress.batchesPerEpoch + progress.batch);
  const fraction = status === 'finished' ? 1 : total > 0 ? Math.min(1, done / total) : 0;
  let eta = progress.etaMs;
  if ((eta === null || eta === undefined) && progress.imagesPerSecond > 0 && total > 0) eta = ((total - done) * batchSize * 1000) / progress.imagesPerSecond;
  return (
    <div className="nw-training-status" data-testid="training-status" data-status={status}>
      <div className="nw-row nw-between">
        <span className={`nw-pill is-${status}`}>{status}</span>
        {engine && (
          <span className="nw-muted" data-testid="training-engine" title={engine.description}>
            engine: <strong>{engine.name}</strong> ({engine.backend}
            {engine.native ? ', native' : ''})
          </span>
        )}
      </div>
      <div className="nw-progress" data-testid="training-progress" data-fraction={fraction.toFixed(4)} data-epoch={progress.epoch} data-batch={progress.batch}>
        <div className="nw-progress-fill" style={{ width: `${fraction * 100}%` }} />
      </div>
      <div className="nw-training-figures">
        <span>
          epoch <strong className="nw-mono">{progress.epoch}</strong>/{progress.epochs || '—'}
        </span>
        <span>
          batch <strong className="nw-mono">{progress.batch}</strong>/{progress.batchesPerEpoch || '—'}
        </span>
        <span data-testid="training-speed">
          <strong className="nw-mono">{progress.imagesPerSecond > 0 ? formatCount(Math.round(progress.imagesPerSecond)) : '—'}</strong> img/s
        </span>
        <span data-testid="training-eta">
          ETA <strong className="nw-mono">{isActive(status) && eta !== null && eta !== undefined ? formatDuration(eta) : status === 'finished' ? 'done' : '—'}</strong>
        </span>
        {progress.lastLoss !== null && (
          <span>
            loss <strong className="nw-mono">{formatNumber(progress.lastLoss)}</strong>
          </span>
        )}
        {progress.lastAccuracy !== null && (
          <span>
            acc <strong className="nw-mono">{(progress.lastAccuracy * 100).toFixed(1)}%</strong>
          </span>
        )}
      </div>
      {run && (
        <div className="nw-muted nw-small" data-testid="training-data-line">
          {run.dataset}: {formatCount(run.trainCount)} train · {formatCount(run.validationCount)} validation · {formatCount(run.testCount)} test
        </div>
      )}
      {error && (
        <div className="nw-diag is-error" data-testid="training-error">
          <span className="nw-diag-code">{error.code}</span> {error.message}
        </div>
      )}
    </div>
  );
}

function Charts() {
  const version = useTraining((s) => s.version);
  const batches = useTraining((s) => s.batches);
  const epochs = useTraining((s) => s.epochs);
  const batchSeries = useMemo<ChartSeries[]>(
    () => [
      { label: 'loss', color: '#60a5fa', values: batches.loss },
      { label: 'accuracy', color: '#34d399', values: batches.accuracy },
    ],
    [batches],
  );
  const epochSeries = useMemo<ChartSeries[]>(
    () => [
      { label: 'loss', color: '#60a5fa', values: epochs.loss },
      { label: 'val loss', color: '#f59e0b', values: epochs.validationLoss, dashed: true },
      { label: 'accuracy', color: '#34d399', values: epochs.accuracy },
      { label: 'val accuracy', color: '#e879f9', values: epochs.validationAccuracy, dashed: true },
    ],
    [epochs],
  );
  return (
    <>
      <LineChart title="Per batch" x={batches.x} series={batchSeries} version={version} xLabel="batch" testId="chart-batch" />
      <LineChart title="Per epoch" x={epochs.x} series={epochSeries} version={version} xLabel="epoch" testId="chart-epoch" points />
    </>
  );
}

/** Pause / step for the panel's run, and a mark when its graph has been edited since. */
function PanelRunControls() {
  const runId = useTraining((s) => s.runId);
  const run = useRuns((s) => (runId ? s.runs[runId] : undefined));
  const open = useOpenGraphs();
  if (!run) return null;
  return (
    <div className="nw-row">
      <RunControls run={run} />
      {runIsStale(run, open) && (
        <span className="nw-small nw-muted">
          <StaleBadge stale testId="training-stale" /> these results are of the graph before your edits
        </span>
      )}
    </div>
  );
}

export function TrainingPanel() {
  const settings = useEditor((s) => s.document.training);
  const status = useTraining((s) => s.status);
  const limit = useTraining((s) => s.limit);
  const engineChoice = useTraining((s) => s.engineChoice);
  // Only engines main found installed are offered; the rest say what to install.
  const engines = useUi((s) => s.host?.engines);
  const presentEngines = engines ? engines.filter((e) => e.present) : fallbackEngines;
  const missingEngines = engines ? engines.filter((e) => !e.present) : [];
  const evaluation = useTraining((s) => s.evaluation);
  const runId = useTraining((s) => s.runId);
  const savedModel = useTraining((s) => s.savedModel);
  const active = isActive(status);
  return (
    <div className="nw-training" data-testid="training-panel">
      <section className="nw-section">
        <div className="nw-row nw-between">
          <div className="nw-section-title">Training</div>
          <div className="nw-row">
            {!active ? (
              <button className="nw-button primary" onClick={() => void startTraining()} data-testid="training-start" title="Start training (F5)">
                ▶ Train
              </button>
            ) : (
              <button className="nw-button danger" onClick={() => void stopTraining()} disabled={status === 'stopping'} data-testid="training-stop" title="Stop training (Shift+F5)">
                ■ {status === 'stopping' ? 'Stopping…' : 'Stop'}
              </button>
            )}
          </div>
        </div>
        <ProgressView />
        <PanelRunControls />
      </section>
      <section className="nw-section">
        <Charts />
      </section>
      {evaluation && (
        <section className="nw-section">
          <EvaluationView evaluation={evaluation} />
        </section>
      )}
      {runId && (status === 'finished' || status === 'stopped') && (
        <section className="nw-section nw-row">
          <button className="nw-button" onClick={() => void saveTrainedModel()} data-testid="training-save-model">
            Save trained model…
          </button>
          {savedModel && (
            <span className="nw-muted nw-small" data-testid="training-saved-model">
              {savedModel}
            </span>
          )}
        </section>
      )}
      <section className="nw-section">
        <div className="nw-section-title">Data</div>
        <DatasetPicker />
        <div className="nw-field">
          <label className="nw-field-label" htmlFor="training-limit">
            <span>Use at most</span>
            <span className="nw-field-range">examples; empty for all</span>
          </label>
          <input
            id="training-limit"
            className="nw-input"
            value={limit}
            onChange={(e) => useTraining.setState({ limit: e.target.value })}
            placeholder="all"
            inputMode="numeric"
            data-testid="training-limit"
          />
        </div>
        <div className="nw-field">
          <label className="nw-field-label" htmlFor="training-engine-choice">
            <span>Engine</span>
          </label>
          <select
            id="training-engine-choice"
            className="nw-input"
            value={engineChoice}
            onChange={(e) => useTraining.setState({ engineChoice: e.target.value as typeof engineChoice })}
            data-testid="training-engine-choice"
          >
            <option value="auto">Best available</option>
            {presentEngines.map((e) => (
              <option key={e.name} value={e.name}>
                {engineLabels[e.name]}
              </option>
            ))}
          </select>
          {missingEngines.length > 0 && (
            <ul className="nw-muted nw-engine-missing" data-testid="training-engines-missing">
              {missingEngines.map((e) => (
                <li key={e.name} title={e.missing} data-testid={`engine-missing-${e.name}`}>
                  {engineLabels[e.name]}: {e.missing}
                </li>
              ))}
            </ul>
          )}
        </div>
      </section>
      <section className="nw-section">
        <div className="nw-section-title">Settings (saved with the project)</div>
        {(Object.keys(settingSpecs) as (keyof typeof settingSpecs)[]).map((name) => (
          <ParamField
            key={name}
            name={name}
            spec={settingSpecs[name]}
            value={settings[name]}
            readOnly={active}
            onChange={(v) => setTraining({ [name]: v } as Partial<TrainingSettings>, name)}
            idPrefix="training"
          />
        ))}
      </section>
    </div>
  );
}
