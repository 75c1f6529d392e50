import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import pg from 'pg';
import { REPO_ROOT, runNode, spawnServer, spawnWorker, freePort, type TestApp } from '../support/app.js';
import type { FaultConfig } from './config.js';
import { PrivatePostgres, PrivateRedis } from './services.js';

const CLI = resolve(REPO_ROOT, 'server', 'dist', 'cli.js');
export const QUEUE_PREFIX = 'xtf';

type Worker = ReturnType<typeof spawnWorker>;

/**
 * The deployment under test: a private PostgreSQL and Redis, `apiNodes` API/socket nodes
 * (`PROCESS_ROLE=api`) and one worker process, all the compiled product as real processes.
 * Nodes keep their index (and port) across a kill and restart, so a client knows where it was.
 */
export class Cluster {
  readonly nodes: (TestApp | undefined)[] = [];
  /** how many times each node was started (1 = never restarted) */
  readonly starts: number[] = [];
  worker: Worker | undefined;
  private readonly ports: number[] = [];
  private readonly outputs: string[] = [];

  private constructor(
    readonly pg: PrivatePostgres,
    readonly redis: PrivateRedis,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  static async start(cfg: FaultConfig, log: (m: string) => void): Promise<Cluster> {
    const pgServer = await PrivatePostgres.start();
    log(`private PostgreSQL on ${pgServer.port}`);
    const redis = await PrivateRedis.start();
    log(`private Redis on ${redis.port}`);
    try {
      return await Cluster.boot(cfg, log, pgServer, redis);
    } catch (e) {
      await redis.stop();
      await pgServer.stop();
      throw e;
    }
  }

  private static async boot(
    cfg: FaultConfig,
    log: (m: string) => void,
    pgServer: PrivatePostgres,
    redis: PrivateRedis,
  ): Promise<Cluster> {
    const admin = new pg.Client({ connectionString: pgServer.url() });
    await admin.connect();
    await admin.query('create database xietong');
    await admin.end();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      DATABASE_URL: pgServer.url('xietong'),
      DATABASE_POOL_MAX: '6',
      REDIS_URL: redis.url,
      QUEUE_PREFIX,
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'false',
      SEED_ACTIVITY: 'false',
      JWT_SECRET: randomBytes(32).toString('hex'),
      // Long enough for the long profile's offline client; the load sends far beyond the default limit.
      ACCESS_TOKEN_TTL: '86400',
      CHANNEL_SEND_LIMIT: '10000',
      CHANNEL_SEND_WINDOW_SECONDS: '10',
    };
    const seeded = await runNode(CLI, ['seed'], env, 120_000);
    if (seeded.code !== 0) throw new Error(`seed failed:\n${seeded.output}`);
    log('migrated and seeded');
    const cluster = new Cluster(pgServer, redis, env);
    for (let i = 0; i < cfg.apiNodes; i++) cluster.ports.push(await freePort());
    try {
      await Promise.all(cluster.ports.map((_, i) => cluster.startNode(i)));
    } catch (e) {
      await Promise.all(cluster.nodes.map((n) => n?.close() ?? Promise.resolve()));
      throw e;
    }
    cluster.startWorker();
    log(`${cfg.apiNodes} API nodes on ${cluster.ports.join(', ')} and a worker`);
    return cluster;
  }

  nodeEnv(i: number): NodeJS.ProcessEnv {
    return { ...this.env, PORT: String(this.ports[i]), PROCESS_ROLE: 'api' };
  }

  url(i: number): string {
    return `http://127.0.0.1:${this.ports[i]}`;
  }

  get size(): number {
    return this.ports.length;
  }

  alive(i: number): boolean {
    return this.nodes[i] !== undefined;
  }

  async startNode(i: number): Promise<TestApp> {
    const app = await spawnServer(this.nodeEnv(i), [], 60_000);
    this.nodes[i] = app;
    this.starts[i] = (this.starts[i] ?? 0) + 1;
    return app;
  }

  /** SIGKILL: no shutdown hooks, sockets cut, in-flight requests lost mid-way. */
  async killNode(i: number): Promise<void> {
    const app = this.nodes[i];
    if (!app) return;
    this.nodes[i] = undefined;
    this.outputs.push(`--- node ${i} (killed) ---\n${app.output()}`);
    app.signal('SIGKILL');
    await app.close();
  }

  startWorker(): void {
    this.worker = spawnWorker({ env: this.env } as TestApp);
  }

  async stopWorker(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) {
      this.outputs.push(`--- worker ---\n${w.output()}`);
      await w.close();
    }
  }

  /** What every process printed (for a failure's report). */
  output(): string {
    const live = this.nodes.map((n, i) => (n ? `--- node ${i} ---\n${n.output()}` : ''));
    return [...this.outputs, ...live, this.worker ? `--- worker ---\n${this.worker.output()}` : ''].join('\n');
  }

  /** A query on the product's database (the harness's own connection, opened per call). */
  async query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    const c = new pg.Client({ connectionString: this.env.DATABASE_URL });
    await c.connect();
    try {
      return (await c.query<T>(sql, params)).rows;
    } finally {
      await c.end();
    }
  }

  /** Last resort when the harness itself is interrupted: every process it started, at once. */
  killAll(): void {
    for (const n of this.nodes) n?.signal('SIGKILL');
    this.redis.killNow();
    this.pg.killNow();
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n?.close() ?? Promise.resolve()));
    await this.stopWorker();
    await this.redis.stop();
    await this.pg.stop();
  }
}
