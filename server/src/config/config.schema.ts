import { z } from 'zod';

/**
 * Every environment variable the product reads, validated once at boot.
 * The README's configuration table and infra/.env.example list the same keys.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(0).max(65535);
const seconds = z.coerce.number().int().positive();

export const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'expected a postgres:// or postgresql:// URL' }).optional(),
  EMBEDDED_PG_DIR: z.string().min(1).optional().describe('data directory of the embedded PostgreSQL'),
  EMBEDDED_PG_PORT: port.default(0),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'expected a redis:// or rediss:// URL' }).optional(),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,40}$/, 'lowercase letters, digits and _, starting with a letter')
    .default('xietong'),
  PROCESS_ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  NODE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ and -, at most 64')
    .optional()
    .describe('names this process in /api/health and its logs (default: the host name)'),
  QUEUE_LOCK_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  TRUST_PROXY: z
    .string()
    .regex(/^[\w.:/, ]+$/, "Express 'trust proxy' names or CIDRs, comma-separated (e.g. loopback,uniquelocal)")
    .default('loopback'),
  JWT_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  ACCESS_TOKEN_TTL: seconds.default(900),
  REFRESH_TOKEN_TTL: seconds.default(30 * 24 * 3600),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  LOGIN_LOCK_SECONDS: seconds.default(900),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SEED_DEMO: bool.optional(),
  SEED_ACTIVITY: bool.optional(),
  STATISTICS_REFRESH_SECONDS: z.coerce.number().int().min(30).max(86_400).default(300),
  CORS_ORIGINS: z.string().default('http://localhost:3000,http://127.0.0.1:3000'),
  CLIENT_DIST: z.string().optional(),
  MIGRATE_ON_START: bool.default(false),
  OUTBOX_RELAY_START_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(0),
  FAULT_KILL_AFTER_COMMIT: bool.default(false),
  ATTACHMENTS_DIR: z.string().min(1).optional(),
  ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .default(20 * 1024 * 1024),
  DATABASE_POOL_MAX: z.coerce.number().int().min(2).max(200).default(10),
  WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(2000),
  SOCKET_STREAM_MAX_LEN: z.coerce.number().int().min(10).max(10_000_000).default(10_000),
  CLOCK_TIME_SCALE: z.coerce.number().min(1).max(10_000_000).default(1),
  AUDIT_HASH: z.enum(['sha256', 'sm3'], { error: "'sha256' or 'sm3' (GB/T 32905)" }).default('sha256'),
  // The law asks for at least 180 days (网络安全法 第二十一条); an operator may only raise it.
  RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(180, 'at least 180 (audit entries and messages are kept at least 180 days)')
    .max(36_500)
    .default(180),
  DISCLOSURE_WORKING_DAYS: z.coerce.number().int().min(1).max(60).default(7),
  LOGIN_ADDRESS_MAX_FAILURES: z.coerce.number().int().min(1).max(10_000).default(30),
  LOGIN_ADDRESS_WINDOW_SECONDS: seconds.default(900),
  CHANNEL_SEND_LIMIT: z.coerce.number().int().min(1).max(10_000).default(20),
  CHANNEL_SEND_WINDOW_SECONDS: seconds.max(3600).default(10),
  CHANNEL_ACK_REMIND_SECONDS: seconds.max(7 * 24 * 3600).default(3600),
  PRESENCE_NODE_BEAT_SECONDS: seconds.max(300).default(10),
  SOCKET_EVENT_RATE: z.coerce.number().min(0.1).max(10_000).default(20),
  SOCKET_EVENT_BURST: z.coerce.number().int().min(1).max(100_000).default(40),
  SOCKET_FLOOD_DISCONNECT_SECONDS: seconds.max(3600).default(10),
  SOCKET_PING_INTERVAL_SECONDS: seconds.max(300).default(20),
  SOCKET_PING_TIMEOUT_SECONDS: seconds.max(300).default(20),
  SOCKET_HANDSHAKE_TIMEOUT_SECONDS: seconds.max(300).default(10),
  SOCKET_MAX_PER_USER: z.coerce.number().int().min(1).max(10_000).default(20),
});
export type Env = z.output<typeof EnvSchema>;
