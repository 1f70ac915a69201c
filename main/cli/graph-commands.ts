import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { templates } from '../../graph-schema/templates/index';
import { writeProjectFile } from '../services/project-files';
import { action, fail } from './cli-support';
import { buildSummary, formatSummaryTable } from './summary-command';
import { documentFromTemplate, resolveGraphSource } from './resolve-graph-source';

export function registerGraphCommands(program: Command): void {
  program
    .command('templates')
    .description('list the template ids')
    .option('--json', 'print JSON')
    .action(
      action(async (opts: { json?: boolean }) => {
        if (opts.json) {
          console.log(JSON.stringify(templates.map((t) => ({ id: t.id, name: t.name, description: t.description }))));
          return;
        }
        const width = Math.max(...templates.map((t) => t.id.length));
        for (const t of templates) console.log(`${t.id.padEnd(width)}  ${t.name}`);
      }),
    );

  program
    .command('new')
    .description('write a new project file from a template')
    .argument('<template>', 'template id (see `netweave templates`)')
    .requiredOption('-o, --output <file>', 'project file to write')
    .option('-f, --force', 'overwrite an existing file')
    .action(
      action(async (id: string, opts: { output: string; force?: boolean }) => {
        const document = documentFromTemplate(id);
        if (!document) fail(`Unknown template "${id}". Run \`netweave templates\` to list them.`, 'template-unknown');
        if (existsSync(opts.output) && !opts.force) fail(`${opts.output} exists; pass --force to overwrite it.`, 'file-exists');
        await writeProjectFile(opts.output, document);
        console.log(`Wrote ${opts.output} (${document.name}).`);
      }),
    );

  program
    .command('summary')
    .description('print layers, output shapes, parameter counts and diagnostics')
    .argument('<file-or-template>', 'a project file or a template id')
    .option('--json', 'print one JSON object')
    .action(
      action(async (source: string, opts: { json?: boolean }) => {
        const { document, warnings } = await resolveGraphSource(source);
        const summary = buildSummary(document, warnings);
        console.log(opts.json ? JSON.stringify(summary) : formatSummaryTable(document, summary));
        return summary.diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
      }),
    );
}
