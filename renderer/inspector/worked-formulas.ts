import type { ParamCount, WorkedFormulas } from '../../graph-schema/layer-def';
import type { LayerParams } from '../../graph-schema/params';
import { getLayerDef } from '../../graph-schema/registry';
import type { Shape } from '../../graph-schema/shape';
import { formatCount } from '../format';

export type { WorkedFormulas };

/** A layer's formulas with this node's numbers filled in, for learners: the kind's own `worked`, with the app's number format. */
export function workedFormulas(kind: string, p: LayerParams, inputs: readonly (Shape | null)[], output: Shape | null, count: ParamCount): WorkedFormulas {
  const input = inputs[0];
  const def = getLayerDef(kind);
  if (!input || !output || !def?.worked) return {};
  return def.worked({ params: p as never, inputs, input, output, count, fmt: formatCount });
}
