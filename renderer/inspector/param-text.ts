import type { ParamSpec } from '../../graph-schema/params';
import { checkParamRange } from '../../graph-schema/params';
import { formatCount } from '../format';

/** Text fields of the inspector: what a value looks like, and how typed text becomes a value. */

export type ParseOutcome = { ok: true; value: unknown } | { ok: false; message: string };

export function formatParamValue(spec: ParamSpec, value: unknown): string {
  if (spec.type === 'int2' && Array.isArray(value)) return value[0] === value[1] ? String(value[0]) : `${value[0]}, ${value[1]}`;
  if (spec.type === 'ints' && Array.isArray(value)) return value.join(', ');
  if (value === undefined || value === null) return '';
  return String(value);
}

const intPattern = /^[+-]?\d+$/;

function parseIntList(text: string): number[] | null {
  const parts = text
    .trim()
    .replace(/^[[(]|[\])]$/g, '')
    .split(/\s*[,×x*\s]\s*/i)
    .filter((s) => s.length > 0);
  if (parts.length === 0 || !parts.every((s) => intPattern.test(s))) return null;
  return parts.map(Number);
}

/** Parses and range-checks typed text; the message says what is expected. */
export function parseParamText(name: string, spec: ParamSpec, text: string): ParseOutcome {
  let value: unknown;
  switch (spec.type) {
    case 'int': {
      const t = text.trim().replace(/[_,\s]/g, '');
      if (!intPattern.test(t)) return { ok: false, message: 'Enter a whole number.' };
      value = Number(t);
      break;
    }
    case 'float': {
      const t = text.trim();
      const n = Number(t);
      if (t === '' || !Number.isFinite(n)) return { ok: false, message: 'Enter a number, e.g. 0.5 or 1e-3.' };
      value = n;
      break;
    }
    case 'int2': {
      const list = parseIntList(text);
      if (!list || list.length > 2) return { ok: false, message: 'Enter one size (5) or two (5, 3).' };
      value = list.length === 1 ? [list[0], list[0]] : list;
      break;
    }
    case 'ints': {
      const list = parseIntList(text);
      if (!list) return { ok: false, message: 'Enter whole numbers separated by commas, e.g. 28, 28, 1.' };
      value = list;
      break;
    }
    default:
      return { ok: false, message: 'This parameter is edited with its own control.' };
  }
  const range = checkParamRange(name, spec, value);
  if (range) return { ok: false, message: range.message.replace(`${spec.label} (${name}) `, 'Must ').replace(/^Must must/, 'Must') };
  return { ok: true, value };
}

/** "1 – 65,536 px" style hint for a field. */
export function rangeHint(spec: ParamSpec): string {
  if (spec.type !== 'int' && spec.type !== 'float' && spec.type !== 'int2') return spec.unit ?? '';
  const min = spec.min;
  const max = spec.max;
  const unit = spec.unit ? ` ${spec.unit}` : '';
  const f = (n: number): string => (Math.abs(n) >= 10_000 ? formatCount(n) : String(n));
  if (min !== undefined && max !== undefined) return `${f(min)} – ${f(max)}${unit}`;
  if (min !== undefined) return `≥ ${f(min)}${unit}`;
  if (max !== undefined) return `≤ ${f(max)}${unit}`;
  return unit.trim();
}
