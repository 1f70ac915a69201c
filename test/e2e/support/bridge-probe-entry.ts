// A minimal page script for protocol tests: the real bridge, exposed to the test.
import { connectNetweave } from '../../../renderer/bridge/connect';

declare global {
  interface Window {
    probe: { connectNetweave: typeof connectNetweave };
  }
}

window.probe = { connectNetweave };
document.body.dataset.ready = 'true';
