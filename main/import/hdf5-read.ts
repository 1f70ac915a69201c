// @ts-expect-error jsfive ships no type declarations; the few members used are typed below.
import { File as Hdf5File } from 'jsfive';

/** The part of jsfive (a maintained pure-JS HDF5 reader) the importers use. */
export interface H5Node {
  keys?: string[];
  attrs: Record<string, unknown>;
  value?: ArrayLike<number>;
  shape?: number[];
  get?(path: string): H5Node | null;
}

export function openHdf5(data: Uint8Array, name: string): H5Node {
  const copy = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  return new Hdf5File(copy, name) as H5Node;
}

export function h5Get(node: H5Node, path: string): H5Node | null {
  try {
    return node.get?.(path) ?? null;
  } catch {
    return null;
  }
}

/** HDF5 attribute text: fixed-length strings arrive padded with NULs; byte strings as arrays of them. */
export function h5Text(value: unknown): string {
  const one = Array.isArray(value) && value.length === 1 ? value[0] : value;
  return String(one ?? '').replace(/\0+$/g, '');
}

export function h5TextList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => String(v).replace(/\0+$/g, ''));
}

export function h5Array(node: H5Node): { shape: number[]; values: Float32Array } {
  const values = Float32Array.from(node.value ?? []);
  return { shape: [...(node.shape ?? [values.length])], values };
}
