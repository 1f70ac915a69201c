import { describe, expect, it } from 'vitest';
import { expandBlockView, nodeWidth } from '../../graph-schema/layout/block-geometry';
import { lanePath } from '../../renderer/canvas/lane-path';

// A residual block's shortcut gets its own lane beside the main path (its projection on it), so the
// dashed edge never has to cross the main path's layers.

const byId = (view: NonNullable<ReturnType<typeof expandBlockView>>) => new Map(view.layers.map((l) => [l.localId, l]));

describe('residual block expansion: the shortcut lane', () => {
  it('puts a projection shortcut on a lane right of a straight main column', () => {
    const view = expandBlockView('ResidualBlock', { variant: 'basic', filters: 128, strides: 2 }, [null, 56, 56, 64])!;
    expect(view.lane).toBeDefined();
    const lane = view.lane!;
    expect(lane.layers).toEqual(['shortcut_conv', 'shortcut_bn']);
    expect(lane.merge).toBe('add');
    const layers = byId(view);
    const main = view.layers.filter((l) => !lane.layers.includes(l.localId));
    // One column, top to bottom in order, the lane's layers in a column of their own to its right.
    expect(new Set(main.map((l) => l.position.x)).size).toBe(1);
    main.slice(1).forEach((l, i) => expect(l.position.y).toBeGreaterThan(main[i]!.position.y));
    const mainRight = main[0]!.position.x + nodeWidth;
    for (const id of lane.layers) {
      const l = layers.get(id)!;
      expect(l.position.x).toBeGreaterThan(mainRight);
      expect(Math.abs(l.position.x + nodeWidth / 2 - lane.x)).toBeLessThan(1);
      // On the stretch it bypasses: below the block's top, above the Add.
      expect(l.position.y).toBeLessThan(layers.get('add')!.position.y);
    }
    expect(layers.get('shortcut_bn')!.position.y).toBeGreaterThan(layers.get('shortcut_conv')!.position.y);
    expect(view.width).toBeGreaterThanOrEqual(lane.x + nodeWidth / 2);
  });

  it('gives an identity shortcut an empty lane beside the main column', () => {
    const view = expandBlockView('ResidualBlock', { variant: 'basic', filters: 64, strides: 1 }, [null, 56, 56, 64])!;
    expect(view.lane?.layers).toEqual([]);
    const xs = new Set(view.layers.map((l) => l.position.x));
    expect(xs.size).toBe(1);
    expect(view.lane!.x).toBeGreaterThan([...xs][0]! + nodeWidth);
  });

  it('leaves blocks without a single shortcut (parallel branches) as they were', () => {
    const view = expandBlockView('InceptionBlock', {}, [null, 28, 28, 192]);
    expect(view).not.toBeNull();
    expect(view!.lane).toBeUndefined();
  });
});

describe('lanePath', () => {
  it('runs down the lane and turns into its target just above it', () => {
    const { path, labelX } = lanePath(100, 60, 100, 500, 300);
    expect(path.startsWith('M 100,60')).toBe(true);
    expect(path.endsWith('L 100,500')).toBe(true);
    expect(labelX).toBe(300);
    // Every corner point of the path lies on the source's short lead, the lane, or the last turn above the target.
    const coords = [...path.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
    for (const [x, y] of coords) expect(y <= 72 || Math.abs(x - 300) <= 8 || y >= 484 - 8).toBe(true);
  });

  it('goes straight down when source and target are on the lane', () => {
    expect(lanePath(300, 10, 300, 200, 300).path).toBe('M 300,10 L 300,200');
  });
});
