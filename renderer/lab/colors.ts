/**
 * Colours come from the theme's CSS variables (renderer/styles.css), read at
 * draw time, so the lab's charts and images follow a theme change.
 */

export function cssVar(name: string, fallbackVar = '--text'): string {
  if (typeof document === 'undefined') return '';
  const style = getComputedStyle(document.documentElement);
  return style.getPropertyValue(name).trim() || style.getPropertyValue(fallbackVar).trim();
}

let probe: CanvasRenderingContext2D | null = null;

/** Any CSS colour as [r, g, b] (0–255), through the canvas' own parser. */
export function toRgb(color: string): [number, number, number] {
  probe ??= document.createElement('canvas').getContext('2d');
  if (!probe) return [128, 128, 128];
  probe.fillStyle = '#000';
  probe.fillStyle = color;
  const v = probe.fillStyle;
  if (v.startsWith('#')) return [parseInt(v.slice(1, 3), 16), parseInt(v.slice(3, 5), 16), parseInt(v.slice(5, 7), 16)];
  const m = v.match(/[\d.]+/g);
  return m ? [Number(m[0]), Number(m[1]), Number(m[2])] : [128, 128, 128];
}

/** Theme colours for the runs, in order; repeats after six. */
const runVars = ['--accent', '--skip', '--ok', '--error', '--warning', '--muted'];

export function runColor(index: number): string {
  return cssVar(runVars[index % runVars.length]!);
}

export function runColorVar(index: number): string {
  return `var(${runVars[index % runVars.length]})`;
}

export type Ramp = (t: number) => [number, number, number];

/** A piecewise-linear colour ramp over the given CSS variables, t in [0,1]. */
export function themeRamp(vars: readonly string[]): Ramp {
  const stops = vars.map((v) => toRgb(cssVar(v)));
  return (t) => {
    const x = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
    const i = Math.min(stops.length - 2, Math.floor(x));
    const f = x - i;
    const a = stops[i]!;
    const b = stops[i + 1]!;
    return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
  };
}

/** Activations and filters: dark (low) to bright (high). */
export const activationRampVars = ['--bg', '--accent', '--text-strong'] as const;
/** Loss landscape: low loss cool, high loss hot. */
export const lossRampVars = ['--accent', '--ok', '--warning', '--error'] as const;

export function rampCss(vars: readonly string[]): string {
  return `linear-gradient(to right, ${vars.map((v) => `var(${v})`).join(', ')})`;
}
