import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Agent as HttpAgent, get as httpGet } from 'node:http';
import { createServer } from 'node:net';
import { basename, resolve } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, TokenPair } from '@xietong/shared';
import { freshDatabase, uniquePrefix } from './database.js';
import { TEST_REDIS_URL } from './env.js';

export const DEMO_PASSWORD = 'Xietong@2026';
const HERE = import.meta.dirname;
/** Jest runs this from test/support; the fault suite and the benchmarks from test/dist/support. */
export const REPO_ROOT = resolve(
  HERE,
  ...(basename(resolve(HERE, '..')) === 'dist' ? ['..', '..', '..'] : ['..', '..']),
);
const MAIN = resolve(REPO_ROOT, 'server', 'dist', 'main.js');
const WORKER = resolve(REPO_ROOT, 'server', 'dist', 'worker.js');

export interface TestApp {
  url: string;
  port: number;
  databaseUrl: string;
  queuePrefix: string;
  env: NodeJS.ProcessEnv;
  http: Http;
  /** What the process printed so far (for failure messages). */
  output(): string;
  /** Sends a signal to the process (SIGSTOP/SIGCONT freeze and thaw a node). */
  signal(signal: NodeJS.Signals): void;
  close(): Promise<void>;
}

/** A port free right now (the fault suite and benchmarks run compiled, so no import from infra/). */
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

/** Environment of a test server: its own database, its own queue prefix, real Redis by default. */
export async function testEnv(
  opts: { redis?: boolean; env?: Record<string, string> } = {},
): Promise<NodeJS.ProcessEnv> {
  const db = await freshDatabase();
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'test',
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    DATABASE_URL: db.url,
    QUEUE_PREFIX: uniquePrefix('app'),
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'false',
    JWT_SECRET: randomBytes(32).toString('hex'),
    ...(opts.redis === false ? {} : { REDIS_URL: TEST_REDIS_URL }),
    ...opts.env,
  };
}

/**
 * Boots the real, compiled server as its own process (exactly what `npm start` runs), against
 * real PostgreSQL and Redis, and waits until /api/health answers.
 */
export async function bootApp(
  opts: { redis?: boolean; env?: Record<string, string>; args?: string[] } = {},
): Promise<TestApp> {
  const env = await testEnv(opts);
  return spawnServer(env, opts.args ?? []);
}

export async function spawnServer(env: NodeJS.ProcessEnv, args: string[] = [], timeoutMs = 45_000): Promise<TestApp> {
  const port = Number(env.PORT);
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [MAIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  // TEST_SERVER_LOG=1: the server's log on the test's stderr, to see what a 500 was.
  if (process.env.TEST_SERVER_LOG === '1') {
    child.stdout?.pipe(process.stderr);
    child.stderr?.pipe(process.stderr);
  }
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before serving:\n${out}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.status === 200 || res.status === 503) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not healthy within ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    url,
    port,
    databaseUrl: String(env.DATABASE_URL ?? ''),
    queuePrefix: String(env.QUEUE_PREFIX ?? ''),
    env,
    http: new Http(url),
    output: () => out,
    signal: (signal) => child.kill(signal),
    close: () => stopProcess(child, exited),
  };
}

/** Another API node of the same deployment: same database, Redis and queue prefix, its own port. */
export async function bootNode(of: TestApp, env: Record<string, string> = {}): Promise<TestApp> {
  return spawnServer({ ...of.env, PORT: String(await freePort()), ...env });
}

/** A worker-only process (`npm run worker`) of the same deployment; it serves nothing to wait for. */
export function spawnWorker(of: TestApp): { output(): string; close(): Promise<void> } {
  const child = spawn(process.execPath, [WORKER], { env: of.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  // TEST_SERVER_LOG=1: the server's log on the test's stderr, to see what a 500 was.
  if (process.env.TEST_SERVER_LOG === '1') {
    child.stdout?.pipe(process.stderr);
    child.stderr?.pipe(process.stderr);
  }
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  return { output: () => out, close: () => stopProcess(child, exited) };
}

async function stopProcess(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Runs a command of the product (main.js, cli.js) to its end; returns its exit code and output. */
export function runNode(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
): Promise<{ code: number | null; output: string }> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      ok({ code, output });
    });
  });
}

