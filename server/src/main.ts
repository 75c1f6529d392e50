import { ConfigError } from './config/config.js';
import { startServer } from './bootstrap.js';

// `npm start` passes --migrate: migrate, then serve. Production runs `npm run migrate` itself.
if (process.argv.includes('--migrate')) process.env.MIGRATE_ON_START = 'true';

try {
  const server = await startServer();
  const stop = (): void => {
    // Bounded: a dependency that is down must not keep the process from stopping.
    setTimeout(() => process.exit(1), 10_000).unref();
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (e) {
  console.error(
    e instanceof ConfigError ? e.message : `Start-up failed: ${e instanceof Error ? e.message : String(e)}`,
  );
  process.exit(1);
}
