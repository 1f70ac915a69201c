/** Readable, unique node and edge ids: "conv2d_3", "e_conv2d_3_pool_1". */

export function kindIdPrefix(kind: string): string {
  return kind
    .replace(/(\d)D\b/g, '$1d')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_');
}

export function uniqueId(prefix: string, taken: ReadonlySet<string>): string {
  for (let i = 1; ; i++) {
    const id = `${prefix}_${i}`;
    if (!taken.has(id)) return id;
  }
}

export function edgeIdFor(source: string, target: string, taken: ReadonlySet<string>): string {
  const base = `e_${source}_${target}`;
  if (!taken.has(base)) return base;
  return uniqueId(base, taken);
}
