import { describe, expect, it } from 'vitest';
import { errorCodes, isErrorCode } from '../../shared/error-codes';
import { diagnosticCodes } from '../../graph-schema/diagnostics';
import { toErrorValue, TrainingError } from '../../main/training/training-error';

describe('error codes', () => {
  it('are kebab-case, each with a sentence saying what it means', () => {
    for (const [code, meaning] of Object.entries(errorCodes)) {
      expect(code).toMatch(/^[a-z]+(-[a-z0-9]+)*$/);
      expect(meaning, code).toMatch(/^[A-Z].{10,}\.$/);
    }
  });

  it('agree with the diagnostics where both name a document problem', () => {
    for (const code of Object.keys(errorCodes)) {
      if (code in diagnosticCodes) expect(errorCodes[code as keyof typeof errorCodes], code).toBe(diagnosticCodes[code as keyof typeof diagnosticCodes]);
    }
  });

  it('keep a known code on the way to a value and replace foreign ones (Node ERR_…, a library\u2019s) with the fallback', () => {
    expect(toErrorValue(new TrainingError('run-not-found', 'No run r9.'))).toEqual({ code: 'run-not-found', message: 'No run r9.' });
    const nodeError = Object.assign(new Error('ENOENT: no such file\nstack'), { code: 'ENOENT' });
    expect(toErrorValue(nodeError)).toEqual({ code: 'training-failed', message: 'ENOENT: no such file' });
    expect(toErrorValue('boom', 'export-failed')).toEqual({ code: 'export-failed', message: 'boom' });
    expect(isErrorCode('dataset-corrupt')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
  });
});
