import type { Shape } from '../shape';

/** A JavaScript literal of plain config data: numbers, strings, booleans, arrays, objects. */
export function jsLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  if (typeof value === 'number') return numberLiteral(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(jsLiteral).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : jsLiteral(k)}: ${jsLiteral(v)}`);
  return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
}

/** A Python literal; arrays become tuples, as Keras and PyTorch spell sizes. */
export function pyLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return pyString(value);
  if (typeof value === 'number') return numberLiteral(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (Array.isArray(value)) return value.length === 1 ? `(${pyLiteral(value[0])},)` : `(${value.map(pyLiteral).join(', ')})`;
  const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pyString(k)}: ${pyLiteral(v)}`);
  return `{${entries.join(', ')}}`;
}

export function pyString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Shortest text that reads back as the same double in both languages: 0.001, 1e-7, 0.99. */
export function numberLiteral(n: number): string {
  return String(n);
}

/** (None, 28, 28, 6) in Python, [null, 28, 28, 6] in TypeScript. */
export function shapeText(shape: Shape, language: 'ts' | 'py'): string {
  const dims = shape.map((d) => (d === null ? (language === 'ts' ? 'null' : 'None') : String(d)));
  if (language === 'ts') return `[${dims.join(', ')}]`;
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

export function groupedNumber(n: number): string {
  return n.toLocaleString('en-US');
}

export function paramsText(count: { trainable: number; nonTrainable: number }): string {
  const total = count.trainable + count.nonTrainable;
  if (total === 0) return '';
  const parts = `${groupedNumber(total)} param${total === 1 ? '' : 's'}`;
  return count.nonTrainable > 0 ? `${parts} (${groupedNumber(count.nonTrainable)} non-trainable)` : parts;
}

/** Text safe inside a one-line comment of either language. */
export function commentText(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/\*\//g, '* /');
}
