import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { REPO_ROOT, runNode, testEnv } from '../support/app.js';
import { privateRedis } from '../support/redis.js';
import { freshDatabase } from '../support/database.js';

const MAIN = resolve(REPO_ROOT, 'server', 'dist', 'main.js');

describe('configuration is validated once, at boot', () => {
  it('names every bad variable and what it expects, and does not start', async () => {
    const env = {
      PATH: process.env.PATH,
      PORT: 'eighty',
      DATABASE_URL: 'mysql://somewhere/db',
      REDIS_URL: 'localhost:6379',
      LOG_LEVEL: 'chatty',
      ACCESS_TOKEN_TTL: '-5',
      QUEUE_PREFIX: 'Bad Prefix!',
    };
    const { code, output } = await runNode(MAIN, [], env);
    expect(code).toBe(1);
    for (const variable of ['PORT', 'DATABASE_URL', 'REDIS_URL', 'LOG_LEVEL', 'ACCESS_TOKEN_TTL', 'QUEUE_PREFIX']) {
      expect(output).toMatch(new RegExp(`- ${variable}: \\S`));
    }
    expect(output).toContain('expected a postgres:// or postgresql:// URL');
    expect(output).not.toMatch(/at .*\.js:\d+/);
  });

  it('requires a signing secret and a real database in production', async () => {
    const { code, output } = await runNode(MAIN, [], { PATH: process.env.PATH, NODE_ENV: 'production' });
    expect(code).toBe(1);
    expect(output).toMatch(/- JWT_SECRET: required in production/);
    expect(output).toMatch(/- DATABASE_URL: required in production/);
  });

  it('refuses to serve a database with pending migrations, and says what to run', async () => {
    const empty = await freshDatabase({ empty: true });
    const env = { ...(await testEnv()), DATABASE_URL: empty.url };
    const { code, output } = await runNode(MAIN, [], env);
    expect(code).toBe(1);
    expect(output).toMatch(/pending migration/);
    expect(output).toContain('npm run migrate');
  });

  it('refuses a Redis that may evict keys, saying why', async () => {
    const redis = await privateRedis(['--maxmemory-policy', 'allkeys-lru']);
    try {
      const env = { ...(await testEnv()), REDIS_URL: redis.url };
      const { code, output } = await runNode(MAIN, [], env);
      expect(code).toBe(1);
      expect(output).toContain('maxmemory-policy "allkeys-lru"');
      expect(output).toContain('noeviction');
    } finally {
      await redis.stop();
    }
  });
});
