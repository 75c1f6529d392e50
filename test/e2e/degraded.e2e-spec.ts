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
