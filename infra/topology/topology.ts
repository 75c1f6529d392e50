import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';

/**
 * The product as several processes on one machine, as docker-compose.yml runs it with Docker:
 * API/socket nodes (PROCESS_ROLE=api) behind nginx with sticky sessions, separate worker
 * processes, one PostgreSQL and one Redis given by URL. `npm run topology` starts it for a
 * person; the multi-node tests start it with `startTopology` and kill and restart its parts.
 */

/** The repository root, above this file in its source (infra/topology) and compiled (…/dist) forms. */
export const REPO_ROOT = ((): string => {
  for (let dir = import.meta.dirname; dir !== dirname(dir); dir = dirname(dir))
    if (existsSync(join(dir, 'server', 'package.json'))) return dir;
  throw new Error(`no repository root above ${import.meta.dirname}`);
})();
const MAIN = resolve(REPO_ROOT, 'server', 'dist', 'main.js');
const WORKER = resolve(REPO_ROOT, 'server', 'dist', 'worker.js');
const CLI = resolve(REPO_ROOT, 'server', 'dist', 'cli.js');
/** The shipped nginx config, rendered with this machine's ports (so the tests run that very file). */
export const NGINX_CONF = resolve(REPO_ROOT, 'infra', 'nginx.multi-node.conf');
/** the tail of a process's output kept for failure messages (a long-running session must not grow) */
const OUTPUT_KEPT = 1 << 20;

export interface TopologyOptions {
  /** API/socket nodes behind nginx (2) */
  api?: number;
  /** worker processes (1) */
  workers?: number;
  /** a migrated database to use as it is; without it a fresh one is made on `postgresUrl`, migrated and seeded */
  databaseUrl?: string;
  /** where a fresh database is made (default: the machine's PostgreSQL, user postgres) */
  postgresUrl?: string;
  /** default: the machine's Redis; it must run with maxmemory-policy noeviction */
  redisUrl?: string;
  /** keys of this deployment in Redis (default: one of its own, so nothing else is touched) */
  queuePrefix?: string;
  /** nginx's port (default or 0: a free one) */
  port?: number;
  /** more environment for every process (LOG_LEVEL, QUEUE_LOCK_MS, …) */
  env?: Record<string, string>;
  /** how long a process may take to be ready */
  readyTimeoutMs?: number;
  /** each process's output as it comes (a person's terminal); it is kept for `output()` either way */
  onOutput?: (name: string, text: string) => void;
}

export interface NodeProcess {
  /** NODE_ID: what /api/health answers as `node`, what PostgreSQL shows as application_name */
  readonly name: string;
  readonly role: 'api' | 'worker';
  /** the node itself, bypassing nginx (API nodes only) */
  readonly url: string | undefined;
  readonly running: boolean;
  readonly pid: number | undefined;
  /** what the process printed since it was last started */
  output(): string;
  signal(signal: NodeJS.Signals): void;
  /** SIGKILL: no shutdown hooks, no goodbye to Redis or PostgreSQL; resolves once it is gone */
  kill(): Promise<void>;
  /** SIGTERM: a graceful stop (10 s at most, then SIGKILL) */
  stop(): Promise<void>;
  /** (re)starts it with the same environment and port; resolves once it is ready */
  start(): Promise<void>;
}

