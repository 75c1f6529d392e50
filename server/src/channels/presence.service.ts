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

  constructor(config: AppConfig) {
    this.prefix = `${config.queuePrefix}:chan`;
    this.redis = config.redisUrl
      ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false })
      : undefined;
    this.redis?.on('error', (err: Error) => this.logger.warn({ err: err.message }, 'presence redis error'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => undefined);
  }
}

/** Per-user send limit (default 20 messages in 10 s): a sliding window. */
@Injectable()
export class SendLimiter {
  private readonly local = new Map<string, number[]>();

  constructor(
    private readonly store: EphemeralStore,
    private readonly config: AppConfig,
  ) {}

  /** Takes one send from the user's budget; the returned function gives it back (a resend that stored nothing). */
  async take(userId: string): Promise<() => Promise<void>> {
    const { sendLimit: limit, sendWindowMs: windowMs } = this.config.channels;
    const now = Date.now();
    let retryAfterMs = 0;
    let release = (): Promise<void> => Promise.resolve();
    const redis = this.store.redis;
    if (redis?.status === 'ready') {
      const key = `${this.store.prefix}:rate:${userId}`;
      const res = await redis
        .multi()
        .zremrangebyscore(key, 0, now - windowMs)
        .zrange(key, 0, 0, 'WITHSCORES')
        .zcard(key)
        .exec();
      const count = Number(res?.[2]?.[1] ?? 0);
      if (count >= limit) {
        const oldest = Number((res?.[1]?.[1] as string[] | undefined)?.[1] ?? now);
        retryAfterMs = oldest + windowMs - now;
      } else {
        const member = `${now}-${Math.random()}`;
        await redis.multi().zadd(key, now, member).pexpire(key, windowMs).exec();
        release = async () => void (await redis.zrem(key, member));
      }
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
      const before = summarise(Object.values(await redis.hgetall(key)) as PresenceState[]);
      if (state === 'offline') await redis.hdel(key, socketId);
      else
        await redis
          .multi()
          .hset(key, socketId, state)
          .expire(key, 24 * 3600)
          .exec();
      const after = summarise(Object.values(await redis.hgetall(key)) as PresenceState[]);
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

  async of(userIds: string[]): Promise<Record<string, PresenceState>> {
    const out: Record<string, PresenceState> = {};
    const redis = this.store.redis;
    for (const id of userIds) {
      out[id] =
        redis?.status === 'ready'
          ? summarise(Object.values(await redis.hgetall(`${this.store.prefix}:presence:${id}`)) as PresenceState[])
          : summarise([...(this.local.get(id)?.values() ?? [])]);
    }
    return out;
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
