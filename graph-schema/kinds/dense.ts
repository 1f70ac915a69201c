import { defineLayer } from '../layer-def';
import { readKeras } from './keras-config-read';
import { defineParams } from '../params';
import { activationNames } from './common';
import { channelsOf } from './worked-text';

export const denseLayer = defineLayer({
  kind: 'Dense',
  label: 'Dense',
  category: 'core',
  summary: 'Every input connects to every unit: a weighted sum plus bias per unit (acts on the last axis).',
  formulas: { output: '(…, units)', params: 'in · units + units (bias)' },
  params: defineParams({
    units: { type: 'int', default: 64, min: 1, max: 1_000_000, label: 'Units' },
    activation: { type: 'enum', options: activationNames, default: 'linear', label: 'Activation' },
    useBias: { type: 'bool', default: true, label: 'Use bias' },
  }),
  inputs: { min: 1, max: 1 },
  describe: (p) => `${p.units}${p.activation !== 'linear' ? `, ${p.activation}` : ''}`,
  inferShape: ([input], p) => {
    const last = input![input!.length - 1];
    if (input!.length < 2) return { problem: { code: 'rank-mismatch', message: 'Dense needs an input with at least one feature axis.' } };
    if (last === null || last === undefined) {
      return { problem: { code: 'unknown-dimension', message: 'Dense needs a known last dimension. Add a Flatten or fix the Input shape.' } };
    }
    return { shape: [...input!.slice(0, -1), p.units] };
  },
  paramCount: ([input], p) => {
    const inDim = input![input!.length - 1] as number;
    return { trainable: inDim * p.units + (p.useBias ? p.units : 0), nonTrainable: 0 };
  },
  macs: ([input], p) => {
    let positions = 1;
    for (let i = 1; i < input!.length - 1; i++) positions *= input![i] as number;
    return positions * (input![input!.length - 1] as number) * p.units;
  },
  tfjsFactory: 'dense',
  initializers: { kernelInitializer: 'glorotUniform' },
  worked: ({ input, params: p, count, fmt }) => ({
    output: `(…, ${p.units})`,
    params: `${channelsOf(input)} · ${p.units}${p.useBias ? ` + ${p.units}` : ''} = ${fmt(count.trainable + count.nonTrainable)}`,
  }),
  fromKeras: (c, config) => readKeras(c, config, (r) => ({ units: r.int('units', 1), activation: r.activation(), useBias: r.bool('useBias', true) })),
  keras: (p) => ({ className: 'Dense', config: { units: p.units, activation: p.activation, useBias: p.useBias } }),
});
