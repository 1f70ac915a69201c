/**
 * Every problem the app reports carries one of these codes. They are stable:
 * tests, the CLI's JSON output and the editor key on them, so never rename one.
 */
export const diagnosticCodes = {
  // document level
  'parse-error': 'The file is not valid JSON.',
  'format-unknown': 'The file is not a Netweave project.',
  'version-too-new': 'The file was written by a newer Netweave.',
  'version-invalid': 'The document version is missing or not a positive integer.',
  'document-invalid': 'The document structure is invalid.',
  'duplicate-id': 'Two nodes or edges share an id.',
  'unknown-kind': 'A node has a layer kind this version does not know.',
  'dangling-edge': 'An edge refers to a node that does not exist.',
  'unknown-port': 'An edge uses a port the layer does not have.',
  'param-invalid': 'A parameter has the wrong type.',
  'param-unknown': 'A parameter is not known for this layer kind.',
  // graph level
  cycle: 'The graph has a cycle.',
  'after-cycle': 'A layer follows a cycle and cannot be checked.',
  'missing-input': 'A layer has fewer inputs than it needs.',
  'too-many-inputs': 'A layer has more inputs than it accepts.',
  'unused-node': 'A layer is not connected to any input.',
  'no-input': 'The graph has no Input layer.',
  'no-output': 'The graph has no output layer.',
  'multiple-outputs': 'The graph has more than one output.',
  'param-out-of-range': 'A parameter is outside its allowed range.',
  'rank-mismatch': 'A layer received a tensor of the wrong rank.',
  'add-shape-mismatch': 'Add needs inputs of identical shape.',
  'merge-shape-mismatch': 'An element-wise merge (Subtract, Multiply, Average, Maximum, Minimum) needs inputs of identical shape.',
  'concat-mismatch': 'Concatenate needs equal shapes except on the concatenation axis.',
  'spatial-underflow': 'A spatial size shrinks to zero or below.',
  'reshape-size-mismatch': 'Reshape target has a different number of elements.',
  'unknown-dimension': 'A dimension that must be known is unknown.',
  'size-overflow': 'A size, parameter count or operation count is past 2^53 − 1.',
  'document-too-large': 'The project is larger than a project may be.',
  'document-too-deep': 'The project nests deeper than a project may.',
} as const;

export type DiagnosticCode = keyof typeof diagnosticCodes;
export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  /** What is wrong and what to do about it. */
  message: string;
  nodeId?: string;
  edgeId?: string;
  /** The parameter at fault, when there is one. */
  param?: string;
}

/** A layer-level failure, before it is attached to a node. */
export interface LayerProblem {
  code: DiagnosticCode;
  message: string;
  param?: string;
}
