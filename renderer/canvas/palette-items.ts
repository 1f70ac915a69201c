import type { Category } from '../../graph-schema/layer-def';
import { categoryLabels } from '../../graph-schema/layer-def';
import { layerKindNames, layerRegistry } from '../../graph-schema/registry';

export interface PaletteItem {
  kind: string;
  label: string;
  category: Category;
  summary: string;
}

export interface PaletteGroup {
  category: Category;
  label: string;
  items: PaletteItem[];
}

export const paletteItems: readonly PaletteItem[] = layerKindNames.map((kind) => {
  const def = layerRegistry[kind];
  return { kind, label: def.label, category: def.category, summary: def.summary };
});

/** Items matching every word of the query (kind, label, category or summary), grouped in category order. */
export function paletteGroups(query: string): PaletteGroup[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = paletteItems.filter((item) => {
    const hay = `${item.kind} ${item.label} ${categoryLabels[item.category]} ${item.summary}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
  const groups: PaletteGroup[] = [];
  for (const category of Object.keys(categoryLabels) as Category[]) {
    const items = matches.filter((m) => m.category === category);
    if (items.length > 0) groups.push({ category, label: categoryLabels[category], items });
  }
  return groups;
}

/** Best matches first: names that start with the query, then names that contain it, then the rest. */
export function rankedMatches(query: string): PaletteItem[] {
  const q = query.trim().toLowerCase();
  const all = paletteGroups(query).flatMap((g) => g.items);
  if (!q) return all;
  const score = (item: PaletteItem): number => {
    const names = [item.kind.toLowerCase(), item.label.toLowerCase()];
    if (names.some((n) => n.startsWith(q))) return 0;
    if (names.some((n) => n.includes(q))) return 1;
    return 2;
  };
  return [...all].sort((a, b) => score(a) - score(b));
}
