import { defineLayer } from '../layer-def';
import { readKeras } from './keras-config-read';
import { defineParams } from '../params';
import type { Shape } from '../shape';
import { elementCount, formatShape } from '../shape';

/** The shape of PReLU's alpha: the input without its batch axis, 1 on each shared axis (Keras' rule). */
export function preluAlphaShape(input: Shape, sharedAxes: readonly number[]): (number | null)[] {
  return input.slice(1).map((d, i) => (sharedAxes.includes(i + 1) ? 1 : d));
}

export const preluLayer = defineLayer({
  kind: 'PReLU',
  label: 'PReLU',
  category: 'activation',
  summary: 'A leaky relu whose negative slope is learned: one slope per value, or one per channel when the spatial axes are shared.',
  formulas: { output: 'same shape as the input; f(x) = x for x ≥ 0, α · x below', params: 'one α per value of the input (batch axis left out), 1 on each shared axis' },
  params: defineParams({
    sharedAxes: {
      type: 'ints',
      default: [],
      min: 1,
      max: 3,
      maxLength: 3,
      label: 'Shared axes',
      help: 'Axes that share one slope, e.g. [1, 2] for one slope per channel of an image; empty: a slope for every value.',
    },
  }),
  inputs: { min: 1, max: 1 },
  describe: (p) => (p.sharedAxes.length > 0 ? `shared ${p.sharedAxes.join(', ')}` : ''),
  inferShape: ([input], p) => {
    const rank = input!.length;
    for (const axis of p.sharedAxes) {
      if (axis >= rank) {
        return {
          problem: {
            code: 'param-out-of-range',
            param: 'sharedAxes',
            message: `PReLU shared axis ${axis} is not an axis of the input ${formatShape(input)} (axes 1 to ${rank - 1}). Remove it from the shared axes.`,
          },
        };
      }
    }
    if (new Set(p.sharedAxes).size !== p.sharedAxes.length) {
      return { problem: { code: 'param-out-of-range', param: 'sharedAxes', message: `PReLU names a shared axis twice (${p.sharedAxes.join(', ')}). List each axis once.` } };
    }
    if (preluAlphaShape(input!, p.sharedAxes).some((d) => d === null)) {
      return { problem: { code: 'unknown-dimension', message: `PReLU needs a known size on every axis that is not shared, got ${formatShape(input)}. Share the unknown axes or fix the Input shape.` } };
    }
    return { shape: input! };
  },
  paramCount: ([input], p) => ({ trainable: elementCount([null, ...preluAlphaShape(input!, p.sharedAxes)]) ?? 0, nonTrainable: 0 }),
  // One multiply per negative value: counted for every value.
  macs: ([input]) => elementCount(input!) ?? 0,
  tfjsFactory: 'prelu',
  worked: ({ input, params: p, count, fmt }) => ({
    params: `α of shape (${preluAlphaShape(input, p.sharedAxes).join(' × ')}) = ${fmt(count.trainable)}`,
  }),
  fromKeras: (c, config) =>
    readKeras(c, config, (r) => {
      const shared = r.get('sharedAxes');
      // Keras writes one shared axis as a plain integer, none as null.
      return { sharedAxes: typeof shared === 'number' ? [shared] : r.ints('sharedAxes', []) };
    }),
  // Keras and TensorFlow.js both start α at zero (alpha_initializer "zeros"): nothing to seed.
  keras: (p) => ({ className: 'PReLU', config: { sharedAxes: p.sharedAxes.length > 0 ? [...p.sharedAxes] : null } }),
});
