import { useMemo, useState } from 'react';
import type { Padding, PoolMode } from './conv-math';
import { convolve, lessonInput, lessonKernel, padded, pool } from './conv-math';

function Grid({ values, highlight, filled, testId, caption, pad = 0 }: { values: number[][]; highlight?: (r: number, c: number) => boolean; filled?: (r: number, c: number) => boolean; testId: string; caption: string; pad?: number }) {
  const n = values.length;
  return (
    <figure className="nw-lab-conv-fig">
      <div className="nw-lab-conv-grid" style={{ gridTemplateColumns: `repeat(${values[0]?.length ?? 1}, 30px)` }} data-testid={testId}>
        {values.map((row, r) =>
          row.map((v, c) => {
            const inner = lessonInput.length;
            const isPad = n > inner && (r < pad || c < pad || r >= pad + inner || c >= pad + inner);
            const shown = filled ? filled(r, c) : true;
            return (
              <span key={`${r}-${c}`} className={`nw-lab-conv-cell${highlight?.(r, c) ? ' is-window' : ''}${isPad ? ' is-pad' : ''}${shown ? '' : ' is-empty'}`}>
                {shown ? (Number.isInteger(v) ? v : v.toFixed(2)) : ''}
              </span>
            );
          }),
        )}
      </div>
      <figcaption className="nw-muted nw-small">{caption}</figcaption>
    </figure>
  );
}

/** The convolution lesson: a 5×5 input, a 3×3 kernel, stride and padding, then 2×2 pooling, one output cell at a time. */
export function ConvLesson() {
  const [stride, setStride] = useState(1);
  const [padding, setPadding] = useState<Padding>('valid');
  const [mode, setMode] = useState<PoolMode>('max');
  const [cursor, setCursor] = useState(0);
  const conv = useMemo(() => convolve(lessonInput, lessonKernel, stride, padding), [stride, padding]);
  const pooled = useMemo(() => (conv.output.length >= 2 ? pool(conv.output, mode) : null), [conv, mode]);
  const convCount = conv.cells.length;
  const total = convCount + (pooled?.cells.length ?? 0);
  const at = Math.min(cursor, total - 1);
  const inConv = at < convCount;
  const cell = inConv ? conv.cells[at]! : null;
  const poolCell = !inConv && pooled ? pooled.cells[at - convCount]! : null;
  const grid = padded(lessonInput, conv.geometry);
  const k = lessonKernel.length;
  const change = (f: () => void) => {
    f();
    setCursor(0);
  };
  const convFilled = (r: number, c: number) => !inConv || r * conv.geometry.out + c <= at;
  const poolFilled = (r: number, c: number) => !inConv && r * (pooled?.out ?? 0) + c <= at - convCount;
  return (
    <div className="nw-lab-conv" data-testid="conv-lesson" data-cursor={at}>
      <div className="nw-section-title">How a convolution computes its output</div>
      <p className="nw-lab-step-text">
        The 3×3 kernel slides over the input, <b>stride</b> cells at a time. At each stop it multiplies the nine numbers under it by its weights and adds them up: one output cell. <b>valid</b>{' '}
        padding only stops where the kernel fits; <b>same</b> adds zeros around the input so that (at stride 1) the output keeps the input's size. Pooling then shrinks the map: each 2×2 block becomes
        its largest value (max) or its mean (average).
      </p>
      <div className="nw-row nw-lab-options">
        <label className="nw-small">
          stride{' '}
          <select className="nw-input nw-lab-select" value={stride} onChange={(e) => change(() => setStride(Number(e.target.value)))} data-testid="conv-stride">
            <option value={1}>1</option>
            <option value={2}>2</option>
          </select>
        </label>
        <label className="nw-small">
          padding{' '}
          <select className="nw-input nw-lab-select" value={padding} onChange={(e) => change(() => setPadding(e.target.value as Padding))} data-testid="conv-padding">
            <option value="valid">valid</option>
            <option value="same">same</option>
          </select>
        </label>
        <label className="nw-small">
          pooling{' '}
          <select className="nw-input nw-lab-select" value={mode} onChange={(e) => change(() => setMode(e.target.value as PoolMode))} data-testid="conv-pool">
            <option value="max">2×2 max</option>
            <option value="average">2×2 average</option>
          </select>
        </label>
        <span className="nw-grow" />
        <button className="nw-button small" onClick={() => setCursor(Math.max(0, at - 1))} disabled={at === 0} data-testid="conv-prev">
          ←
        </button>
        <button className="nw-button small primary" onClick={() => setCursor(Math.min(total - 1, at + 1))} disabled={at === total - 1} data-testid="conv-next">
          Next cell →
        </button>
      </div>
      <div className="nw-lab-conv-row">
        <Grid values={grid} pad={conv.geometry.padBefore} highlight={(r, c) => !!cell && r >= cell.top && r < cell.top + k && c >= cell.left && c < cell.left + k} testId="conv-input" caption={`input ${lessonInput.length}×${lessonInput.length}${conv.geometry.padTotal ? `, padded to ${grid.length}×${grid.length}` : ''}`} />
        <Grid values={lessonKernel} testId="conv-kernel" caption="kernel 3×3" />
        <Grid values={conv.output} highlight={(r, c) => (cell ? r === cell.row && c === cell.col : !!poolCell && Math.floor(r / 2) === poolCell.row && Math.floor(c / 2) === poolCell.col && r < 2 * (pooled?.out ?? 0) && c < 2 * (pooled?.out ?? 0))} filled={convFilled} testId="conv-output" caption={`convolution ${conv.geometry.out}×${conv.geometry.out}`} />
        {pooled && <Grid values={pooled.output} highlight={(r, c) => !!poolCell && r === poolCell.row && c === poolCell.col} filled={poolFilled} testId="pool-output" caption={`${mode} pool ${pooled.out}×${pooled.out}`} />}
      </div>
      <div className="nw-lab-conv-calc nw-mono" data-testid="conv-calculation">
        {cell && (
          <>
            out[{cell.row},{cell.col}] = {cell.terms.map((t) => `${t.input}·${t.weight < 0 ? `(${t.weight})` : t.weight}`).join(' + ')} = <b>{cell.value}</b>
          </>
        )}
        {poolCell && (
          <>
            pool[{poolCell.row},{poolCell.col}] = {mode === 'max' ? `max(${poolCell.values.join(', ')})` : `(${poolCell.values.join(' + ')}) / 4`} = <b>{Number.isInteger(poolCell.value) ? poolCell.value : poolCell.value.toFixed(2)}</b>
          </>
        )}
      </div>
      <div className="nw-lab-conv-formula nw-mono" data-testid="conv-formula">
        <div>convolution: {conv.geometry.formula}</div>
        {pooled && <div>pooling 2×2, stride 2: {pooled.formula}</div>}
      </div>
    </div>
  );
}
