import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { presenceOf as summarise, rateDecision, type PresenceState } from '@xietong/shared';
import { AppConfig } from '../config/app-config.provider.js';
import { TooManyAttempts } from '../common/errors.js';

/**
 * Ephemeral state of the channels capability: presence, the send rate limit and the typing
 * throttle. In Redis when it is configured (so every node agrees), in process otherwise. None of
 * it is a record: losing it loses nothing a user saved.
 */
@Injectable()
export class EphemeralStore implements OnApplicationShutdown {
  private readonly logger = new Logger(EphemeralStore.name);
  readonly redis: Redis | undefined;
  readonly prefix: string;
  /** This process, as presence entries name it: entries of a process that stopped beating are dead. */
  readonly instance = randomUUID();
  private readonly heartbeat: NodeJS.Timeout | undefined;
  private readonly beatMs: number;

  constructor(config: AppConfig) {
    this.prefix = `${config.queuePrefix}:chan`;
    this.beatMs = config.channels.presenceBeatMs;
    this.redis = config.redisUrl
      ? new Redis(config.redisUrl, {
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
          lazyConnect: false,
          // Concurrent sends' rate-limit calls in one tick share one write.
          enableAutoPipelining: true,
        })
      : undefined;
    this.redis?.on('error', (err: Error) => this.logger.warn({ err: err.message }, 'presence redis error'));
    if (this.redis) {
      // A node killed outright never reports its sockets gone; its beat lapsing says so instead.
      this.redis.on('ready', () => void this.beat());
      this.heartbeat = setInterval(() => void this.beat(), this.beatMs);
      this.heartbeat.unref();
    }
  }

  nodeKey(instance: string): string {
    return `${this.prefix}:node:${instance}`;
  }

  private async beat(): Promise<void> {
    if (this.redis?.status !== 'ready') return;
    await this.redis.set(this.nodeKey(this.instance), '1', 'PX', this.beatMs * 3).catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.redis?.del(this.nodeKey(this.instance)).catch(() => undefined);
    await this.redis?.quit().catch(() => undefined);
  }
}

/**
 * One round trip for a send's slot: drops sends older than the window, and takes a slot if
 * fewer than the limit remain (else answers the oldest one's time, for retry-after).
 */
