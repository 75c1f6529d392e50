import { ConfigError } from './config/config.js';
import { startWorker } from './bootstrap.js';

try {
  const worker = await startWorker();
  const stop = (): void => {
    setTimeout(() => process.exit(1), 10_000).unref();
    worker.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (e) {
  console.error(
    e instanceof ConfigError ? e.message : `Worker start-up failed: ${e instanceof Error ? e.message : String(e)}`,
  );
  process.exit(1);
}
