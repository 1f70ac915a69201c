import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../services/atomic-write';

/**
 * Weights kept beside an imported project: DIR/weights.json (which node holds which arrays) and
 * DIR/weights.bin (float32, little-endian, concatenated). The project's `weights.path` names DIR
 * relative to the project file. Keyed by node id (a block's inner layer: `blockId/localId`, the
 * compiler's stable name), so deleting or adding nodes keeps every other node's weights.
 */

export interface StoredArray {
  shape: number[];
  values: Float32Array;
}

export type NodeWeights = Map<string, StoredArray[]>;

interface WeightsManifest {
  format: 'netweave.weights';
  version: 1;
  nodes: { id: string; arrays: { shape: number[]; offset: number; length: number }[] }[];
}

export const weightsManifestName = 'weights.json';
export const weightsBinName = 'weights.bin';

export async function writeNodeWeights(dir: string, weights: NodeWeights): Promise<void> {
  await mkdir(dir, { recursive: true });
  const manifest: WeightsManifest = { format: 'netweave.weights', version: 1, nodes: [] };
  let total = 0;
  for (const arrays of weights.values()) for (const a of arrays) total += a.values.length;
  const bin = new Float32Array(total);
  let offset = 0;
  for (const [id, arrays] of weights) {
    manifest.nodes.push({
      id,
      arrays: arrays.map((a) => {
        bin.set(a.values, offset);
        const entry = { shape: a.shape, offset, length: a.values.length };
        offset += a.values.length;
        return entry;
      }),
    });
  }
  await writeFileAtomic(path.join(dir, weightsBinName), Buffer.from(bin.buffer, bin.byteOffset, bin.byteLength));
  await writeFileAtomic(path.join(dir, weightsManifestName), JSON.stringify(manifest));
}

export async function readNodeWeights(dir: string): Promise<NodeWeights> {
  const manifest = JSON.parse(await readFile(path.join(dir, weightsManifestName), 'utf8')) as WeightsManifest;
  if (manifest.format !== 'netweave.weights' || manifest.version !== 1) throw new Error(`${dir} does not hold netweave weights (weights.json has another format).`);
  const raw = await readFile(path.join(dir, weightsBinName));
  const all = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  const out: NodeWeights = new Map();
  for (const node of manifest.nodes) {
    out.set(
      node.id,
      node.arrays.map((a) => {
        if (a.offset + a.length > all.length) throw new Error(`${dir}: weights.bin is shorter than weights.json says.`);
        return { shape: a.shape, values: all.slice(a.offset, a.offset + a.length) };
      }),
    );
  }
  return out;
}

/** The weights of a project that keeps them: its `weights.path` resolved against the project file. */
export async function readProjectWeights(projectFile: string, document: { weights?: { path: string } | undefined }): Promise<NodeWeights | undefined> {
  if (!document.weights) return undefined;
  return readNodeWeights(path.resolve(path.dirname(projectFile), document.weights.path));
}
