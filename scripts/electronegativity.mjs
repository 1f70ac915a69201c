#!/usr/bin/env node
// `npm run security:electron [-- --output FILE] [--input DIR]`: Electronegativity's checks over
// main/electron, with the report written to a CSV file
// (test-results/electronegativity.csv unless --output says otherwise). Its own command line
// does not start next to this project's commander 14, so this runs its library
// entry. Exits 1 when a finding of HIGH severity is reported.
import { createRequire } from 'node:module';
import path from 'node:path';
import { repoRoot } from './lib/build-steps.mjs';

const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity');
const electronVersion = require('electron/package.json').version;

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return path.resolve(at > 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback);
}
const output = option('--output', path.join(repoRoot, 'test-results', 'electronegativity.csv'));
const input = option('--input', path.join(repoRoot, 'main', 'electron'));
const { mkdirSync, writeFileSync } = await import('node:fs');
mkdirSync(path.dirname(output), { recursive: true });

const result = await run({
  input,
  // The library writes its own report without waiting for the write; this script writes it instead.
  output: undefined,
  isSarif: false,
  customScan: [],
  // Asks the network for Electron releases: there is none here, and the version is pinned in package.json.
  excludeFromScan: ['availablesecurityfixesglobalcheck'],
  severitySet: undefined,
  confidenceSet: undefined,
  isRelative: true,
  isVerbose: false,
  electronUpgrade: undefined,
  electronVersionOverride: electronVersion,
  parserPlugins: [],
});

const csvCell = (value) => `"${String(value ?? '').replace(/"/g, '""')}"`;
const rows = [
  'issue,severity,confidence,file,location,manual review,description',
  ...result.issues.map((i) =>
    [i.id, i.severity.name, i.confidence.name, i.file, `${i.location.line}:${i.location.column}`, i.manualReview ? 'yes' : 'no', i.description].map(csvCell).join(','),
  ),
];
writeFileSync(output, `${rows.join('\n')}\n`);

for (const e of result.errors) console.log(`${e.tolerable ? 'note' : 'PARSE ERROR'}: ${e.file}: ${e.message}`);
for (const issue of result.issues) {
  console.log(`${issue.severity.name.padEnd(13)} ${issue.confidence.name.padEnd(9)} ${issue.id} ${issue.file}:${issue.location.line}:${issue.location.column}${issue.manualReview ? ' (review)' : ''}`);
}
const high = result.issues.filter((i) => i.severity.name === 'HIGH');
console.log(`Electronegativity (Electron ${electronVersion}): ${result.issues.length} finding(s), ${high.length} of HIGH severity; report: ${output}`);
process.exit(high.length > 0 || result.errors.some((e) => !e.tolerable) ? 1 : 0);
