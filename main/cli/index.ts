import { Command } from 'commander';
import { appVersion } from '../../graph-schema/document';
import { registerGraphCommands } from './graph-commands';

/**
 * The commands that need TensorFlow.js (export, train, lab, import) are loaded only when one of them
 * (or the full help) is asked for: `netweave summary` starts without loading the engine.
 */
export async function buildProgram(argv: readonly string[] = process.argv): Promise<Command> {
  const program = new Command('netweave')
    .description('Design, check, train and export neural networks drawn as node graphs.')
    .version(appVersion)
    // Usage errors are one line like every other failure; `--help` shows the usage.
    .configureOutput({ outputError: (text, write) => write(`netweave: ${text.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').trim()} (see --help) [usage-error]\n`) })
    .exitOverride((err) => {
      // Usage errors (unknown command, missing argument) exit 2, like unreadable input.
      process.exit(err.exitCode === 0 ? 0 : 2);
    });
  registerGraphCommands(program);
  const graphCommands = new Set(program.commands.map((c) => c.name()));
  const asked = argv.slice(2).find((a) => !a.startsWith('-'));
  if (asked === undefined || !graphCommands.has(asked)) {
    const [exportCommands, trainCommands, labCommands] = await Promise.all([import('./export-commands'), import('./train-commands'), import('./lab-commands')]);
    exportCommands.registerExportCommands(program);
    trainCommands.registerTrainCommands(program);
    labCommands.registerLabCommands(program);
    (await import('./import-command')).registerImportCommand(program);
  }
  return program;
}

await (await buildProgram()).parseAsync(process.argv);
