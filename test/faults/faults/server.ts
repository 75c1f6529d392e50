import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, REPO_ROOT, runNode } from '../../support/app.js';
import type { Fault } from '../fault.js';
import { PrivateRedis } from '../services.js';

const MAIN = resolve(REPO_ROOT, 'server', 'dist', 'main.js');

/** Faults of the server side: processes killed, dependencies restarted, frozen, flushed or misconfigured. */
export const serverFaults: Fault[] = [
  {
    name: 'redis-evicting-policy',
    description: 'a node started against a Redis whose maxmemory-policy is allkeys-lru refuses to start and says why',
    mode: 'alone',
    async run(ctx) {
      const evicting = await PrivateRedis.start(['--maxmemory-policy', 'allkeys-lru']);
      try {
        const env = { ...ctx.cluster.nodeEnv(0), PORT: String(await freePort()), REDIS_URL: evicting.url };
        const { code, output } = await runNode(MAIN, [], env, 60_000);
        if (code === 0) throw new Error('the node started against an evicting Redis');
        if (!output.includes('maxmemory-policy "allkeys-lru"') || !output.includes('noeviction'))
          throw new Error(`the refusal does not say why:\n${output.slice(-800)}`);
        return { exitCode: code ?? -1 };
      } finally {
        await evicting.stop();
      }
    },
  },
  {
    name: 'api-node-sigkill',
    description: 'API node 0 is killed with SIGKILL mid-load and started again; its clients move to another node',
    async run(ctx) {
      await ctx.cluster.killNode(0);
      await ctx.hold(ctx.config.nodeDeadMs);
      await ctx.cluster.startNode(0);
      return { deadMs: ctx.config.nodeDeadMs };
    },
  },
  {
    name: 'redis-restart',
    description: 'Redis is killed and started again empty (no persistence): queues and clock jobs rebuilt',
    async run(ctx) {
      await ctx.cluster.redis.restart();
    },
  },
  {
    name: 'redis-unreachable',
    description: 'Redis is frozen (SIGSTOP: connections open, nothing answers) for a while, then thawed',
    async run(ctx) {
      ctx.cluster.redis.freeze();
      try {
        await ctx.hold(ctx.config.redisUnreachableMs);
      } finally {
        ctx.cluster.redis.thaw();
      }
      return { frozenMs: ctx.config.redisUnreachableMs };
    },
  },
  {
    name: 'postgres-restart',
    description: 'PostgreSQL is shut down immediately (crash recovery on start) and started again',
    async run(ctx) {
      await ctx.cluster.pg.down('crash');
      try {
        await ctx.hold(ctx.config.postgresDownMs);
      } finally {
        await ctx.cluster.pg.up();
      }
      return { downMs: ctx.config.postgresDownMs };
    },
  },
  {
    name: 'redis-flushall',
    description: 'FLUSHALL on Redis mid-run: pending deliveries and clock jobs are rebuilt from PostgreSQL',
    async run(ctx) {
      const redis = new Redis(ctx.cluster.redis.url, { lazyConnect: true });
      await redis.connect();
      try {
        const keys = await redis.dbsize();
        await redis.flushall();
        return { keysFlushed: keys };
      } finally {
        redis.disconnect();
      }
    },
  },
];
