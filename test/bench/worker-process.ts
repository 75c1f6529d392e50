import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startWorker } from '@xietong/server/bootstrap';
import { statementsRun } from '@xietong/server/database/statement-count';

/**
 * The product's queue workers (delivery, notifications, clocks) in a process of their own, as
 * `npm run worker` runs them at scale, next to an API process started with PROCESS_ROLE=api.
 * The parent asks it for its CPU and statement count so a referral's cost adds up across both.
 */
export interface WorkerCost {
  cpuMs: number;
  statements: number;
}

type ToWorker = { kind: 'cost' } | { kind: 'stop' };
type FromWorker = { kind: 'ready' } | { kind: 'failed'; error: string } | ({ kind: 'cost' } & WorkerCost);

export class WorkerProcess {
  private costWaiting: ((c: WorkerCost) => void) | undefined;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: FromWorker) => {
      if (m.kind === 'cost') this.costWaiting?.({ cpuMs: m.cpuMs, statements: m.statements });
    });
  }

  /** Starts the worker with `env` (PROCESS_ROLE=worker is set here) and waits until it is up. */
  static async start(env: NodeJS.ProcessEnv): Promise<WorkerProcess> {
    const child = fork(fileURLToPath(import.meta.url), ['--worker'], {
      env: { ...env, PROCESS_ROLE: 'worker', MIGRATE_ON_START: 'false', SEED_DEMO: 'false' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the worker process exited (${code}) before it was up`)));
      child.on('message', (m: FromWorker) => {
        if (m.kind === 'ready') resolve();
        if (m.kind === 'failed') reject(new Error(`the worker process failed to start: ${m.error}`));
      });
    });
    child.removeAllListeners('exit');
    return new WorkerProcess(child);
  }

  cost(): Promise<WorkerCost> {
    return new Promise((resolve) => {
      this.costWaiting = resolve;
      this.child.send({ kind: 'cost' } satisfies ToWorker);
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ kind: 'stop' } satisfies ToWorker);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

if (process.argv.includes('--worker') && process.send) {
  const send = (m: FromWorker): void => void process.send?.(m);
  try {
    const worker = await startWorker(process.env);
    process.on('message', (m: ToWorker) => {
      if (m.kind === 'cost') {
        const cpu = process.cpuUsage();
        send({ kind: 'cost', cpuMs: (cpu.user + cpu.system) / 1000, statements: statementsRun() });
      } else if (m.kind === 'stop') {
        void worker.close().finally(() => process.exit(0));
      }
    });
    send({ kind: 'ready' });
  } catch (e) {
    send({ kind: 'failed', error: e instanceof Error ? e.message : String(e) });
    process.exit(1);
  }
}
