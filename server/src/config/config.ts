import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvSchema, type Env } from './config.schema.js';

/** The repository root, found from this file (server/src|dist/config → repo root). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface AppConfig {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  databaseUrl: string | undefined;
  embeddedPg: { dir: string; port: number };
  redisUrl: string | undefined;
  queuePrefix: string;
  processRole: Env['PROCESS_ROLE'];
  /** this process's name among the nodes of a deployment (health, logs) */
  nodeId: string;
  /**
   * BullMQ's job lock and stalled-job check interval: a worker that dies mid-job has its job
   * taken over by another worker about this long (up to twice) after its last lock renewal.
   */
  queueLockMs: number;
  /** proxies whose X-Forwarded-For names the client (sign-in limits and the audit trail use it) */
  trustProxy: string[];
  jwtSecret: string;
  accessTokenTtl: number;
  refreshTokenTtl: number;
  loginMaxFailures: number;
  loginLockSeconds: number;
  logLevel: Env['LOG_LEVEL'];
  seedDemo: boolean;
  /** generate a year of demo activity in the background on a fresh start (development only by default) */
  seedActivity: boolean;
  /** how often the statistics rollups are rebuilt (a province's take about a minute) */
  statisticsRefreshSeconds: number;
  corsOrigins: string[];
  clientDist: string;
  migrateOnStart: boolean;
  /** how long a starting process waits before relaying the outbox (operators stagger restarts; tests observe) */
  outboxRelayStartDelayMs: number;
  /** fault injection for the fault suite: die with SIGKILL right after a referral commits, before it is enqueued */
  faultKillAfterCommit: boolean;
  /** legal clocks' delays are divided by this (1 in real use; demos and tests run days in seconds) */
  clockTimeScale: number;
  attachments: { dir: string; maxBytes: number };
  webhooks: { attempts: number; retryBaseMs: number };
  databasePoolMax: number;
  /** entries the cross-node Socket.IO stream keeps in Redis before trimming */
  socketStreamMaxLen: number;
  audit: { hash: Env['AUDIT_HASH']; retentionDays: number };
  /** 行政执法公示: working days after the decision within which it must be published */
  disclosureWorkingDays: number;
  /** wrong passwords from one address (any accounts) within the window before it is refused */
  loginAddress: { maxFailures: number; windowSeconds: number };
  /** channel messages a user may send per window, and how often unacknowledged recipients are reminded */
  channels: { sendLimit: number; sendWindowMs: number; ackRemindMs: number; presenceBeatMs: number };
  /** flood and half-open protection of the socket layer */
  sockets: SocketLimits;
}

