/** Number formatting shared by the canvas, inspector and status bar. */

const grouped = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return grouped.format(n);
}

/** 25,636,712 → "25.6M"; small numbers stay exact. */
export function formatCompact(n: number): string {
  const abs = Math.abs(n);
  if (abs < 10_000) return grouped.format(n);
  if (abs < 1_000_000) return `${trim(n / 1_000)}K`;
  if (abs < 1_000_000_000) return `${trim(n / 1_000_000)}M`;
  return `${trim(n / 1_000_000_000)}G`;
}

function trim(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1).replace(/\.0$/, '') : x.toFixed(2).replace(/\.?0+$/, '');
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

export function formatNumber(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  return Number(x.toPrecision(digits)).toString();
}

/**
 * A share as a percentage that never rounds an error away: 199 of 200 reads
 * "99.5%", never "100%"; whole numbers only when exact.
 */
export function formatPercent(share: number): string {
  if (!Number.isFinite(share)) return '—';
  const percent = share * 100;
  if (Number.isInteger(percent)) return `${percent}%`;
  let text = percent.toFixed(1);
  if (text === '100.0' && share < 1) text = '99.9';
  if (text === '0.0' && share > 0) text = '0.1';
  return `${text}%`;
}
