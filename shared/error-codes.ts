/**
 * Every error code that reaches a user — across the renderer↔main contract, in the CLI's JSON and in
 * thrown errors of main — with what it means. Codes are stable (tests and scripts key on them): never
 * rename one. Problems inside a graph are diagnostics instead (graph-schema/diagnostics.ts).
 */
export const errorCodes = {
  // the contract itself
  'payload-invalid': 'A request to main did not match the contract.',
  'unknown-call': 'A request named a call main does not have.',
  'internal-error': 'Something failed that should not have; the message says what.',
  'sender-refused': 'A request came from a page that may not call main.',
  'host-disconnected': 'The web host closed the connection.',
  'host-unreachable': 'The web host cannot be reached.',
  'connection-refused': 'The web host refused the connection.',
  'command-failed': 'An editor command failed.',
  // files and handles
  'file-not-found': 'The file does not exist.',
  'file-unreadable': 'The file cannot be read.',
  'file-unwritable': 'The file cannot be written.',
  'file-too-large': 'The file is larger than the app reads.',
  'file-exists': 'A file of that name exists already.',
  'overwrite-refused': 'Writing would replace a file the user did not choose to replace.',
  'access-refused': 'The path is outside what the user chose or the workspace.',
  'handle-unknown': 'A file handle the renderer used is unknown or expired.',
  'dialog-unavailable': 'No file dialog can be shown here.',
  'drop-not-a-file': 'What was dropped is not a file.',
  'drop-unavailable': 'Dropped files cannot be opened in this host.',
  'drop-kind-unsupported': 'A dropped file is of a kind the app does not open.',
  // documents, graphs, templates
  'parse-error': 'The file is not valid JSON.',
  'format-unknown': 'The file is not a Netweave project.',
  'version-too-new': 'The file was written by a newer Netweave.',
  'version-invalid': 'The document version is missing or not a positive integer.',
  'document-invalid': 'The document structure is invalid.',
  'document-too-large': 'The project is larger than a project may be.',
  'document-too-deep': 'The project nests deeper than a project may.',
  'graph-invalid': 'The graph has errors that must be fixed first.',
  'compile-failed': 'TensorFlow.js could not build the graph.',
  'template-unknown': 'No template has that name.',
  'node-not-found': 'No layer has that id.',
  'layout-failed': 'Auto-layout failed.',
  'diagram-empty': 'There is nothing to draw.',
  'image-export-failed': 'The picture of the graph could not be made.',
  // data sets
  'dataset-not-found': 'The data set does not exist.',
  'dataset-not-picked': 'No data set was chosen.',
  'dataset-missing': 'A part of the data set is missing.',
  'dataset-corrupt': 'The data set file is damaged.',
  'dataset-truncated': 'The data set file ends early.',
  'dataset-unsupported': 'The data set is in a form the app does not read.',
  'dataset-empty': 'The data set holds no examples.',
  'dataset-shape-mismatch': 'The data does not fit the network\u2019s input or output.',
  'dataset-invalid-ref': 'The data set reference is malformed.',
  'dataset-too-large': 'The data set is larger than the app loads.',
  'no-data': 'There is no data to run on.',
  'no-test-data': 'The data set has no test split.',
  'sample-out-of-range': 'No test example has that index.',
  // training and runs
  'settings-invalid': 'A training setting is out of range.',
  'input-invalid': 'An input to a run is not usable.',
  'limit-invalid': 'The example limit is not a positive whole number.',
  'option-invalid': 'A command-line option is wrong.',
  'training-unavailable': 'Training cannot start in this host.',
  'training-failed': 'Training failed; the message says why.',
  'loss-not-finite': 'The loss became NaN or infinite.',
  'worker-crashed': 'The training worker ended unexpectedly.',
  cancelled: 'The work was stopped by the user.',
  'run-not-found': 'No run has that id.',
  'run-not-ready': 'The run has not finished preparing.',
  'run-not-paused': 'The run must be paused for this.',
  'run-running': 'The run is still running.',
  'run-busy': 'The run is busy with another request.',
  'run-ended': 'The run has ended.',
  'no-model': 'The run has no trained model.',
  'no-evaluation': 'The run has no evaluation yet.',
  'no-filters': 'The layer has no filters to show.',
  'evaluation-failed': 'Evaluating the model failed.',
  'weights-unavailable': 'The weights asked for are not available.',
  'weights-mismatch': 'The weights do not fit the graph.',
  'memory-too-large': 'Training would need more memory than the engine can use.',
  'engine-unavailable': 'The engine cannot load on this machine.',
  'engine-unknown': 'No engine has that name.',
  'engine-unsupported': 'The engine cannot run this graph or task.',
  // the teaching lab
  'lab-busy': 'A lab task is already running for this run.',
  'lab-failed': 'A lab task failed.',
  'landscape-failed': 'The loss landscape could not be computed.',
  'lesson-options-invalid': 'The lesson settings are out of range.',
  // models, export, import
  'model-not-found': 'The saved model does not exist.',
  'model-invalid': 'The saved model is damaged or not a TensorFlow.js layers model.',
  'model-save-failed': 'The model could not be saved.',
  'model-too-large': 'The model is larger than the app saves.',
  'export-unsupported': 'The target cannot express a layer of the graph.',
  'export-failed': 'The export failed.',
  'import-failed': 'The model could not be imported.',
  'import-not-found': 'The file to import does not exist.',
  'import-unreadable': 'The file to import cannot be read.',
  'import-unavailable': 'Import is not available in this host.',
  'import-format-unknown': 'The file is not a model format the app imports.',
  'import-onnx-malformed': 'The ONNX file is damaged or not ONNX.',
  'import-weights-short': 'The model\u2019s weights file is shorter than its manifest says.',
  'import-weights-unsupported': 'The model\u2019s weights are of a type the app does not read.',
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** Picks codes from the one enumeration (a misspelt code is a type error). */
export type ErrorCodes<C extends ErrorCode> = C;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(errorCodes, value);
}
