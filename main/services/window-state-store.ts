import path from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonFile } from './json-store';

export interface WindowBounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: WindowBounds;
  maximized: boolean;
}

export const defaultWindowSize = { width: 1280, height: 820 };
export const minimumWindowSize = { width: 800, height: 560 };

const boundsSchema = z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int().positive(), height: z.number().int().positive() });
const stateSchema = z.object({ bounds: boundsSchema, maximized: z.boolean() });

export async function readWindowState(userDataDir: string): Promise<WindowState | undefined> {
  const parsed = stateSchema.safeParse(await readJsonFile(path.join(userDataDir, 'window-state.json')));
  return parsed.success ? parsed.data : undefined;
}

export async function writeWindowState(userDataDir: string, state: WindowState): Promise<void> {
  await writeJsonFile(path.join(userDataDir, 'window-state.json'), state);
}

function overlap(a: WindowBounds, b: WindowBounds): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * The remembered bounds when enough of the window would be visible on one of
 * today's displays (a monitor may have been unplugged); otherwise undefined,
 * and the window opens centred at its default size.
 */
export function restorableBounds(saved: WindowBounds | undefined, displays: readonly WindowBounds[]): WindowBounds | undefined {
  if (!saved) return undefined;
  const width = Math.max(saved.width, minimumWindowSize.width);
  const height = Math.max(saved.height, minimumWindowSize.height);
  const bounds = { x: saved.x, y: saved.y, width, height };
  const visible = displays.some((d) => overlap(bounds, d) >= Math.min(width * height, d.width * d.height) * 0.25);
  return visible ? bounds : undefined;
}
