import { describe, expect, it } from 'vitest';
import { formatPercent } from '../../renderer/format';

describe('formatPercent', () => {
  it('never rounds an error away', () => {
    expect(formatPercent(199 / 200)).toBe('99.5%');
    expect(formatPercent(1999 / 2000)).toBe('99.9%');
    expect(formatPercent(1 / 2000)).toBe('0.1%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(0.5)).toBe('50%');
    expect(formatPercent(2 / 3)).toBe('66.7%');
    expect(formatPercent(Number.NaN)).toBe('—');
  });
});
