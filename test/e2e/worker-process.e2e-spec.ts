import { afterAll, describe, expect, it } from '@jest/globals';
import { QueueBackend } from '@xietong/server/queue/queue-backend';
import { QueueService } from '@xietong/server/queue/queue.service';
import { JOB_NAMES, type QueueName } from '@xietong/server/queue/job-catalogue';
import { bootApp, spawnWorker, type TestApp } from '../support/app.js';
import { query, uniquePrefix } from '../support/database.js';
import { TEST_REDIS_URL } from '../support/env.js';

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

describe('API nodes and worker processes', () => {
  it('run apart: an API-only node queues, a separate worker process does the work', async () => {
    const api: TestApp = await bootApp({ env: { PROCESS_ROLE: 'api' } });
    closers.push(() => api.close());
    // A refresh token of a session that ended 40 days ago: the maintenance job's to remove.
    const [user] = await query<{ id: string }>(
      api.databaseUrl,
      "select id from app_user where username = 'zfj.liaison'",
    );
    await query(
      api.databaseUrl,
      `insert into auth_session (id, user_id, created_at, expires_at, revoked_at, revoked_reason)
       values ('00000000-0000-4000-8000-000000000001', $1, now() - interval '70 days', now() + interval '1 day', now() - interval '40 days', 'logout')`,
      [user?.id],
    );
    await query(
      api.databaseUrl,
      `insert into refresh_token (id, session_id, token_hash, created_at)
       values ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', repeat('a', 64), now() - interval '70 days')`,
    );

    const backend = new QueueBackend({ kind: 'redis', url: TEST_REDIS_URL, namespace: api.queuePrefix });
    closers.push(() => backend.close());
    const queue = backend.createQueue('maintenance');
    const job = await queue.add('auth.prune-refresh-tokens', { olderThanDays: 30 }, { jobId: 'prune-now' });
    await new Promise((r) => setTimeout(r, 800));
    expect(await queue.getJobState(job.id ?? '')).toBe('waiting'); // nobody on the API node works it

    const worker = spawnWorker(api);
    closers.push(() => worker.close());
    let state = '';
    for (let i = 0; i < 100 && state !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      state = await queue.getJobState(job.id ?? '');
    }
    expect(state).toBe('completed');
    expect((await queue.getJob(job.id ?? ''))?.returnvalue).toEqual({ pruned: 1 });
    expect(await query(api.databaseUrl, "select 1 from refresh_token where token_hash = repeat('a', 64)")).toEqual([]);
    expect(
      await query(api.databaseUrl, "select 1 from auth_session where id = '00000000-0000-4000-8000-000000000001'"),
    ).toHaveLength(1);
  });

  it('refuses to start workers when a job in the catalogue has no handler', async () => {
    const backend = new QueueBackend({ kind: 'redis', url: TEST_REDIS_URL, namespace: uniquePrefix('nohandler') });
    const service = new QueueService(backend, true);
    closers.push(() => backend.close());
    // Every job has a handler but one.
    for (const [queue, jobs] of Object.entries(JOB_NAMES) as [QueueName, readonly string[]][]) {
      for (const job of jobs) {
        if (job !== 'auth.prune-refresh-tokens') service.handle(queue, job as never, () => Promise.resolve());
      }
    }
    expect(() => service.onApplicationBootstrap()).toThrow(
      /needs a handler; missing: maintenance\/auth\.prune-refresh-tokens$/,
    );
  });
});
