import { afterEach, describe, expect, it } from '@jest/globals';
import type { Job } from 'bullmq';
import { QueueBackend, type QueueBackendConfig } from '@xietong/server/queue/queue-backend';
import { freshDatabase, query, uniquePrefix } from '../support/database.js';
import { TEST_REDIS_URL } from '../support/env.js';

/**
 * One contract, both backends: what the product relies on from its queues must hold on Redis
 * (production) and on PostgreSQL (the embedded default) alike. Each test has its own namespace.
 */
const backends: { name: string; config: () => Promise<QueueBackendConfig> }[] = [
  { name: 'Redis', config: async () => ({ kind: 'redis', url: TEST_REDIS_URL, namespace: uniquePrefix('qc') }) },
  {
    name: 'PostgreSQL',
    config: async () => ({
      kind: 'postgres',
      url: (await freshDatabase({ empty: true })).url,
      namespace: uniquePrefix('qc'),
    }),
  },
];

const opened: QueueBackend[] = [];
const backend = (config: QueueBackendConfig): QueueBackend => {
  const b = new QueueBackend(config);
  opened.push(b);
  return b;
};
afterEach(async () => {
  for (const b of opened.splice(0)) await b.close();
});

/** Resolves with what the processor saw once `count` jobs have been processed. */
function collector<T>(count: number): {
  seen: { data: T; at: number; job: Job }[];
  done: Promise<void>;
  push(job: Job): void;
} {
  const seen: { data: T; at: number; job: Job }[] = [];
  let finish: () => void = () => undefined;
  const done = new Promise<void>((ok) => (finish = ok));
  return {
    seen,
    done,
    push(job) {
      seen.push({ data: job.data as T, at: Date.now(), job });
      if (seen.length >= count) finish();
    },
  };
}

const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<T>((_, fail) => setTimeout(() => fail(new Error(`${what}: not within ${ms} ms`)), ms))]);

describe.each(backends)('queue contract on $name', ({ config }) => {
  it('keeps a delayed job across a restart and runs it once its delay has passed', async () => {
    const cfg = await config();
    const before = backend(cfg);
    const addedAt = Date.now();
    await before.createQueue('contract').add('remind', { matter: 'M-1' }, { delay: 1_500, jobId: 'remind-M-1' });
    await before.close(); // the process "restarts": nothing of it survives but the store

    const after = backend(cfg);
    const c = collector<{ matter: string }>(1);
    after.createWorker('contract', async (job) => c.push(job));
    await within(c.done, 20_000, 'delayed job after restart');
    expect(c.seen).toHaveLength(1);
    expect(c.seen[0]?.data).toEqual({ matter: 'M-1' });
    expect((c.seen[0]?.at ?? 0) - addedAt).toBeGreaterThanOrEqual(1_400);
  });

  it('retries a failing job with backoff until it succeeds', async () => {
    const cfg = await config();
    const b = backend(cfg);
    const attempts: number[] = [];
    let finish: () => void = () => undefined;
    const completed = new Promise<void>((ok) => (finish = ok));
    const worker = b.createWorker('contract', async () => {
      attempts.push(Date.now());
      if (attempts.length < 3) throw new Error(`transient failure ${attempts.length}`);
      return 'ok';
    });
    worker.on('completed', () => finish());
    await b.createQueue('contract').add('deliver', { n: 1 }, { attempts: 5, backoff: { type: 'fixed', delay: 400 } });
    await within(completed, 20_000, 'retried job');
    expect(attempts).toHaveLength(3);
    expect((attempts[1] ?? 0) - (attempts[0] ?? 0)).toBeGreaterThanOrEqual(350);
    expect((attempts[2] ?? 0) - (attempts[1] ?? 0)).toBeGreaterThanOrEqual(350);
  });

  it('fails a job for good after its last attempt and keeps it for inspection', async () => {
    const cfg = await config();
    const b = backend(cfg);
    let calls = 0;
    let finish: (job: Job | undefined) => void = () => undefined;
    const failed = new Promise<Job | undefined>((ok) => (finish = ok));
    const worker = b.createWorker('contract', async () => {
      calls++;
      throw new Error('permanent');
    });
    worker.on('failed', (job) => {
      if (job && job.attemptsMade >= 2) finish(job);
    });
    const queue = b.createQueue('contract');
    await queue.add('deliver', { n: 2 }, { attempts: 2, backoff: { type: 'fixed', delay: 100 }, jobId: 'doomed' });
    const job = await within(failed, 20_000, 'exhausted job');
    expect(calls).toBe(2);
    expect(job?.failedReason).toBe('permanent');
    expect(await queue.getJobState('doomed')).toBe('failed');
  });

  it('de-duplicates by job id: the same id added twice runs once', async () => {
    const cfg = await config();
    const b = backend(cfg);
    const queue = b.createQueue('contract');
    await queue.add('deliver', { outbox: 41 }, { jobId: 'outbox-41' });
    await queue.add('deliver', { outbox: 41, again: true }, { jobId: 'outbox-41' });
    await queue.add('deliver', { outbox: 42 }, { jobId: 'outbox-42' });
    const c = collector<{ outbox: number }>(2);
    b.createWorker('contract', async (job) => c.push(job));
    await within(c.done, 20_000, 'two distinct jobs');
    await new Promise((r) => setTimeout(r, 500)); // a duplicate would show up now
    expect(c.seen.map((s) => s.data.outbox).sort()).toEqual([41, 42]);
    expect(c.seen.find((s) => s.data.outbox === 41)?.data).toEqual({ outbox: 41 });
  });

  it('keeps queues of different namespaces apart', async () => {
    const a = backend(await config());
    const other = await config();
    const b = backend({ ...other, kind: a.kind, url: a.config.url });
    await a.createQueue('contract').add('x', { from: 'a' });
    const counts = await b.createQueue('contract').getJobCounts('waiting');
    expect(counts.waiting).toBe(0);
  });
});

describe('queue on PostgreSQL', () => {
  it('lives in its own schema of the application database', async () => {
    const db = await freshDatabase({ empty: true });
    const namespace = uniquePrefix('schema');
    const b = backend({ kind: 'postgres', url: db.url, namespace });
    await b.createQueue('contract').add('x', {});
    const rows = await query<{ schema_name: string }>(
      db.url,
      'select schema_name from information_schema.schemata where schema_name = $1',
      [namespace],
    );
    expect(rows).toEqual([{ schema_name: namespace }]);
  });
});
