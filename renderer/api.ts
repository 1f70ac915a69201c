import type { CallInput, CallName, CallResults, NetweaveApi } from '../shared/contract';
import type { Result } from '../shared/result';
import { askToConfirm } from './store/ui-store';
import { showError } from './ui/toast-store';

/** The connection to main, set once at start-up (see main.tsx). */
let api: NetweaveApi | null = null;

export function setApi(value: NetweaveApi): void {
  api = value;
}

export function getApi(): NetweaveApi {
  if (!api) throw new Error('The app is not connected to its host yet.');
  return api;
}

/**
 * Calls main; on failure shows the error (code and message) as a toast titled
 * with what was being done, and resolves to undefined. Never throws.
 */
export async function callOrReport<N extends CallName>(name: N, input: CallInput<N>, doing: string): Promise<CallResults[N] | undefined> {
  try {
    const result = await getApi().call(name, input);
    if (result.ok) return result.value;
    showError(doing, result.error);
  } catch (error) {
    showError(doing, { code: 'host-unreachable', message: `The host did not answer (${error instanceof Error ? error.message : String(error)}). Check that Netweave is still running, then try again.` });
  }
  return undefined;
}

/**
 * Like callOrReport for calls that write: when main refuses to replace a file Netweave did not
 * write ('overwrite-refused'), asks the user and, if they agree, calls again with overwrite.
 */
export async function callConfirmingOverwrite<N extends 'project.save' | 'model.save' | 'export.save'>(
  name: N,
  input: CallInput<N>,
  doing: string,
): Promise<CallResults[N] | undefined> {
  let first: Result<CallResults[N]>;
  try {
    first = await getApi().call(name, input);
  } catch {
    return callOrReport(name, input, doing);
  }
  if (first.ok) return first.value;
  if (first.error.code !== 'overwrite-refused') {
    showError(doing, first.error);
    return undefined;
  }
  const answer = await askToConfirm({ title: 'Replace the file?', message: first.error.message, confirmLabel: 'Replace', cancelLabel: 'Cancel' });
  if (answer !== 'confirm') return undefined;
  return callOrReport(name, { ...input, overwrite: true }, doing);
}

/** Like callOrReport, but silent: for background work such as autosave. */
export async function callQuietly<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResults[N] | undefined> {
  try {
    const result = await getApi().call(name, input);
    return result.ok ? result.value : undefined;
  } catch {
    return undefined;
  }
}
