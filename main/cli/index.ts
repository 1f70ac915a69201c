import { Command } from 'commander';
import { appVersion } from '../../graph-schema/document';
import { registerGraphCommands } from './graph-commands';
import { registerExportCommands } from './export-commands';
import { registerTrainCommands } from './train-commands';

export function buildProgram(): Command {
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
  registerExportCommands(program);
  registerTrainCommands(program);
  return program;
}

await buildProgram().parseAsync(process.argv);