export interface SocketLimits {
  /** per-socket token bucket: events per second, and at once after a quiet spell */
  eventRate: number;
  eventBurst: number;
  /** a socket over its limit this long without a pause is disconnected */
  floodDisconnectMs: number;
  /** a connection that stops answering pings is closed after interval + timeout */
  pingIntervalMs: number;
  pingTimeoutMs: number;
  /** a TCP connection must send its request headers, and a socket its namespace connect, within this */
  handshakeTimeoutMs: number;
  /** sockets one user may hold on one node; the oldest go first */
  maxPerUser: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; expected: string }[]) {
    super(
      'Invalid configuration:\n' +
        problems.map((p) => `  - ${p.variable}: ${p.expected}`).join('\n') +
        '\nSee the configuration table in README.md or infra/.env.example.',
    );
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment once and returns typed config, or throws a ConfigError naming
 * every bad variable. Empty strings count as unset so `FOO=` in an .env file means "default".
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ variable: i.path.map(String).join('.'), expected: i.message })),
    );
  }
  const e = parsed.data;
  const problems: { variable: string; expected: string }[] = [];
  if (e.NODE_ENV === 'production') {
    if (e.CLOCK_TIME_SCALE !== 1)
      problems.push({ variable: 'CLOCK_TIME_SCALE', expected: '1 in production (legal deadlines run in real time)' });
    if (e.FAULT_KILL_AFTER_COMMIT)
      problems.push({ variable: 'FAULT_KILL_AFTER_COMMIT', expected: 'never set in production' });
    if (!e.JWT_SECRET) problems.push({ variable: 'JWT_SECRET', expected: 'required in production (32+ characters)' });
    if (!e.DATABASE_URL)
      problems.push({
        variable: 'DATABASE_URL',
        expected: 'required in production (the embedded database is for trying it out)',
      });
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const embeddedDir = resolve(e.EMBEDDED_PG_DIR ?? resolve(REPO_ROOT, '.data', 'postgres'));
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    embeddedPg: { dir: embeddedDir, port: e.EMBEDDED_PG_PORT },
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    processRole: e.PROCESS_ROLE,
    nodeId: e.NODE_ID ?? hostname(),
    queueLockMs: e.QUEUE_LOCK_MS,
    trustProxy: e.TRUST_PROXY.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    jwtSecret: e.JWT_SECRET ?? localDevSecret(dirname(embeddedDir)),
    accessTokenTtl: e.ACCESS_TOKEN_TTL,
    refreshTokenTtl: e.REFRESH_TOKEN_TTL,
    loginMaxFailures: e.LOGIN_MAX_FAILURES,
    loginLockSeconds: e.LOGIN_LOCK_SECONDS,
    logLevel: e.LOG_LEVEL,
    seedDemo: e.SEED_DEMO ?? e.NODE_ENV !== 'production',
    statisticsRefreshSeconds: e.STATISTICS_REFRESH_SECONDS,
    seedActivity:
      e.NODE_ENV !== 'production' && (e.SEED_ACTIVITY ?? ((e.SEED_DEMO ?? true) && e.NODE_ENV === 'development')),
    corsOrigins: e.CORS_ORIGINS.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    clientDist: resolve(e.CLIENT_DIST ?? resolve(REPO_ROOT, 'client', 'dist')),
    migrateOnStart: e.MIGRATE_ON_START,
    outboxRelayStartDelayMs: e.OUTBOX_RELAY_START_DELAY_MS,
    faultKillAfterCommit: e.FAULT_KILL_AFTER_COMMIT,
    clockTimeScale: e.CLOCK_TIME_SCALE,
    databasePoolMax: e.DATABASE_POOL_MAX,
    socketStreamMaxLen: e.SOCKET_STREAM_MAX_LEN,
    audit: { hash: e.AUDIT_HASH, retentionDays: e.RETENTION_DAYS },
    disclosureWorkingDays: e.DISCLOSURE_WORKING_DAYS,
    loginAddress: { maxFailures: e.LOGIN_ADDRESS_MAX_FAILURES, windowSeconds: e.LOGIN_ADDRESS_WINDOW_SECONDS },
    channels: {
      sendLimit: e.CHANNEL_SEND_LIMIT,
      sendWindowMs: e.CHANNEL_SEND_WINDOW_SECONDS * 1000,
      ackRemindMs: e.CHANNEL_ACK_REMIND_SECONDS * 1000,
      presenceBeatMs: e.PRESENCE_NODE_BEAT_SECONDS * 1000,
    },
    sockets: {
      eventRate: e.SOCKET_EVENT_RATE,
      eventBurst: e.SOCKET_EVENT_BURST,
      floodDisconnectMs: e.SOCKET_FLOOD_DISCONNECT_SECONDS * 1000,
      pingIntervalMs: e.SOCKET_PING_INTERVAL_SECONDS * 1000,
      pingTimeoutMs: e.SOCKET_PING_TIMEOUT_SECONDS * 1000,
      handshakeTimeoutMs: e.SOCKET_HANDSHAKE_TIMEOUT_SECONDS * 1000,
      maxPerUser: e.SOCKET_MAX_PER_USER,
    },
    webhooks: { attempts: e.WEBHOOK_ATTEMPTS, retryBaseMs: e.WEBHOOK_RETRY_BASE_MS },
    attachments: {
      dir: resolve(e.ATTACHMENTS_DIR ?? resolve(dirname(embeddedDir), 'attachments')),
      maxBytes: e.ATTACHMENT_MAX_BYTES,
    },
  };
}

/**
 * Outside production a signing secret is made once and kept beside the local data, so tokens
 * survive a restart without anyone having to configure one.
 */
function localDevSecret(dataDir: string): string {
  const file = resolve(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('hex');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
