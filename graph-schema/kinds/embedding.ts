import { defineLayer } from '../layer-def';
import { readKeras } from './keras-config-read';
import { defineParams } from '../params';
import { formatShape } from '../shape';

/**
 * Ids reach the network as float32 values (every Input is float32); TensorFlow.js' and Keras' Embedding
 * cast them to integers. float32 holds every integer up to 2^24 exactly, hence the largest vocabulary.
 */
export const embeddingMaxInputDim = 2 ** 24;

export const embeddingLayer = defineLayer({
  kind: 'Embedding',
  label: 'Embedding',
  category: 'core',
  summary: 'Looks up a learned vector for each integer id (a word or category number): a sequence of ids becomes a sequence of vectors.',
  formulas: { output: '(seq, output_dim)', params: 'input_dim · output_dim (one row per id)' },
  params: defineParams({
    inputDim: {
      type: 'int',
      default: 1000,
      min: 1,
      max: embeddingMaxInputDim,
      label: 'Input dim (vocabulary)',
      help: 'How many different ids there are: ids run from 0 to input_dim − 1.',
    },
    outputDim: { type: 'int', default: 64, min: 1, max: 100_000, label: 'Output dim', help: 'Length of the vector learned for each id.' },
  }),
  inputs: { min: 1, max: 1 },
  describe: (p) => `${p.inputDim} → ${p.outputDim}`,
  inferShape: ([input], p) => {
    if (input!.length !== 2) {
      return {
        problem: {
          code: 'rank-mismatch',
          message: `Embedding reads a sequence of integer ids (an Input of shape [seq]), got a tensor of shape ${formatShape(input)}. Connect it straight to an Input whose shape is [sequence length].`,
        },
      };
    }
    return { shape: [...input!, p.outputDim] };
  },
  paramCount: (_inputs, p) => ({ trainable: p.inputDim * p.outputDim, nonTrainable: 0 }),
  // A lookup: no multiply-adds.
  macs: () => 0,
  tfjsFactory: 'embedding',
  initializers: { embeddingsInitializer: 'randomUniform' },
  worked: ({ input, params: p, count, fmt }) => ({
    output: `(${input[1] ?? '?'}, ${p.outputDim})`,
    params: `${fmt(p.inputDim)} · ${fmt(p.outputDim)} = ${fmt(count.trainable)}`,
  }),
  fromKeras: (c, config) =>
    readKeras(c, config, (r) => {
      if (r.get('maskZero') === true) r.fail('keras-option-unsupported', `${c}: mask_zero is not supported (no layer here reads a mask); set it to false, or use id 0 as an ordinary id.`);
      return { inputDim: r.int('inputDim', 1000), outputDim: r.int('outputDim', 64) };
    }),
  keras: (p) => ({ className: 'Embedding', config: { inputDim: p.inputDim, outputDim: p.outputDim } }),
});
