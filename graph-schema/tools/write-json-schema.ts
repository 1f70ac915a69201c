// Writes graph-schema/netweave-document.schema.json from the zod schema (the one source of truth).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { documentJsonSchemaText } from '../json-schema';

const target = fileURLToPath(new URL('../netweave-document.schema.json', import.meta.url));
writeFileSync(target, documentJsonSchemaText());
console.log(`wrote ${target}`);
