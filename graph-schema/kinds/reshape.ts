import { defineLayer } from '../layer-def';
import { readKeras } from './keras-config-read';
import { defineParams } from '../params';
import { elementCount, formatShape } from '../shape';

export const reshapeLayer = defineLayer({
  kind: 'Reshape',
  label: 'Reshape',
  category: 'reshape',
  summary: 'Rearranges the same numbers into a new shape, e.g. a 784-vector into a 28×28×1 image.',
  formulas: { output: '(targetShape), with −1 replaced by what makes the element counts equal', params: '0' },
  params: defineParams({
    targetShape: {
      type: 'ints',
      default: [28, 28, 1],
      min: -1,
      minLength: 1,
      maxLength: 4,
      label: 'Target shape',
      help: 'New shape without the batch axis; one entry may be −1 to have it computed.',
    },
  }),
  inputs: { min: 1, max: 1 },
  describe: (p) => p.targetShape.map((d) => (d === -1 ? '?' : String(d))).join('×'),
  validate: (p) => {
    if (p.targetShape.includes(0)) {
      return { code: 'param-out-of-range', param: 'targetShape', message: 'Reshape target shape cannot contain 0. Use positive sizes, or −1 for the one axis to compute.' };
    }
    if (p.targetShape.filter((d) => d === -1).length > 1) {
      return { code: 'param-out-of-range', param: 'targetShape', message: 'Reshape target shape may contain −1 only once. Give every other axis its size.' };
    }
    return null;
  },
  inferShape: ([input], p) => {
    const count = elementCount(input!);
    if (count === null) return { problem: { code: 'unknown-dimension', message: `Reshape needs every input dimension to be known, got ${formatShape(input)}.` } };
    const known = p.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const inferred = p.targetShape.indexOf(-1);
    if (inferred >= 0) {
      if (count % known !== 0) {
        return {
          problem: {
            code: 'reshape-size-mismatch',
            param: 'targetShape',
            message: `Reshape cannot fill −1: the input ${formatShape(input)} has ${count} elements, which is not a multiple of ${known} (the product of the other target sizes). Change the target sizes so they divide ${count}.`,
          },
        };
      }
      const shape = p.targetShape.map((d) => (d === -1 ? count / known : d));
      return { shape: [null, ...shape] };
    }
    if (known !== count) {
      return {
        problem: {
          code: 'reshape-size-mismatch',
          param: 'targetShape',
          message: `Reshape to (${p.targetShape.join(', ')}) holds ${known} elements but the input ${formatShape(input)} has ${count}. Make the product of the target sizes ${count}, or use −1 on one axis.`,
        },
      };
    }
    return { shape: [null, ...p.targetShape] };
  },
  paramCount: () => ({ trainable: 0, nonTrainable: 0 }),
  macs: () => 0,
  // A copy: tf.layers.reshape rewrites −1 in the array it is given.
  tfjsFactory: 'reshape',
  fromKeras: (c, config) => readKeras(c, config, (r) => ({ targetShape: r.ints('targetShape', []) })),
  keras: (p) => ({ className: 'Reshape', config: { targetShape: [...p.targetShape] } }),
});
