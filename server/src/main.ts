import { startServer } from './bootstrap.js';
import { runUntilSignal } from './lifecycle.js';

// `npm start` passes --migrate: migrate, then serve. Production runs `npm run migrate` itself.
if (process.argv.includes('--migrate')) process.env.MIGRATE_ON_START = 'true';

await runUntilSignal('Server', () => startServer());
