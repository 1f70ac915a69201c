import { escapeControl } from '../../shared/escape-control';
/** Ends the process with a one-line reason and its code; stack traces only with NETWEAVE_DEBUG=1. */
export function fail(message: string, code = 'option-invalid', exitCode = 2): never {
  // Messages quote file names, class names and cells: control bytes are shown, never sent to the terminal.
  const line = escapeControl(message.replace(/\s*\n\s*/g, ' ').trim(), false);
  process.stderr.write(`netweave: ${/\[[a-z-]+\]$/.test(line) ? line : `${line} [${code}]`}\n`);
  process.exit(exitCode);
}

export function describeError(err: unknown): string {
  if (process.env.NETWEAVE_DEBUG === '1' && err instanceof Error && err.stack) return err.stack;
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' && !err.message.includes(code) ? `${err.message} [${code}]` : err.message;
  }
  return String(err);
}

/** Wraps a command action so that any failure becomes one line on stderr and exit code 2. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<number | void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      const code = await fn(...args);
      process.exitCode = code ?? 0;
    } catch (err) {
      fail(describeError(err));
    }
  };
}
