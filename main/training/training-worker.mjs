// Entry point of a training worker thread: the worker code is TypeScript, so register tsx first.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./training-worker.ts', import.meta.url).href);
