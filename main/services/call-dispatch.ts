import type { z } from 'zod';
import type { CallHandlers, CallName } from '../../shared/contract';
import { callSchemas } from '../../shared/contract';
import type { Result } from '../../shared/result';
import { err } from '../../shared/result';

/** Every payload is untrusted until the contract's own schema accepts it. */

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(callSchemas, name);
}

function describeIssue(name: string, issue: z.core.$ZodIssue, more: number): string {
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '(the payload itself)';
  const extra = more > 0 ? ` (and ${more} more problem${more === 1 ? '' : 's'})` : '';
  return `The "${name}" request has an invalid field "${field}": ${issue.message}${extra}. Nothing was changed; reload the app if this keeps happening.`;
}

/**
 * Validates `input` against the schema of call `name` and runs its handler.
 * Never throws: unknown calls, invalid payloads and handler failures all come back as error values.
 */
export async function dispatchCall(handlers: CallHandlers, name: unknown, input: unknown): Promise<Result<unknown>> {
  if (!isCallName(name)) {
    const shown = typeof name === 'string' ? `"${name.slice(0, 100)}"` : `a ${name === null ? 'null' : typeof name}`;
    return err('unknown-call', `There is no call named ${shown}. The app and its host may be of different versions: restart the app.`);
  }
  const parsed = callSchemas[name].safeParse(input);
  if (!parsed.success) {
    const [first] = parsed.error.issues;
    return err('payload-invalid', describeIssue(name, first!, parsed.error.issues.length - 1));
  }
  const handler = handlers[name] as (payload: unknown) => Promise<Result<unknown>>;
  try {
    return await handler(parsed.data);
  } catch (error) {
    return err('internal-error', `"${name}" failed unexpectedly: ${error instanceof Error ? error.message : String(error)}. Try again; if it persists, restart the app.`);
  }
}
