import { describe, expect, it } from 'vitest';
import { conv2dParams } from '../../graph-schema/kinds/conv2d';
import { layerRegistry } from '../../graph-schema/registry';
import { formatParamValue, parseParamText } from '../../renderer/inspector/param-text';

describe('inspector text fields', () => {
  it('reads a square kernel from one number and a pair from several spellings', () => {
    for (const text of ['5', '5, 5', '5x5', '5×5', '[5, 5]']) expect(parseParamText('kernelSize', conv2dParams.kernelSize, text)).toEqual({ ok: true, value: [5, 5] });
    expect(parseParamText('kernelSize', conv2dParams.kernelSize, '5, 3')).toEqual({ ok: true, value: [5, 3] });
  });

  it('refuses text that is not a value, and values out of range, with a message', () => {
    const notInt = parseParamText('filters', conv2dParams.filters, '3.5');
    expect(notInt.ok).toBe(false);
    const zero = parseParamText('filters', conv2dParams.filters, '0');
    expect(zero).toMatchObject({ ok: false });
    if (!zero.ok) expect(zero.message).toMatch(/at least 1/);
    expect(parseParamText('kernelSize', conv2dParams.kernelSize, '5, 5, 5').ok).toBe(false);
    const rate = layerRegistry.Dropout.params.rate!;
    expect(parseParamText('rate', rate, '1').ok).toBe(false);
    expect(parseParamText('rate', rate, '0.25')).toEqual({ ok: true, value: 0.25 });
  });

  it('shows values the way they are typed back', () => {
    const shape = layerRegistry.Input.params.shape!;
    const text = formatParamValue(shape, [28, 28, 1]);
    expect(parseParamText('shape', shape, text)).toEqual({ ok: true, value: [28, 28, 1] });
    expect(formatParamValue(conv2dParams.kernelSize, [3, 3])).toBe('3');
  });
});
