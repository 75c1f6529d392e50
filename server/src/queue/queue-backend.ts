import {
  createPostgresBackend,
  Queue,
  QueueEvents,
  withBackend,
  Worker,
  type JobsOptions,
  type Processor,
  type QueueOptions,
  type WorkerOptions,
} from 'bullmq';
import { Redis } from 'ioredis';

/**
 * Which store carries the queues. Redis in production; without Redis, BullMQ's own PostgreSQL
 * backend on the application database, so a newcomer needs nothing but `npm start`.
 * `namespace` is the Redis key prefix or the PostgreSQL schema: one per deployment, one per test.
 */
export type QueueBackendConfig = ({ kind: 'redis' } | { kind: 'postgres' }) & {
  url: string;
  namespace: string;
  /** job lock and stalled-check interval (QUEUE_LOCK_MS); BullMQ's 30 s when absent */
  lockMs?: number;
  /** names this process's workers (NODE_ID): a job records the worker that processed it */
  workerName?: string;
};

/** Production defaults for every job: retried with backoff, kept for inspection, then trimmed. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 24 * 3600, count: 5_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

type AnyQueue = Queue;
type AnyWorker = Worker;

/**
 * Creates queues and workers on the chosen backend. The rest of the code never knows which.
 * Everything it opens, it closes.
 */
export class QueueBackend {
  private redis: Redis | undefined;
  private readonly opened: { close(): Promise<void> }[] = [];
  private readonly pg = withBackend(createPostgresBackend);

  constructor(readonly config: QueueBackendConfig) {}

  get kind(): QueueBackendConfig['kind'] {
    return this.config.kind;
  }

  /** A Redis connection for queues; BullMQ requires no per-request retry limit. */
  private redisConnection(): Redis {
    this.redis ??= new Redis(this.config.url, {
      maxRetriesPerRequest: null,
      enableReadyCheck: true,
      lazyConnect: false,
    });
    return this.redis;
  }

  /**
   * Whether Redis came up empty since the last call anywhere (a restart without persistence, a
   * flush, a new server): sets a marker key if it is missing, and says whether it was. Exactly one
   * caller across the deployment gets `true` per loss. Always false on the PostgreSQL backend.
   */
  async claimEmptyRedis(timeoutMs = 2_000): Promise<boolean> {
    if (this.config.kind !== 'redis') return false;
    const key = `${this.config.namespace}:queues-marker`;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return (await Promise.race([this.redisConnection().set(key, new Date().toISOString(), 'NX'), timeout])) === 'OK';
    } finally {
      clearTimeout(timer);
    }
  }

  /** Forgets the marker (a rebuild that failed half-way is tried again by whoever sees it missing). */
  async releaseEmptyRedis(): Promise<void> {
    if (this.config.kind === 'redis') await this.redisConnection().del(`${this.config.namespace}:queues-marker`);
  }

  createQueue(name: string, defaultJobOptions: JobsOptions = DEFAULT_JOB_OPTIONS): AnyQueue {
    let queue: AnyQueue;
    if (this.config.kind === 'redis') {
      const opts: QueueOptions = {
        connection: this.redisConnection(),
        prefix: this.config.namespace,
        defaultJobOptions,
      };
      queue = new Queue(name, opts);
    } else {
      queue = new this.pg.Queue(name, {
        connection: { connectionString: this.config.url, schema: this.config.namespace, max: 4, migrate: true },
        defaultJobOptions,
      }) as unknown as AnyQueue;
    }
    queue.on('error', () => undefined); // surfaced through health, not as an unhandled event
    this.opened.push(queue);
    return queue;
  }

  createWorker(name: string, processor: Processor, opts: { concurrency?: number; autorun?: boolean } = {}): AnyWorker {
    let worker: AnyWorker;
    // A worker that dies mid-job stops renewing its lock; another worker's stalled check moves
    // the job back to waiting and runs it again (at most twice, then it fails for inspection).
    const lock = this.config.lockMs ?? 30_000;
    const common = {
      concurrency: opts.concurrency ?? 4,
      autorun: opts.autorun ?? true,
      maxStalledCount: 2,
      lockDuration: lock,
      stalledInterval: lock,
      ...(this.config.workerName ? { name: this.config.workerName } : {}),
    };
    if (this.config.kind === 'redis') {
      const wopts: WorkerOptions = { ...common, connection: this.redisConnection(), prefix: this.config.namespace };
      worker = new Worker(name, processor, wopts);
    } else {
      worker = new this.pg.Worker(name, processor, {
        ...common,
        // its connection pool holds 4: more jobs at once would only wait for one
        concurrency: Math.min(common.concurrency, 4),
        connection: { connectionString: this.config.url, schema: this.config.namespace, max: 4, migrate: true },
      }) as unknown as AnyWorker;
    }
    worker.on('error', () => undefined);
    this.opened.push(worker);
    return worker;
  }

  createQueueEvents(name: string): QueueEvents {
    const events =
      this.config.kind === 'redis'
        ? new QueueEvents(name, { connection: { ...parseRedisUrl(this.config.url) }, prefix: this.config.namespace })
        : (new this.pg.QueueEvents(name, {
            connection: { connectionString: this.config.url, schema: this.config.namespace, max: 2, migrate: true },
          }) as unknown as QueueEvents);
    this.opened.push(events);
    return events;
  }

  /** Workers first (finish what they hold), then queues, then the shared connection. */
  async close(): Promise<void> {
    const closing = [...this.opened].reverse();
    this.opened.length = 0;
    for (const c of closing) await c.close().catch(() => undefined);
    if (this.redis) {
      this.redis.disconnect();
      this.redis = undefined;
    }
  }
}

function parseRedisUrl(url: string): { host: string; port: number; password?: string; username?: string; db?: number } {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
  };
}

/** BullMQ needs Redis to keep every key: an evicting Redis silently loses jobs. */
export async function assertRedisKeepsKeys(url: string): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true, connectTimeout: 5_000 });
  try {
    await client.connect();
    const info = await client.info('memory');
    const policy = /maxmemory_policy:(\S+)/.exec(info)?.[1];
    if (policy && policy !== 'noeviction') {
      throw new Error(
        `Redis at ${redactUrl(url)} has maxmemory-policy "${policy}"; queues need "noeviction" ` +
          '(an evicting Redis drops queued jobs). Run: redis-cli CONFIG SET maxmemory-policy noeviction ' +
          '(and set it in redis.conf).',
      );
    }
  } finally {
    client.disconnect();
  }
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid url)';
  }
}
