import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { kerasModelToGraph } from '../../graph-schema/import/keras-model-graph';
import type { H5Node } from './hdf5-read';
import { h5Array, h5Get, h5Text, h5TextList, openHdf5 } from './hdf5-read';
import type { ImportedModel } from './imported-model';
import { ImportError, attachWeights } from './imported-model';
import type { StoredArray } from './weights-store';

type Json = Record<string, unknown>;

/** Keras' own class-name → path spelling: Conv2D → conv2d, BatchNormalization → batch_normalization. */
export function kerasSnakeCase(name: string): string {
  return name.replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

function layerList(model: Json): Json[] {
  const config = (model.config ?? {}) as Json;
  return Array.isArray(config.layers) ? (config.layers as Json[]) : [];
}

const nameOf = (layer: Json): string => String(layer.name ?? (layer.config as Json | undefined)?.name ?? '');

/**
 * A Keras 3 `.keras` file: a zip of config.json (the model, objects wrapped as {module, class_name,
 * config, registered_name}), metadata.json and model.weights.h5. Keras's saving_lib (`_save_state`,
 * `_save_container_state`, `H5IOStore`) writes each layer of `model.layers` at
 * `layers/<snake_case class name>[_n]/vars/<i>`: numbered per class in layer order (dense, dense_1, …),
 * `<i>` the layer's trainable variables then its non-trainable ones, in the order it created them.
 * Since Keras 3.6 every `vars` group also carries the layer's name as its `name` attribute: where it is
 * there it decides. `.keras` files of tf.keras 2.13–2.14 have `_layer_checkpoint_dependencies` where
 * later ones have `layers` (2.15 left it out of the walk), with their own numbering (below).
 */
export async function importKerasFile(file: string): Promise<ImportedModel> {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(new Uint8Array(await readFile(file)));
  } catch (err) {
    throw new ImportError('import-unreadable', `${file} is not a .keras zip: ${err instanceof Error ? err.message : String(err)}.`);
  }
  if (!entries['config.json']) throw new ImportError('import-unreadable', `${file} has no config.json: it is not a Keras 3 model file.`);
  const model = JSON.parse(strFromU8(entries['config.json'])) as Json;
  const imported = kerasModelToGraph(model, path.basename(file, path.extname(file)));
  const diagnostics = [...imported.diagnostics];
  const byLayer = new Map<string, StoredArray[]>();
  const h5 = entries['model.weights.h5'];
  if (!h5) {
    const npz = entries['model.weights.npz'] !== undefined;
    diagnostics.push({
      code: 'import-weights-missing',
      severity: 'warning',
      message: npz
        ? `${file} keeps its weights in model.weights.npz (saved with weights_format="npz"), which is not read here: the layers start from fresh weights. Save the model with the default .h5 weights to keep them.`
        : `${file} has no model.weights.h5: the layers start from fresh weights.`,
    });
  } else {
    const root = openHdf5(h5, 'model.weights.h5');
    const named = groupsByNameAttribute(root);
    const numbered = new Map<string, number>();
    const legacyNumbered = new Map<string, number>();
    for (const layer of layerList(model)) {
      const className = String(layer.class_name ?? '');
      if (className === 'InputLayer') continue;
      const base = kerasSnakeCase(className);
      const name = nameOf(layer);
      const key = nextKey(numbered, base);
      // tf.keras 2.13–2.14 walked Functional._layer_checkpoint_dependencies, which lists a layer with
      // weights twice ('layer_with_weights-i', then 'layer-j'): it is saved under the first number,
      // the second is used up but stays empty.
      const legacyKey = nextKey(legacyNumbered, base);
      const legacy = h5Get(root, `_layer_checkpoint_dependencies/${legacyKey}/vars`);
      if (legacy?.keys && legacy.keys.length > 0) nextKey(legacyNumbered, base);
      const group =
        named.get(name) ??
        [h5Get(root, `layers/${key}/vars`), legacy, h5Get(root, `layers/${name}/vars`)]
          // A group that names another layer belongs to that one.
          .find((g) => g !== null && (h5Text(g.attrs.name) === '' || h5Text(g.attrs.name) === name)) ??
        null;
      if (!group?.keys || group.keys.length === 0) continue;
      const arrays = [...group.keys].sort((a, b) => Number(a) - Number(b)).map((k) => h5Array(h5Get(group, k)!));
      byLayer.set(name, arrays);
    }
  }
  return { document: imported.document, diagnostics, weights: attachWeights(imported.weightNodes, byLayer, diagnostics), format: 'keras' };
}

/** Keras's `_get_unique_name`: conv2d, conv2d_1, conv2d_2, … per class name. */
function nextKey(used: Map<string, number>, base: string): string {
  const n = used.get(base);
  used.set(base, n === undefined ? 0 : n + 1);
  return n === undefined ? base : `${base}_${n + 1}`;
}

/** Keras ≥ 3.6: `layers/<key>/vars` groups by the layer name in their `name` attribute. */
function groupsByNameAttribute(root: H5Node): Map<string, H5Node> {
  const out = new Map<string, H5Node>();
  for (const top of ['layers', '_layer_checkpoint_dependencies']) {
    const layers = h5Get(root, top);
    for (const key of layers?.keys ?? []) {
      const vars = h5Get(root, `${top}/${key}/vars`);
      const name = vars ? h5Text(vars.attrs.name) : '';
      if (vars && name !== '' && !out.has(name)) out.set(name, vars);
    }
  }
  return out;
}

/**
 * A Keras 2 `.h5` file: the model config as JSON in the root's `model_config` attribute, and under
 * `model_weights/<layer>` a `weight_names` attribute listing that layer's datasets in order.
 */
export async function importKerasH5(file: string): Promise<ImportedModel> {
  let root: H5Node;
  try {
    root = openHdf5(new Uint8Array(await readFile(file)), path.basename(file));
  } catch (err) {
    throw new ImportError('import-unreadable', `${file} is not an HDF5 file: ${err instanceof Error ? err.message : String(err)}.`);
  }
  const configText = h5Text(root.attrs.model_config);
  if (!configText) throw new ImportError('import-unreadable', `${file} has no model_config attribute: it holds weights only, not a Keras model.`);
  const model = JSON.parse(configText) as Json;
  const imported = kerasModelToGraph(model, path.basename(file, path.extname(file)));
  const diagnostics = [...imported.diagnostics];
  const weightsRoot = h5Get(root, 'model_weights') ?? root;
  const byLayer = new Map<string, StoredArray[]>();
  for (const layer of layerList(model)) {
    const name = nameOf(layer);
    const group = h5Get(weightsRoot, name);
    if (!group) continue;
    const names = h5TextList(group.attrs.weight_names);
    const arrays: StoredArray[] = [];
    for (const weight of names) {
      const data = h5Get(group, weight);
      if (!data) {
        diagnostics.push({ code: 'import-weights-missing', severity: 'error', message: `Layer "${name}": weight ${weight} is named but missing in the file.`, nodeId: imported.weightNodes.get(name) ?? name });
        continue;
      }
      arrays.push(h5Array(data));
    }
    if (arrays.length > 0) byLayer.set(name, arrays);
  }
  return { document: imported.document, diagnostics, weights: attachWeights(imported.weightNodes, byLayer, diagnostics), format: 'keras-h5' };
}
