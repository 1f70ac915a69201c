import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { documentJsonSchemaText } from '../../graph-schema/json-schema';

describe('published JSON Schema', () => {
  it('is up to date with the document schema (regenerate: npm run schema:json)', () => {
    const published = readFileSync(new URL('../../graph-schema/netweave-document.schema.json', import.meta.url), 'utf8');
    expect(published).toBe(documentJsonSchemaText());
  });

  it('describes the envelope and requires the graph', () => {
    const schema = JSON.parse(documentJsonSchemaText()) as { required: string[]; properties: Record<string, { const?: unknown }> };
    expect(schema.properties.format!.const).toBe('netweave.graph');
    expect(schema.required).toEqual(expect.arrayContaining(['format', 'version', 'appVersion', 'graph']));
  });
});