export interface Topology {
  /** nginx: where clients connect */
  url: string;
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  /** the environment every process shares */
  env: Record<string, string>;
  api: NodeProcess[];
  workers: NodeProcess[];
  nginx: NodeProcess;
  /** stops every process (nginx first), removes nginx's temporary directory */
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => ok(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

export async function startTopology(opts: TopologyOptions = {}): Promise<Topology> {
  const apiCount = opts.api ?? 2;
  const workerCount = opts.workers ?? 1;
  if (apiCount < 1 || workerCount < 0) throw new Error('at least one API node');
  const readyMs = opts.readyTimeoutMs ?? 60_000;
  const redisUrl = opts.redisUrl ?? 'redis://127.0.0.1:6379';
  const queuePrefix = opts.queuePrefix ?? `topo_${randomBytes(4).toString('hex')}`;
  const databaseUrl = opts.databaseUrl ?? (await freshSeededDatabase(opts.postgresUrl));
  const port = opts.port || (await freePort()); // 0 too: nginx cannot pick one itself
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: queuePrefix,
    // Every node verifies every other node's tokens: one secret for the deployment.
    JWT_SECRET: randomBytes(32).toString('hex'),
    HOST: '127.0.0.1',
    CORS_ORIGINS: `${url},http://localhost:${port}`,
    SEED_DEMO: 'false',
    ...opts.env,
  };

  const api: Supervised[] = [];
  for (let i = 1; i <= apiCount; i++) {
    const nodePort = await freePort();
    const nodeEnv = { ...env, PROCESS_ROLE: 'api', PORT: String(nodePort) };
    api.push(new Supervised(`api-${i}`, 'api', MAIN, nodeEnv, readyMs, opts.onOutput));
  }
  const workers: Supervised[] = [];
  for (let i = 1; i <= workerCount; i++)
    workers.push(new Supervised(`worker-${i}`, 'worker', WORKER, env, readyMs, opts.onOutput));

  const dir = mkdtempSync(join(tmpdir(), 'xietong-nginx-'));
  const nginx = new Nginx(
    dir,
    port,
    api.map((n) => n.port),
    readyMs,
  );
  const stop = async () => {
    await nginx.stop();
    await Promise.all([...api, ...workers].map((p) => p.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all([...api, ...workers].map((p) => p.start()));
    await nginx.start();
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, databaseUrl, redisUrl, queuePrefix, env, api, workers, nginx, stop };
}

/** One child process: its output kept (and passed on), signals, a bounded graceful stop. */
abstract class Child implements NodeProcess {
  abstract readonly name: string;
  abstract readonly role: 'api' | 'worker';
  abstract readonly url: string | undefined;
  protected child: ChildProcess | undefined;
  protected out = '';
  private exited: Promise<void> = Promise.resolve();

  constructor(
    private readonly stopSignal: NodeJS.Signals,
    private readonly onOutput?: (name: string, text: string) => void,
  ) {}

  abstract start(): Promise<void>;

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  output(): string {
    return this.out;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child?.kill(signal);
  }

  async kill(): Promise<void> {
    this.signal('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.signal(this.stopSignal);
    const timer = setTimeout(() => this.signal('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }

  protected spawn(command: string, args: string[], opts: SpawnOptions): ChildProcess {
    this.out = '';
    const child = spawn(command, args, opts);
    this.child = child;
    const keep = (d: Buffer): void => {
      const text = d.toString();
      this.out = (this.out + text).slice(-OUTPUT_KEPT);
      this.onOutput?.(this.name, text);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('error', (e) => (this.out += `${e.message}\n`));
    this.exited = new Promise((ok) => child.once('exit', () => ok()));
    return child;
  }
}

/** A product process: started with its own NODE_ID (and PostgreSQL application_name), restartable. */
class Supervised extends Child {
  readonly port: number | undefined;
  readonly url: string | undefined;

  constructor(
    readonly name: string,
    readonly role: 'api' | 'worker',
    private readonly script: string,
    private readonly env: Record<string, string>,
    private readonly readyMs: number,
    onOutput?: (name: string, text: string) => void,
  ) {
    super('SIGTERM', onOutput);
    this.port = env.PORT && role === 'api' ? Number(env.PORT) : undefined;
    this.url = this.port ? `http://127.0.0.1:${this.port}` : undefined;
  }

  start(): Promise<void> {
    if (this.running) return Promise.resolve();
    // The IPC channel carries the process's "ready" (server/src/lifecycle.ts), node and worker alike.
    const child = this.spawn(process.execPath, [this.script], {
      env: { PATH: process.env.PATH ?? '', ...this.env, NODE_ID: this.name, PGAPPNAME: `xietong-${this.name}` },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    return new Promise<void>((ok, fail) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        fail(new Error(`${this.name} not ready within ${this.readyMs} ms:\n${this.out}`));
      }, this.readyMs);
      child.once('message', () => {
        clearTimeout(timer);
        ok();
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        fail(new Error(`${this.name} exited (${signal ?? code}) before it was ready:\n${this.out}`));
      });
    });
  }
}

/**
 * Debian's nginx run unprivileged-style: its own prefix, config, pid and logs in a temporary
 * directory, in the foreground, on the given port; the shipped config's upstream rendered with
 * the nodes' ports.
 */
class Nginx extends Child {
  readonly name = 'nginx';
  readonly role = 'api' as const;
  readonly url: string;

  constructor(
    private readonly dir: string,
    port: number,
    nodePorts: (number | undefined)[],
    private readonly readyMs: number,
  ) {
    super('SIGQUIT'); // nginx's graceful shutdown
    this.url = `http://127.0.0.1:${port}`;
    writeFileSync(join(dir, 'xietong.conf'), renderNginxConf(readFileSync(NGINX_CONF, 'utf8'), port, nodePorts));
    const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'];
    for (const t of temps) mkdirSync(join(dir, t));
    writeFileSync(
      join(dir, 'nginx.conf'),
      [
        // As root the workers would switch to `nobody`, who cannot write this private directory.
        process.getuid?.() === 0 ? 'user root;' : '',
        'worker_processes 1;',
        `pid ${join(dir, 'nginx.pid')};`,
        `error_log ${join(dir, 'error.log')} warn;`,
        'events { worker_connections 1024; }',
        'http {',
        `  access_log ${join(dir, 'access.log')};`,
        ...temps.map((t) => `  ${t}_temp_path ${join(dir, t)};`),
        `  include ${join(dir, 'xietong.conf')};`,
        '}',
        '',
      ].join('\n'),
    );
  }

  override output(): string {
    const log = join(this.dir, 'error.log');
    return this.out + (existsSync(log) ? readFileSync(log, 'utf8') : '');
  }

  async start(): Promise<void> {
    if (this.running) return;
    const conf = join(this.dir, 'nginx.conf');
    const args = ['-p', this.dir, '-e', join(this.dir, 'error.log'), '-c', conf, '-g', 'daemon off;'];
    this.spawn(nginxBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const deadline = Date.now() + this.readyMs;
    for (;;) {
      if (!this.running) throw new Error(`nginx exited before serving:\n${this.output()}`);
      try {
        if ((await fetch(`${this.url}/api/health`)).status === 200) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`nginx not serving within ${this.readyMs} ms:\n${this.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** NGINX=/path, else nginx on PATH, else Debian's /usr/sbin/nginx (not on a normal user's PATH). */
function nginxBinary(): string {
  if (process.env.NGINX) return process.env.NGINX;
  const onPath = (process.env.PATH ?? '').split(':').find((d) => d && existsSync(join(d, 'nginx')));
  if (onPath) return join(onPath, 'nginx');
  if (existsSync('/usr/sbin/nginx')) return '/usr/sbin/nginx';
  throw new Error('nginx not found: apt-get install nginx (or set NGINX=/path/to/nginx)');
}

/**
 * The shipped config with its upstream servers and listen port replaced (their parameters
 * kept); fails loudly if the file no longer has the lines this relies on.
 */
export function renderNginxConf(conf: string, port: number, nodePorts: (number | undefined)[]): string {
  const upstream = /(upstream xietong_api \{[^}]*?)((?:\n[ \t]*server [^;\n]+;)+)/.exec(conf);
  const listen = /\n([ \t]*)listen [^;\n]+;/.exec(conf);
  if (!upstream?.[1] || !upstream[2] || !listen) throw new Error(`${NGINX_CONF}: no upstream servers or listen line`);
  const params = /server \S+((?: [^;\n]+)?);/.exec(upstream[2])?.[1] ?? '';
  const indent = /\n([ \t]*)server/.exec(upstream[2])?.[1] ?? '  ';
  const servers = nodePorts.map((p) => `\n${indent}server 127.0.0.1:${p}${params};`).join('');
  return conf
    .replace(upstream[0], upstream[1] + servers)
    .replace(listen[0], `\n${listen[1] ?? ''}listen 127.0.0.1:${port};`);
}

/** A new database on the given PostgreSQL, migrated and seeded with the demo county by the product's CLI. */
async function freshSeededDatabase(postgresUrl = 'postgres://postgres@127.0.0.1:5432/postgres'): Promise<string> {
  const name = `xietong_topology_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const u = new URL(postgresUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  // Migrations and the seed are their own steps, as in production; the nodes then start together.
  for (const step of ['migrate', 'seed']) await run(CLI, [step], { NODE_ENV: 'development', DATABASE_URL: url });
  return url;
}

function run(script: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [script, ...args], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => (code === 0 ? ok() : fail(new Error(`${args.join(' ')} failed (${code}):\n${out}`))));
  });
}
