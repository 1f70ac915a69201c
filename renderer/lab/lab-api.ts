import type { CallInput, CallName, CallResults } from '../../shared/contract';
import { callOrReport, callQuietly, getApi } from '../api';
import type { LabEvent } from './lab-types';

/** A lab call; with `doing`, errors become a toast titled with it; resolves to undefined on failure. */
export function labCall<N extends CallName>(name: N, input: CallInput<N>, doing: string | null): Promise<CallResults[N] | undefined> {
  return doing ? callOrReport(name, input, doing) : callQuietly(name, input);
}

/** Listens to 'lab.event' (loss-landscape progress and results). */
export function onLabEvent(listener: (event: LabEvent) => void): () => void {
  return getApi().on('lab.event', listener);
}
