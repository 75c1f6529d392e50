import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Job, JobsOptions, Queue } from 'bullmq';
import {
  JOB_NAMES,
  QUEUE_NAMES,
  WORKER_CONCURRENCY,
  type JobData,
  type JobName,
  type QueueName,
} from './job-catalogue.js';
import { QueueBackend } from './queue-backend.js';

export type JobHandler<Q extends QueueName, J extends JobName<Q>> = (data: JobData<Q, J>, job: Job) => Promise<unknown>;

/** How often each process looks whether Redis lost its data. */
const REDIS_LOSS_CHECK_MS = 2_000;
/** Jobs running when Redis lost its data finish within this; what they delivered is then marked. */
const REBUILD_GRACE_MS = 3_000;

export class MissingJobHandlerError extends Error {
  constructor(readonly missing: string[]) {
    super(`Every job in the catalogue needs a handler; missing: ${missing.join(', ')}`);
  }
}

/**
 * The application's view of the queues: typed `add`, typed handlers, workers started only in
 * the processes that run them. Processors are thin: they call a service method.
 */
@Injectable()
export class QueueService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(QueueService.name);
  private readonly queues = new Map<QueueName, Queue>();
  private readonly handlers = new Map<string, (data: unknown, job: Job) => Promise<unknown>>();
  private workersStarted = false;
  private readonly rebuilders: { name: string; run: () => Promise<number> }[] = [];
  private lossTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    readonly backend: QueueBackend,
    private readonly runWorkers: boolean,
  ) {}

  queue(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = this.backend.createQueue(name);
      this.queues.set(name, q);
    }
    return q;
  }

  allQueues(): Queue[] {
    return QUEUE_NAMES.map((n) => this.queue(n));
  }

  async add<Q extends QueueName, J extends JobName<Q>>(
    queue: Q,
    job: J,
    data: JobData<Q, J>,
    opts?: JobsOptions,
  ): Promise<Job> {
    return this.queue(queue).add(job, data, opts);
  }

  handle<Q extends QueueName, J extends JobName<Q>>(queue: Q, job: J, handler: JobHandler<Q, J>): void {
    this.handlers.set(`${queue}/${job}`, handler as (data: unknown, job: Job) => Promise<unknown>);
  }

  /**
   * Registers what a capability puts back into Redis from PostgreSQL when Redis lost its data (a
   * restart without persistence, a flush): its pending jobs, its delayed steps. `run` must be
   * idempotent (job ids derived from rows) and returns how many things it queued again.
   */
  onRedisLost(name: string, run: () => Promise<number>): void {
    this.rebuilders.push({ name, run });
  }

  /**
   * Looks whether Redis lost its data and, if this process is the one to notice, rebuilds. Also
   * true on a deployment's first start on a fresh Redis, where rebuilding finds nothing to do.
   */
  async checkRedisLoss(): Promise<Record<string, number> | undefined> {
    if (!(await this.backend.claimEmptyRedis())) return undefined;
    this.logger.warn(
      'Redis holds none of our keys (restarted without persistence, or flushed): rebuilding from PostgreSQL',
    );
    await new Promise((r) => setTimeout(r, REBUILD_GRACE_MS));
    const counts: Record<string, number> = {};
    try {
      for (const r of this.rebuilders) counts[r.name] = await r.run();
    } catch (e) {
      // Half done (Redis went again, or the database): whoever looks next does it all again.
      await this.backend.releaseEmptyRedis().catch(() => undefined);
      throw e;
    }
    this.logger.warn({ requeued: counts }, 'queues rebuilt from PostgreSQL');
    return counts;
  }

  private watchRedisLoss(ms: number): void {
    if (this.stopped) return;
    this.lossTimer = setTimeout(() => {
      this.checkRedisLoss()
        .catch((e: unknown) => this.logger.warn({ err: e }, 'could not check or rebuild the queues yet'))
        .finally(() => this.watchRedisLoss(REDIS_LOSS_CHECK_MS));
    }, ms);
  }

  onApplicationBootstrap(): void {
    // Create every queue up front so the dashboard and metrics see them all.
    this.allQueues();
    if (this.backend.kind === 'redis') this.watchRedisLoss(0);
    if (!this.runWorkers) return;
    const missing = QUEUE_NAMES.flatMap((q) =>
      (JOB_NAMES[q] as readonly string[]).filter((j) => !this.handlers.has(`${q}/${j}`)).map((j) => `${q}/${j}`),
    );
    if (missing.length > 0) throw new MissingJobHandlerError(missing);
    for (const q of QUEUE_NAMES) {
      this.backend.createWorker(
        q,
        async (job) => {
          const handler = this.handlers.get(`${q}/${job.name}`);
          if (!handler) throw new Error(`no handler for ${q}/${job.name}`);
          return handler(job.data, job);
        },
        { concurrency: WORKER_CONCURRENCY[q] },
      );
    }
    this.workersStarted = true;
    this.logger.log(`workers started on ${this.backend.kind} for: ${QUEUE_NAMES.join(', ')}`);
  }

  get runsWorkers(): boolean {
    return this.workersStarted;
  }

  /** Answers within the timeout or reports the backend unreachable. */
  async depths(timeoutMs = 2_000): Promise<Record<string, Record<string, number>>> {
    const entries = await Promise.all(
      QUEUE_NAMES.map(async (n) => [n, await withTimeout(this.queue(n).getJobCounts(), timeoutMs)] as const),
    );
    return Object.fromEntries(entries);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.lossTimer);
    await this.backend.close();
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((ok, fail) => {
    const t = setTimeout(() => fail(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        ok(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        fail(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
