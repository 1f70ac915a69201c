/**
 * Identifiers for generated code. One allocator serves every target, so a
 * layer's variable has the same name in the TypeScript, Keras and PyTorch
 * exports; words reserved in any of those languages (or used by the
 * generated code itself) are avoided.
 */

const typescriptReserved = [
  'abstract', 'any', 'arguments', 'as', 'async', 'await', 'boolean', 'break', 'case', 'catch', 'class', 'const', 'constructor',
  'continue', 'debugger', 'declare', 'default', 'delete', 'do', 'else', 'enum', 'eval', 'export', 'extends', 'false', 'finally',
  'for', 'from', 'function', 'get', 'if', 'implements', 'import', 'in', 'infer', 'instanceof', 'interface', 'is', 'keyof', 'let',
  'module', 'namespace', 'never', 'new', 'null', 'number', 'object', 'of', 'package', 'private', 'protected', 'public', 'readonly',
  'require', 'return', 'set', 'static', 'string', 'super', 'switch', 'symbol', 'this', 'throw', 'true', 'try', 'type', 'typeof',
  'undefined', 'unique', 'unknown', 'var', 'void', 'while', 'with', 'yield', 'NaN', 'Infinity', 'globalThis', 'console', 'process',
  'Math', 'Array', 'Object', 'Promise', 'Error', 'Float32Array', 'Number', 'String', 'JSON',
];

const pythonReserved = [
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'case', 'class', 'continue', 'def', 'del', 'elif',
  'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'match', 'nonlocal', 'not', 'or',
  'pass', 'raise', 'return', 'try', 'type', 'while', 'with', 'yield',
  // Builtins a reader would not expect to see shadowed.
  'abs', 'all', 'any', 'bool', 'bytes', 'callable', 'dict', 'dir', 'divmod', 'enumerate', 'eval', 'exec', 'filter', 'float',
  'format', 'hash', 'help', 'id', 'input', 'int', 'iter', 'len', 'list', 'map', 'max', 'min', 'next', 'object', 'open', 'ord',
  'pow', 'print', 'range', 'repr', 'reversed', 'round', 'set', 'slice', 'sorted', 'str', 'sum', 'super', 'tuple', 'vars', 'zip',
  'self', 'cls',
];

/** Names the generated modules use themselves (imports, helpers, functions). */
const generatedCodeNames = [
  'tf', 'keras', 'layers', 'torch', 'nn', 'F', 'np', 'json', 'os', 'math', 'mnist', 'model', 'inputs', 'outputs', 'buildModel',
  'build_model', 'train', 'loadData', 'load_data', 'load_weights', 'loadWeights', 'data', 'xs', 'ys', 'x', 'y', 'history',
  'optimizer', 'loss', 'batch', 'epoch', 'device',
];

/** Attributes of torch.nn.Module that a submodule name must not hide. */
export const torchModuleAttributes = new Set([
  'forward', 'training', 'train', 'eval', 'parameters', 'named_parameters', 'buffers', 'named_buffers', 'children',
  'named_children', 'modules', 'named_modules', 'state_dict', 'load_state_dict', 'to', 'to_empty', 'cuda', 'cpu', 'xpu', 'ipu',
  'type', 'float', 'double', 'half', 'bfloat16', 'apply', 'zero_grad', 'register_buffer', 'register_parameter',
  'register_module', 'add_module', 'get_submodule', 'get_parameter', 'get_buffer', 'get_extra_state', 'set_extra_state',
  'requires_grad_', 'share_memory', 'extra_repr', 'dump_patches', 'call_super_init', 'load_weights',
  'register_forward_hook', 'register_forward_pre_hook', 'register_backward_hook', 'register_full_backward_hook',
  'register_full_backward_pre_hook', 'register_load_state_dict_post_hook', 'register_state_dict_pre_hook',
]);

const reserved = new Set([...typescriptReserved, ...pythonReserved, ...generatedCodeNames]);

/** Turns any text (a label such as "conv 3×3 /2", an id) into a lower-case snake_case identifier. */
export function toIdentifier(text: string): string {
  const words = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (words === '') return 'layer';
  return /^[0-9]/.test(words) ? `n_${words}` : words;
}

/** "LeNet-5 (modern variant)" → "Lenet5ModernVariant"; for class names. */
export function toPascalCase(text: string, fallback: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
  const joined = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()).join('');
  if (joined === '' || /^[0-9]/.test(joined)) return fallback;
  return joined;
}

/** Hands out unique identifiers that are valid and unreserved in TypeScript and Python. */
export class IdentifierAllocator {
  private readonly used = new Set<string>();

  constructor(private readonly extraReserved: ReadonlySet<string> = new Set()) {}

  /** Marks an identifier as taken without changing it (one handed out by another allocator). */
  claim(name: string): void {
    this.used.add(name);
  }

  allocate(text: string): string {
    let base = toIdentifier(text);
    if (reserved.has(base) || this.extraReserved.has(base)) base = `${base}_tensor`;
    let name = base;
    for (let i = 2; this.used.has(name) || reserved.has(name) || this.extraReserved.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }
}
