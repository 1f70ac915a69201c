import type { DiagnosticCode } from '../diagnostics';
import type { LayerDef } from '../layer-def';
import { defineLayer } from '../layer-def';
import { readKeras } from './keras-config-read';
import { defineParams } from '../params';
import { formatShape, shapesEqual } from '../shape';

const noParams = defineParams({});

/** What distinguishes one element-wise merge (Add, Subtract, Multiply, …) from another. */
export interface ElementwiseMerge {
  kind: string;
  label: string;
  summary: string;
  /** The output in terms of the inputs, for the inspector. */
  formula: string;
  inputs: { min: number; max: number };
  /** Absent where TensorFlow.js 4.22 has no such layer (see graph-schema/tfjs-workarounds.ts). */
  tfjsFactory?: string;
  code: DiagnosticCode;
  /** What to do when the shapes differ. */
  hint: string;
}

/** A Keras merge layer that combines inputs of one shape element by element: no weights, one op per element and extra input. */
export function elementwiseMerge(m: ElementwiseMerge): LayerDef<typeof noParams> {
  return defineLayer({
    kind: m.kind,
    label: m.label,
    category: 'merge',
    summary: m.summary,
    formulas: { output: `same shape as every input; ${m.formula}`, params: '0' },
    params: noParams,
    inputs: m.inputs,
    describe: () => '',
    inferShape: (inputs) => {
      const first = inputs[0]!;
      if (inputs.some((s) => !shapesEqual(first, s))) {
        return { problem: { code: m.code, message: `${m.label} needs identical shapes, got ${inputs.map(formatShape).join(' and ')}. ${m.hint}` } };
      }
      return { shape: first };
    },
    paramCount: () => ({ trainable: 0, nonTrainable: 0 }),
    macs: () => 0,
    ...(m.tfjsFactory ? { tfjsFactory: m.tfjsFactory } : {}),
    fromKeras: (c, config) => readKeras(c, config, () => ({})),
    keras: () => ({ className: m.kind, config: {} }),
  });
}

export const mergeHint = 'Make the branches match (e.g. a 1×1 Conv 2D or a Dense layer on one of them).';
