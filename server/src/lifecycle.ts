import { ConfigError } from './config/config.js';

/**
 * Runs a process entry point until SIGINT/SIGTERM, then closes it. Shutdown is bounded: a
 * dependency that is down must not keep the process from stopping.
 */
export async function runUntilSignal(name: string, start: () => Promise<{ close(): Promise<void> }>): Promise<void> {
  try {
    const running = await start();
    const stop = (): void => {
      setTimeout(() => process.exit(1), 10_000).unref();
      running.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    // A supervisor that spawned this process with an IPC channel (infra/topology) learns it is up;
    // a worker has no port to poll. The channel must not keep the process alive on its own.
    if (process.send) {
      process.send({ ready: name });
      process.channel?.unref();
    }
  } catch (e) {
    console.error(
      e instanceof ConfigError ? e.message : `${name} start-up failed: ${e instanceof Error ? e.message : String(e)}`,
    );
    process.exit(1);
  }
}
