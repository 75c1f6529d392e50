import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bootApp, type TestApp } from '../support/app.js';
import { privateRedis } from '../support/redis.js';

/**
 * A node whose queue backend (Redis) is gone can still serve: health says "degraded" with 200,
 * because writes are accepted and delivered later. Only a lost database makes it 503.
 */
let app: TestApp;
let redis: Awaited<ReturnType<typeof privateRedis>>;
beforeAll(async () => {
  redis = await privateRedis();
  app = await bootApp({ env: { REDIS_URL: redis.url } });
});
afterAll(async () => {
  await app?.close();
  await redis?.stop();
});

describe('when Redis goes away', () => {
  it('reports degraded with 200, and keeps signing people in', async () => {
    expect((await app.http.get('/api/health')).body).toMatchObject({ status: 'ok', redis: { status: 'up' } });
    await redis.stop();
    const res = await app.http.get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'degraded',
      database: { status: 'up' },
      redis: { status: 'down' },
      queues: { status: 'degraded', backend: 'redis' },
    });
    const pair = await app.http.login('zfj.liaison');
    expect((await app.http.get('/api/me', pair.accessToken)).status).toBe(200);
  });
});

describe('when the database goes away', () => {
  it('answers health with 503 saying so, and recovers without a restart', async () => {
    const name = new URL(app.databaseUrl).pathname.slice(1);
    const admin = app.databaseUrl.replace(/\/[^/]+$/, '/postgres');
    const { query } = await import('../support/database.js');
    await query(admin, `alter database "${name}" allow_connections false`);
    await query(admin, 'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [name]);
    try {
      const down = await app.http.get('/api/health');
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ status: 'down', database: { status: 'down' } });
      const login = await app.http.post('/api/auth/login', { username: 'zfj.liaison', password: 'Xietong@2026' });
      expect(login.status).toBe(503);
      expect(login.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
      expect(JSON.stringify(login.body)).not.toMatch(/terminat|pg_|ECONN|select/i);
    } finally {
      await query(admin, `alter database "${name}" allow_connections true`);
    }
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await app.http.get('/api/health')).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
    expect((await app.http.post('/api/auth/login', { username: 'zfj.liaison', password: 'Xietong@2026' })).status).toBe(
      200,
    );
  });
});
