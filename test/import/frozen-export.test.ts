import { describe, expect, it } from 'vitest';
import { exportCode } from '../../graph-schema/export/export-code';
import { documentFromTemplate } from '../../main/cli/resolve-graph-source';

/** A frozen node reaches every code export: trainable: false, trainable=False, requires_grad_(False). */
describe('frozen nodes in the code exports', () => {
  const document = documentFromTemplate('lenet5')!;
  const conv = document.graph.nodes.find((n) => n.kind === 'Conv2D')!;
  conv.trainable = false;
  const text = (target: 'ts' | 'keras' | 'pytorch'): string => {
    const result = exportCode(document, target) as unknown as { ok: boolean; code?: string; text?: string; files?: { text: string }[] };
    return JSON.stringify(result);
  };
  it('TypeScript says trainable: false once, for the frozen layer', () => {
    expect(text('ts').match(/trainable: false/g)?.length).toBe(1);
  });
  it('Keras says trainable=False once', () => {
    expect(text('keras').match(/trainable=False/g)?.length).toBe(1);
  });
  it('PyTorch freezes the frozen module', () => {
    expect(text('pytorch')).toMatch(/requires_grad_\(False\)/);
  });
});
