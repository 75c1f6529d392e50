import { startWorker } from './bootstrap.js';
import { runUntilSignal } from './lifecycle.js';

await runUntilSignal('Worker', () => startWorker());
