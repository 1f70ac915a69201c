import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { ImportError } from '../import/imported-model';
import { importModelFile, writeImportedProject } from '../import/import-model';
import { action, fail } from './cli-support';

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('read a TensorFlow.js layers model (model.json), a Keras .keras / .h5 file or an ONNX model into a project, with its weights')
    .argument('<file>', 'model.json (or its folder), .keras, .h5 or .onnx')
    .requiredOption('-o, --output <file>', 'project file to write (weights go beside it, in <name>.weights/)')
    .option('-f, --force', 'overwrite an existing file')
    .option('--json', 'print the diagnostics as JSON')
    .action(
      action(async (file: string, opts: { output: string; force?: boolean; json?: boolean }) => {
        if (existsSync(opts.output) && !opts.force) fail(`${opts.output} exists; pass --force to overwrite it.`, 'file-exists');
        try {
          const imported = await importModelFile(file);
          const written = await writeImportedProject(imported, opts.output);
          if (opts.json) console.log(JSON.stringify({ ...written, format: imported.format, diagnostics: imported.diagnostics }));
          else {
            for (const d of imported.diagnostics) console.log(`${d.severity}: ${d.nodeId ? `${d.nodeId}: ` : ''}${d.message} [${d.code}]`);
            console.log(`Wrote ${written.projectFile}${written.weightsDir ? ` and ${written.weightsDir}` : ''} (${imported.document.graph.nodes.length} nodes).`);
          }
          return imported.diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
        } catch (err) {
          if (err instanceof ImportError) fail(err.message, err.code);
          throw err;
        }
      }),
    );
}
