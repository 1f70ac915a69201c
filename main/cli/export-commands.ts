import * as tf from '@tensorflow/tfjs';
import type { Command } from 'commander';
import { Option } from 'commander';
import { ExportFilesError, exportToFiles, fileExportTargets } from '../export/export-files';
import type { FileExportTarget } from '../export/export-files';
import { initEngine } from '../engine/init-engine';
import { action, fail } from './cli-support';
import { resolveGraphSource } from './resolve-graph-source';

export function registerExportCommands(program: Command): void {
  program
    .command('export')
    .description('write the network as TypeScript (TensorFlow.js), PyTorch or Keras code, a TensorFlow.js model or an ONNX model')
    .argument('<file-or-template>', 'a project file or a template id')
    .addOption(new Option('--to <target>', 'what to write').choices([...fileExportTargets]).makeOptionMandatory())
    .option('--weights <dir>', 'folder of a saved TensorFlow.js model trained from this graph (pytorch: also writes its weights; tfjs-model, onnx: uses them)')
    .addOption(new Option('--layout <layout>', 'onnx: layout of image inputs and outputs (default nhwc, like the app)').choices(['nhwc', 'nchw']))
    .option('--training', 'add training code with the project settings and a data loader (ts, pytorch, keras)')
    .requiredOption('-o, --output <path>', 'the code file to write, or the folder for tfjs-model')
    .action(
      action(async (source: string, opts: { to: FileExportTarget; weights?: string; training?: boolean; output: string; layout?: 'nhwc' | 'nchw' }) => {
        // TensorFlow.js' notice about tfjs-node would break the one-line error output.
        tf.env().set('PROD', true);
        const { document } = await resolveGraphSource(source);
        // Building a model (tfjs-model, or reading --weights) needs a ready backend; code alone does not.
        if (opts.to === 'tfjs-model' || opts.to === 'onnx' || opts.weights !== undefined) await initEngine();
        try {
          const files = await exportToFiles({
            document,
            target: opts.to,
            output: opts.output,
            ...(opts.weights !== undefined ? { weightsDir: opts.weights } : {}),
            includeTraining: opts.training === true,
            ...(opts.layout !== undefined ? { layout: opts.layout } : {}),
          });
          for (const file of files) console.log(`Wrote ${file}`);
        } catch (err) {
          if (err instanceof ExportFilesError) fail(`${err.message} [${err.code}]`);
          throw err;
        }
      }),
    );
}
