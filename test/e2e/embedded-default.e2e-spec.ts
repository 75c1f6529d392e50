import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { AgencySummary, UserSummary } from '@xietong/shared';
import { freePort, spawnServer } from '../support/app.js';

/**
 * The newcomer's path: no DATABASE_URL, no REDIS_URL. The server starts its own PostgreSQL
 * under a data directory, runs queues on it, seeds the demo county, and keeps it all across a
 * restart.
 */
const dataRoot = mkdtempSync(join(tmpdir(), 'xt-embedded-'));
chmodSync(dataRoot, 0o755); // the embedded server runs as its own unprivileged user
afterAll(() => rmSync(dataRoot, { recursive: true, force: true }));

const envFor = async (): Promise<NodeJS.ProcessEnv> => ({
  PATH: process.env.PATH,
  PORT: String(await freePort()),
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  EMBEDDED_PG_DIR: join(dataRoot, 'postgres'),
});

describe('the embedded default', () => {
  it('serves within 30 s on a first start, with queues on PostgreSQL, and reuses the data on a second', async () => {
    const started = Date.now();
    const first = await spawnServer(await envFor(), ['--migrate'], 30_000);
    let createdId: string | undefined;
    try {
      expect(Date.now() - started).toBeLessThan(30_000);
      const health = await first.http.get('/api/health');
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({
        status: 'ok',
        database: { status: 'up' },
        redis: { status: 'disabled' },
        queues: { status: 'up', backend: 'postgres' },
      });
      const admin = await first.http.login('lz.admin');
      const created = await first.http.post<UserSummary>(
        `/api/agencies/${admin.user.agencyId}/users`,
        { username: 'lz.newcomer', displayName: '新同事', password: 'a-long-password', roles: ['township_staff'] },
        admin.accessToken,
      );
      expect(created.status).toBe(201);
      createdId = created.body.id;
    } finally {
      await first.close();
    }

    const second = await spawnServer(await envFor(), ['--migrate'], 30_000);
    try {
      const me = await second.http.login('lz.newcomer', 'a-long-password');
      expect(me.user.id).toBe(createdId);
      const agencies = await second.http.get<AgencySummary[]>('/api/agencies', me.accessToken);
      expect(agencies.body).toHaveLength(20); // seeded once, not twice
    } finally {
      await second.close();
    }
  });
});
