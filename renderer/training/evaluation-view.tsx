import { useEffect, useRef } from 'react';
import type { Evaluation, SamplePrediction } from '../../shared/training-types';
import { formatCount, formatPercent } from '../format';

/** Draws one sample's pixels (H × W × C in [0, 1]) into a small canvas. */
function SampleImage({ sample }: { sample: SamplePrediction }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [h = 1, w = 1, c = 1] = sample.shape;
  useEffect(() => {
    const el = canvas.current;
    const pixels = sample.image;
    if (!el || !pixels) return;
    const ctx = el.getContext('2d');
    if (!ctx) return;
    const image = ctx.createImageData(w, h);
    for (let i = 0; i < h * w; i++) {
      const at = i * c;
      const r = pixels[at] ?? 0;
      const g = c >= 3 ? (pixels[at + 1] ?? 0) : r;
      const b = c >= 3 ? (pixels[at + 2] ?? 0) : r;
      image.data[i * 4] = Math.round(Math.min(1, Math.max(0, r)) * 255);
      image.data[i * 4 + 1] = Math.round(Math.min(1, Math.max(0, g)) * 255);
      image.data[i * 4 + 2] = Math.round(Math.min(1, Math.max(0, b)) * 255);
      image.data[i * 4 + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
  }, [sample, h, w, c]);
  return <canvas ref={canvas} width={w} height={h} className="nw-sample-canvas" />;
}

export function EvaluationView({ evaluation }: { evaluation: Evaluation }) {
  const names = evaluation.classNames.length > 0 ? evaluation.classNames : evaluation.confusion.map((_, i) => String(i));
  const max = Math.max(1, ...evaluation.confusion.flat());
  const images = evaluation.samples.filter((s) => s.image && s.image.length > 0);
  return (
    <div className="nw-evaluation" data-testid="training-evaluation">
      <div className="nw-eval-summary">
        <span>
          Test accuracy <strong data-testid="eval-accuracy">{(evaluation.accuracy * 100).toFixed(1)}%</strong>
        </span>
        <span>
          loss <strong className="nw-mono">{evaluation.loss.toFixed(4)}</strong>
        </span>
        <span className="nw-muted">{formatCount(evaluation.count)} examples</span>
      </div>

      {evaluation.confusion.length > 0 && (
        <div className="nw-section">
          <div className="nw-section-title">Confusion matrix (rows: actual, columns: predicted)</div>
          <div className="nw-confusion-wrap">
            <table className="nw-confusion" data-testid="confusion-matrix">
              <thead>
                <tr>
                  <th />
                  {names.map((n) => (
                    <th key={n} title={n}>
                      {n.length > 4 ? `${n.slice(0, 4)}…` : n}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {evaluation.confusion.map((row, a) => (
                  <tr key={a}>
                    <th title={names[a]}>{(names[a] ?? String(a)).slice(0, 8)}</th>
                    {row.map((count, p) => {
                      const strength = count / max;
                      const hue = a === p ? '52, 211, 153' : '248, 113, 113';
                      return (
                        <td
                          key={p}
                          style={{ background: count > 0 ? `rgba(${hue}, ${0.12 + 0.75 * strength})` : undefined }}
                          title={`actual ${names[a]}, predicted ${names[p]}: ${count}`}
                        >
                          {count > 0 ? count : ''}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}

      {evaluation.perClassAccuracy.length > 0 && (
        <div className="nw-section">
          <div className="nw-section-title">Accuracy per class</div>
          <div className="nw-class-bars" data-testid="per-class-accuracy">
            {evaluation.perClassAccuracy.map((acc, i) => (
              <div key={i} className="nw-class-bar">
                <span className="nw-class-name" title={names[i]}>
                  {names[i]}
                </span>
                <span className="nw-class-track">
                  <span className="nw-class-fill" style={{ width: `${Math.max(0, Math.min(1, acc)) * 100}%` }} />
                </span>
                <span className="nw-mono nw-class-value">{formatPercent(acc)}</span>
              </div>
            ))}
          </div>
        </div>
      )}

      {evaluation.samples.length > 0 && (
        <div className="nw-section">
          <div className="nw-section-title">Sample predictions</div>
          <div className="nw-samples" data-testid="sample-predictions">
            {(images.length > 0 ? images : evaluation.samples).slice(0, 24).map((s, i) => {
              const right = s.label === s.predicted;
              return (
                <div key={i} className={`nw-sample${right ? ' is-right' : ' is-wrong'}`} data-testid="sample-prediction">
                  {s.image && s.image.length > 0 ? <SampleImage sample={s} /> : <div className="nw-sample-noimage">—</div>}
                  <div className="nw-sample-caption">
                    <span title="predicted">{names[s.predicted] ?? s.predicted}</span>
                    <span className="nw-muted">{(s.confidence * 100).toFixed(0)}%</span>
                  </div>
                  {!right && <div className="nw-sample-actual">was {names[s.label] ?? s.label}</div>}
                </div>
              );
            })}
          </div>
        </div>
      )}
    </div>
  );
}
