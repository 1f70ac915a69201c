import type { Diagnostic } from './diagnostics';
import type { GraphAnalysis } from './infer';
import type { ParamCount } from './layer-def';
import type { Shape } from './shape';

/**
 * Checks shared by everything that builds a model from a graph (export, training):
 * sizes that stay exact, and a graph whose every layer takes part.
 */

/** A layer whose output elements, parameters or operations are past 2^53 − 1: the figures would no longer be exact. */
export function sizeProblem(label: string, shape: Shape | null, count: ParamCount, macs: number): string | null {
  const limit = Number.MAX_SAFE_INTEGER;
  if (shape) {
    let elements = 1;
    for (const d of shape) if (d !== null) elements *= d;
    if (!Number.isSafeInteger(elements) || shape.some((d) => d !== null && !Number.isSafeInteger(d))) {
      return `${label} would output ${elements.toExponential(2)} values per example, past 2^53 − 1 where sizes stop being exact. Use smaller sizes.`;
    }
  }
  const params = count.trainable + count.nonTrainable;
  if (!Number.isSafeInteger(count.trainable) || !Number.isSafeInteger(count.nonTrainable) || !Number.isSafeInteger(params)) {
    return `${label} would have ${params.toExponential(2)} parameters, past 2^53 − 1 where counts stop being exact. Use fewer units or smaller inputs.`;
  }
  if (!Number.isFinite(macs) || macs > limit) {
    return `${label} would take ${macs.toExponential(2)} multiply-adds per example, past 2^53 − 1. Use smaller sizes.`;
  }
  return null;
}

/**
 * What stops a graph from being exported or trained: its first error, else a layer that is
 * not connected (it would be left out of the model, or break it). Named by node.
 */
export function buildBlocker(analysis: GraphAnalysis): Diagnostic | null {
  const firstError = analysis.diagnostics.find((d) => d.severity === 'error');
  if (firstError) return firstError;
  const unused = analysis.diagnostics.find((d) => d.code === 'unused-node');
  if (unused) {
    return { ...unused, severity: 'error', message: `${unused.message.replace(/\.?\s*Connect it or delete it\.?$/, '')}: connect it or delete it before exporting or training.` };
  }
  return null;
}
