import { z } from 'zod';
import { documentSchema } from './document';

/** The published JSON Schema of the project format, generated from the zod schema. */
export function documentJsonSchemaText(): string {
  const schema = z.toJSONSchema(documentSchema, { io: 'input', target: 'draft-2020-12' });
  const withId = { $id: 'urn:netweave:document', title: 'Netweave project', ...schema };
  return `${JSON.stringify(withId, null, 2)}\n`;
}
