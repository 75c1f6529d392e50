import { parseArgs } from 'node:util';
import { startTopology } from './topology.js';

/**
 * `npm run topology [-- --api 2 --workers 1 --port 8080]`: the multi-node deployment as plain
 * processes on this machine, until Ctrl-C, their logs interleaved with each one's name.
 * DATABASE_URL (a migrated database, used as it is) or a fresh, seeded one made on
 * TOPOLOGY_POSTGRES_URL; REDIS_URL; by default the machine's servers on 127.0.0.1.
 */
const { values } = parseArgs({
  options: {
    api: { type: 'string', default: '2' },
    workers: { type: 'string', default: '1' },
    port: { type: 'string' },
  },
});

const topology = await startTopology({
  api: Number(values.api),
  workers: Number(values.workers),
  ...(values.port ? { port: Number(values.port) } : {}),
  ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
  ...(process.env.TOPOLOGY_POSTGRES_URL ? { postgresUrl: process.env.TOPOLOGY_POSTGRES_URL } : {}),
  ...(process.env.REDIS_URL ? { redisUrl: process.env.REDIS_URL } : {}),
  env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
  onOutput: (name, text) => {
    for (const line of text.split('\n')) if (line) process.stdout.write(`${name.padEnd(9)}| ${line}\n`);
  },
});

const db = new URL(topology.databaseUrl);
db.password = db.password ? '***' : '';
console.log(
  [
    `xietong on ${topology.url} (nginx, sticky by client address)`,
    ...topology.api.map((n) => `  ${n.name}: ${n.url} (pid ${n.pid})`),
    ...topology.workers.map((w) => `  ${w.name}: worker (pid ${w.pid})`),
    `  PostgreSQL: ${db.toString()}   Redis: ${topology.redisUrl} (keys under ${topology.queuePrefix})`,
    '  demo sign-ins: see README (password Xietong@2026). Ctrl-C stops everything; the database stays.',
  ].join('\n'),
);

const stop = (): void => {
  topology.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