const TAKE_SEND_SLOT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, tonumber(ARGV[1]) - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, oldest[2] or ARGV[1]}
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {1, ARGV[1]}`;

type SlotRedis = Redis & {
  takeSendSlot(key: string, now: number, windowMs: number, limit: number, member: string): Promise<[number, string]>;
};

/** Per-user send limit (default 20 messages in 10 s): a sliding window. */
@Injectable()
export class SendLimiter {
  private readonly local = new Map<string, number[]>();

  constructor(
    private readonly store: EphemeralStore,
    private readonly config: AppConfig,
  ) {
    store.redis?.defineCommand('takeSendSlot', { numberOfKeys: 1, lua: TAKE_SEND_SLOT });
  }

  /** Takes one send from the user's budget; the returned function gives it back (a resend that stored nothing). */
  async take(userId: string): Promise<() => Promise<void>> {
    const { sendLimit: limit, sendWindowMs: windowMs } = this.config.channels;
    const now = Date.now();
    let retryAfterMs = 0;
    let release = (): Promise<void> => Promise.resolve();
    const redis = this.store.redis as SlotRedis | undefined;
    if (redis?.status === 'ready') {
      const key = `${this.store.prefix}:rate:${userId}`;
      const member = `${now}-${Math.random()}`;
      const [taken, oldest] = await redis.takeSendSlot(key, now, windowMs, limit, member);
      if (taken === 1) release = async () => void (await redis.zrem(key, member));
      else retryAfterMs = Number(oldest) + windowMs - now;
    } else {
      const d = rateDecision(this.local.get(userId) ?? [], now, limit, windowMs);
      this.local.set(userId, d.kept);
      if (!d.allowed) retryAfterMs = d.retryAfterMs;
      else
        release = () => {
          const kept = this.local.get(userId) ?? [];
          const i = kept.lastIndexOf(now);
          if (i >= 0) kept.splice(i, 1);
          return Promise.resolve();
        };
    }
    if (retryAfterMs > 0) {
      const e = new TooManyAttempts(
        `发送过于频繁：每 ${windowMs / 1000} 秒最多 ${limit} 条，请 ${Math.ceil(retryAfterMs / 1000)} 秒后再试 (rate limit)`,
        retryAfterMs / 1000,
      );
      e.details = [{ field: 'retryAfterMs', message: String(Math.max(1, Math.round(retryAfterMs))) }];
      throw e;
    }
    return release;
  }
}

/**
 * Who is online. Each socket counts; a user is online while any socket is connected and not
 * away, away while all are away, offline when none is left. In Redis, one hash per user
 * (socket id → state) shared by every node.
 */
@Injectable()
export class PresenceService {
  private readonly local = new Map<string, Map<string, PresenceState>>();
  private readonly typingAt = new Map<string, number>();

  constructor(private readonly store: EphemeralStore) {}

  /** Records one socket's state and returns the user's presence before and after. */
  async set(
    userId: string,
    socketId: string,
    state: PresenceState,
  ): Promise<{ before: PresenceState; after: PresenceState }> {
    const redis = this.store.redis;
    if (redis?.status === 'ready') {
      const key = `${this.store.prefix}:presence:${userId}`;
      const before = await this.liveStates(redis, key);
      if (state === 'offline') await redis.hdel(key, socketId);
      else
        await redis
          .multi()
          .hset(key, socketId, `${state}|${this.store.instance}`)
          .expire(key, 24 * 3600)
          .exec();
      const after = await this.liveStates(redis, key);
      return { before, after };
    }
    const sockets = this.local.get(userId) ?? new Map<string, PresenceState>();
    const before = summarise([...sockets.values()]);
    if (state === 'offline') sockets.delete(socketId);
    else sockets.set(socketId, state);
    if (sockets.size === 0) this.local.delete(userId);
    else this.local.set(userId, sockets);
    return { before, after: summarise([...sockets.values()]) };
  }

  /** Presence of each user (a snapshot for a client that has just opened a channel). */
  async of(userIds: string[]): Promise<Record<string, PresenceState>> {
    const out: Record<string, PresenceState> = {};
    const redis = this.store.redis;
    for (const id of userIds) {
      out[id] =
        redis?.status === 'ready'
          ? await this.liveStates(redis, `${this.store.prefix}:presence:${id}`)
          : summarise([...(this.local.get(id)?.values() ?? [])]);
    }
    return out;
  }

  /** A user's presence from the sockets of live nodes only; entries of dead nodes are dropped. */
  private async liveStates(redis: Redis, key: string): Promise<PresenceState> {
    const entries = Object.entries(await redis.hgetall(key)).map(([socketId, value]) => {
      const [state, instance] = value.split('|') as [PresenceState, string | undefined];
      return { socketId, state, instance };
    });
    const instances = [...new Set(entries.flatMap((e) => (e.instance ? [e.instance] : [])))];
    const alive = new Set<string>([this.store.instance]);
    if (instances.length > 0) {
      const beats = await redis.mget(...instances.map((i) => this.store.nodeKey(i)));
      instances.forEach((i, n) => beats[n] !== null && alive.add(i));
    }
    const dead = entries.filter((e) => e.instance && !alive.has(e.instance));
    if (dead.length > 0) await redis.hdel(key, ...dead.map((e) => e.socketId));
    return summarise(entries.filter((e) => !dead.includes(e)).map((e) => e.state));
  }

  /** Typing indicators go out at most once per 2 s per user and channel (per node). */
  typingAllowed(userId: string, channelId: string, now = Date.now()): boolean {
    const key = `${userId}:${channelId}`;
    const last = this.typingAt.get(key) ?? 0;
    if (now - last < TYPING_THROTTLE_MS) return false;
    this.typingAt.set(key, now);
    if (this.typingAt.size > 10_000) {
      for (const [k, t] of this.typingAt) if (now - t > TYPING_THROTTLE_MS) this.typingAt.delete(k);
    }
    return true;
  }
}

export const TYPING_THROTTLE_MS = 2_000;
