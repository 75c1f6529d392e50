import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../support/app.js';

/**
 * The fault suite's own PostgreSQL and Redis, on free ports, in a scratch directory: restarting,
 * freezing or flushing them harms nobody else on the machine.
 */

const PG_BIN = process.env.FAULT_PG_BIN ?? '/usr/lib/postgresql/15/bin';

function waitForPort(port: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((ok, fail) => {
    const attempt = (): void => {
      const s = createConnection(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        ok();
      });
      s.once('error', () => {
        if (Date.now() > deadline) fail(new Error(`nothing listens on ${port} after ${ms} ms`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

function exitOf(child: ChildProcess): Promise<void> {
  return new Promise((ok) => {
    if (child.exitCode !== null || child.signalCode !== null) return ok();
    child.once('exit', () => ok());
  });
}

/** The uid/gid of the unprivileged `postgres` user (PostgreSQL refuses to run as root). */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(spawnSync('id', ['-u', 'postgres']).stdout.toString().trim());
  const gid = Number(spawnSync('id', ['-g', 'postgres']).stdout.toString().trim());
  if (!uid) throw new Error('running as root needs a "postgres" user to run the private PostgreSQL');
  return { uid, gid };
}

export class PrivatePostgres {
  private child: ChildProcess | undefined;
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly owner: { uid: number; gid: number } | undefined,
  ) {}

  /** initdb into a scratch directory, then start on a free port. */
  static async start(): Promise<PrivatePostgres> {
    const root = mkdtempSync(join(tmpdir(), 'xt-faults-pg-'));
    chmodSync(root, 0o755);
    const dir = join(root, 'data');
    const owner = postgresUser();
    mkdirSync(dir, { recursive: true });
    if (owner) chownSync(dir, owner.uid, owner.gid);
    const init = spawnSync(
      join(PG_BIN, 'initdb'),
      ['-D', dir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8'],
      { ...(owner ?? {}), encoding: 'utf8' },
    );
    if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
    const server = new PrivatePostgres(dir, await freePort(), owner);
    await server.up();
    return server;
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the postmaster (again) on the same port and data. */
  async up(): Promise<void> {
    this.child = spawn(
      join(PG_BIN, 'postgres'),
      [
        '-D',
        this.dir,
        '-p',
        String(this.port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=${this.dir}`,
        '-c',
        'max_connections=200',
        '-c',
        'fsync=off',
      ],
      { ...(this.owner ?? {}), stdio: 'ignore' },
    );
    await waitForPort(this.port, 20_000);
    // Listening is not accepting yet (startup recovery): wait for a real query.
    for (let i = 0; ; i++) {
      const c = new pg.Client({ connectionString: this.url() });
      try {
        await c.connect();
        await c.query('select 1');
        await c.end();
        return;
      } catch (e) {
        await c.end().catch(() => undefined);
        if (i > 200) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  /**
   * `fast` (SIGINT: sessions cut off, clean shutdown) or `crash` (SIGQUIT: immediate shutdown, no
   * checkpoint, crash recovery on the next start: what a killed database looks like to clients).
   */
  async down(how: 'fast' | 'crash' = 'fast'): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill(how === 'fast' ? 'SIGINT' : 'SIGQUIT');
    await exitOf(child);
    this.child = undefined;
  }

  /** Synchronous, for an exit handler: immediate shutdown of the postmaster (it takes its backends). */
  killNow(): void {
    this.child?.kill('SIGQUIT');
  }

  async restart(how: 'fast' | 'crash' = 'fast'): Promise<void> {
    await this.down(how);
    await this.up();
  }

  async stop(): Promise<void> {
    await this.down('fast');
    rmSync(join(this.dir, '..'), { recursive: true, force: true });
  }
}

export class PrivateRedis {
  private child: ChildProcess | undefined;
  private constructor(
    readonly port: number,
    private readonly args: string[],
  ) {}

  static async start(extraArgs: string[] = []): Promise<PrivateRedis> {
    const server = new PrivateRedis(await freePort(), extraArgs);
    await server.up();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async up(): Promise<void> {
    this.child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--maxmemory-policy',
        'noeviction',
        ...this.args,
      ],
      { stdio: 'ignore' },
    );
    await waitForPort(this.port, 10_000);
  }

  /** Gone, with everything it held (no persistence): what a crashed Redis comes back as. */
  async down(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill('SIGKILL');
    await exitOf(child);
    this.child = undefined;
  }

  killNow(): void {
    this.child?.kill('SIGCONT');
    this.child?.kill('SIGKILL');
  }

  async restart(): Promise<void> {
    await this.down();
    await this.up();
  }

  /** Frozen: connections stay open and nothing answers (a network partition, not a refusal). */
  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    this.thaw();
    await this.down();
  }
}
