import { useEffect, useRef } from 'react';
import { activationRampVars, rampCss, themeRamp } from './colors';
import type { LabFilters, LabTensor } from './lab-types';

/** Paints an h×w block of values (read through `at`) on a canvas, through the theme's ramp. */
function paint(canvas: HTMLCanvasElement, h: number, w: number, at: (y: number, x: number) => number, min: number, max: number): void {
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const ramp = themeRamp(activationRampVars);
  const img = ctx.createImageData(w, h);
  const span = max - min || 1;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const [r, g, b] = ramp((at(y, x) - min) / span);
      const o = (y * w + x) * 4;
      img.data[o] = r;
      img.data[o + 1] = g;
      img.data[o + 2] = b;
      img.data[o + 3] = 255;
    }
  ctx.putImageData(img, 0, 0);
}

function ValueCanvas({ h, w, at, min, max, size, title, testId }: { h: number; w: number; at: (y: number, x: number) => number; min: number; max: number; size: number; title?: string; testId?: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (ref.current) paint(ref.current, h, w, at, min, max);
  });
  const scale = Math.max(1, Math.floor(size / Math.max(h, w)));
  return <canvas ref={ref} className="nw-lab-pixels" style={{ width: w * scale, height: h * scale }} title={title} data-testid={testId} />;
}

export function ColorScale({ min, max }: { min: number; max: number }) {
  return (
    <div className="nw-lab-scale" data-testid="color-scale">
      <span className="nw-mono">{min.toPrecision(3)}</span>
      <span className="nw-lab-scale-bar" style={{ background: rampCss(activationRampVars) }} />
      <span className="nw-mono">{max.toPrecision(3)}</span>
    </div>
  );
}

const maxChannels = 64;

/** Feature maps (H, W, C) as a grid of channel images; vectors as a heat strip and, when short, bars. */
export function TensorView({ tensor }: { tensor: LabTensor }) {
  const { shape, values, min, max } = tensor;
  const size = shape.reduce((a, b) => a * b, 1);
  if (values.length < size)
    return (
      <div className="nw-muted nw-small" data-testid="tensor-truncated">
        This tensor has {size.toLocaleString()} values, more than the view shows ({values.length.toLocaleString()} sent).
      </div>
    );
  if (shape.length === 3) {
    const [h, w, c] = shape as [number, number, number];
    const shown = Math.min(c, maxChannels);
    const size = h <= 8 ? 40 : 64;
    return (
      <div data-testid="feature-maps" data-channels={c}>
        <div className="nw-lab-grid">
          {Array.from({ length: shown }, (_, ch) => (
            <figure key={ch} className="nw-lab-cell">
              <ValueCanvas h={h} w={w} at={(y, x) => values[(y * w + x) * c + ch]!} min={min} max={max} size={size} title={`channel ${ch}`} testId="feature-map" />
              <figcaption>{ch}</figcaption>
            </figure>
          ))}
        </div>
        {c > shown && <div className="nw-muted nw-small">First {shown} of {c} channels.</div>}
        <ColorScale min={min} max={max} />
      </div>
    );
  }
  const n = values.length;
  const span = max - min || 1;
  return (
    <div data-testid="vector-view" data-units={n}>
      <ValueCanvas h={1} w={n} at={(_, x) => values[x]!} min={min} max={max} size={Math.min(440, Math.max(n, 200))} testId="heat-strip" />
      <div className="nw-lab-strip-scale">
        <ColorScale min={min} max={max} />
      </div>
      {n <= 64 && (
        <div className="nw-lab-bars" data-testid="vector-bars">
          {values.map((v, i) => (
            <span key={i} className="nw-lab-bar" style={{ height: `${Math.max(2, ((v - min) / span) * 100)}%` }} title={`${i}: ${v.toPrecision(4)}`} />
          ))}
        </div>
      )}
    </div>
  );
}

/** Conv filters [kh, kw, in, out]: the first layer's as grey or RGB images, deeper ones per input channel. */
export function FiltersView({ filters }: { filters: LabFilters }) {
  const [kh, kw, cin, cout] = filters.shape as [number, number, number, number];
  const { values, min, max } = filters;
  const at = (y: number, x: number, i: number, o: number) => values[((y * kw + x) * cin + i) * cout + o]!;
  const shownOut = Math.min(cout, 32);
  const shownIn = cin === 3 ? 1 : Math.min(cin, 6);
  return (
    <div data-testid="filters" data-filters={cout}>
      <div className="nw-lab-grid">
        {Array.from({ length: shownOut }, (_, o) => (
          <figure key={o} className="nw-lab-cell">
            <div className="nw-row nw-lab-filter">
              {cin === 3 ? (
                <RgbFilter kh={kh} kw={kw} at={(y, x, i) => at(y, x, i, o)} min={min} max={max} />
              ) : (
                Array.from({ length: shownIn }, (_, i) => <ValueCanvas key={i} h={kh} w={kw} at={(y, x) => at(y, x, i, o)} min={min} max={max} size={28} title={`filter ${o}, input channel ${i}`} testId="filter-image" />)
              )}
            </div>
            <figcaption>{o}</figcaption>
          </figure>
        ))}
      </div>
      <div className="nw-muted nw-small">
        {cout} filters of {kh}×{kw}×{cin}
        {cin !== 3 && cin > shownIn ? ` (first ${shownIn} input channels shown)` : ''}
        {cout > shownOut ? `, first ${shownOut} shown` : ''}.
      </div>
      <ColorScale min={min} max={max} />
    </div>
  );
}

function RgbFilter({ kh, kw, at, min, max }: { kh: number; kw: number; at: (y: number, x: number, i: number) => number; min: number; max: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = ref.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    c.width = kw;
    c.height = kh;
    const img = ctx.createImageData(kw, kh);
    const span = max - min || 1;
    for (let y = 0; y < kh; y++)
      for (let x = 0; x < kw; x++) for (let i = 0; i < 3; i++) img.data[(y * kw + x) * 4 + i] = ((at(y, x, i) - min) / span) * 255;
    for (let p = 3; p < img.data.length; p += 4) img.data[p] = 255;
    ctx.putImageData(img, 0, 0);
  });
  return <canvas ref={ref} className="nw-lab-pixels" style={{ width: kw * 8, height: kh * 8 }} data-testid="filter-image" />;
}

/** A data-set example (pixels in [0,1], HWC) as a grey or RGB image. */
export function SampleImage({ image, shape, size = 56 }: { image: number[]; shape: number[]; size?: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [h = 1, w = 1, c = 1] = shape;
  useEffect(() => {
    const el = ref.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx) return;
    el.width = w;
    el.height = h;
    const img = ctx.createImageData(w, h);
    for (let p = 0; p < h * w; p++)
      for (let i = 0; i < 3; i++) img.data[p * 4 + i] = Math.round((image[p * c + (c === 3 ? i : 0)] ?? 0) * 255);
    for (let p = 3; p < img.data.length; p += 4) img.data[p] = 255;
    ctx.putImageData(img, 0, 0);
  }, [image, h, w, c]);
  return <canvas ref={ref} className="nw-lab-pixels" style={{ width: size, height: size }} />;
}