export interface HttpResult<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A small HTTP client over fetch: JSON in, JSON (or text) out, never throws on status. */
export class Http {
  constructor(readonly base: string) {}

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<HttpResult<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.raw !== undefined) {
      body = opts.raw;
      headers['content-type'] ??= 'application/json';
    } else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(this.base + path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get<T = Record<string, unknown>>(path: string, token?: string): Promise<HttpResult<T>> {
    return this.request<T>('GET', path, token ? { token } : {});
  }

  post<T = Record<string, unknown>>(path: string, body?: unknown, token?: string): Promise<HttpResult<T>> {
    return this.request<T>('POST', path, { body, ...(token ? { token } : {}) });
  }

  patch<T = Record<string, unknown>>(path: string, body: unknown, token?: string): Promise<HttpResult<T>> {
    return this.request<T>('PATCH', path, { body, ...(token ? { token } : {}) });
  }

  /** A multipart upload of one file in the `file` field. */
  async upload<T = Record<string, unknown>>(
    path: string,
    file: Buffer,
    fileName: string,
    token?: string,
  ): Promise<HttpResult<T>> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(file)]), fileName);
    const res = await fetch(this.base + path, {
      method: 'POST',
      body: form,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    const text = await res.text();
    const body =
      (res.headers.get('content-type') ?? '').includes('json') && text ? (JSON.parse(text) as T) : (text as T);
    return { status: res.status, body, headers: res.headers };
  }

  /** Raw bytes of a download. */
  async download(path: string, token?: string): Promise<{ status: number; body: Buffer; headers: Headers }> {
    const res = await fetch(this.base + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, body: Buffer.from(await res.arrayBuffer()), headers: res.headers };
  }

  async login(username: string, password = DEMO_PASSWORD): Promise<TokenPair> {
    const res = await this.post<TokenPair>('/api/auth/login', { username, password });
    if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
}

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface SocketOptions {
  /**
   * Connect from this loopback address (127.0.0.2, …): behind nginx's sticky hash of the client
   * address, one address is one client machine.
   */
  localAddress?: string;
  /** as a browser does: long-polling first, then the WebSocket upgrade (default: WebSocket only) */
  polling?: boolean;
  /** reconnect by itself, quickly, as the web app does (default: no) */
  reconnect?: boolean;
}

/** A real socket.io-client connection; resolves once connected, rejects with the handshake error. */
export function connectSocket(url: string, token?: string, opts: SocketOptions = {}): Promise<ClientSocket> {
  return new Promise((resolve, reject) => {
    const socket: ClientSocket = io(url, {
      transports: opts.polling ? ['polling', 'websocket'] : ['websocket'],
      forceNew: true,
      ...(opts.reconnect
        ? { reconnection: true, reconnectionDelay: 200, reconnectionDelayMax: 1_000 }
        : { reconnection: false }),
      ...(token !== undefined ? { auth: { token } } : {}),
      // engine.io-client passes these on in Node: `agent` to long-polling, `localAddress` to ws.
      ...(opts.localAddress
        ? {
            agent: new HttpAgent({ localAddress: opts.localAddress }) as unknown as string,
            localAddress: opts.localAddress,
          }
        : {}),
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** GET a JSON path from a given local address (what a client machine behind nginx would see). */
export function getFrom<T>(url: string, localAddress: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = httpGet(url, { localAddress, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        try {
          resolve(JSON.parse(body) as T);
        } catch (e) {
          reject(new Error(`${url} from ${localAddress}: ${res.statusCode} ${body}`, { cause: e }));
        }
      });
    });
    req.once('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`${url} from ${localAddress}: no answer in 10 s`)));
  });
}

export function nextEvent<T>(socket: ClientSocket, event: string, timeoutMs = 5_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    (socket as unknown as { once(e: string, cb: (p: T) => void): void }).once(event, (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

export interface SocketRecording {
  socket: ClientSocket;
  /** every event received so far, in order */
  events: { event: string; payload: unknown }[];
  /** the first `event` (matching `pred`) received, now or later; rejects after `timeoutMs` */
  received<T>(event: string, pred?: (payload: T) => boolean, timeoutMs?: number): Promise<T>;
}

/** Records everything a socket receives, so a test can wait for an event that may already have come. */
export function record(socket: ClientSocket): SocketRecording {
  const events: { event: string; payload: unknown }[] = [];
  const waiters = new Set<() => void>();
  socket.onAny((event: string, payload: unknown) => {
    events.push({ event, payload });
    waiters.forEach((w) => w());
  });
  return {
    socket,
    events,
    received<T>(event: string, pred: (payload: T) => boolean = () => true, timeoutMs = 15_000): Promise<T> {
      const find = () => events.find((e) => e.event === event && pred(e.payload as T))?.payload as T | undefined;
      return new Promise<T>((resolve, reject) => {
        const check = (): void => {
          const hit = find();
          if (hit === undefined) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${event} within ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => e.event))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}
