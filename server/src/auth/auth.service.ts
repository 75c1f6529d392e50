import { Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { EntityManager } from '@mikro-orm/postgresql';
import { hash, verify } from '@node-rs/argon2';
import type { Me, Role, TokenPair } from '@xietong/shared';
import { AppConfig } from '../config/app-config.provider.js';
import { MicroBatch } from '../database/micro-batch.js';
import { TooManyAttempts, Unauthenticated } from '../common/errors.js';
import type { Actor } from '../common/policy/actor.js';
import { RealtimeBus } from '../realtime/realtime.bus.js';
import { User } from '../users/user.entity.js';
import { toMe } from '../users/user.views.js';
import { AuthSession, RefreshToken } from './session.entity.js';
import { hashToken, newRefreshToken, type AccessClaims } from './tokens.js';

const BAD_CREDENTIALS = '用户名或密码错误 (wrong username or password)';

export interface ClientMeta {
  address?: string | undefined;
  userAgent?: string | undefined;
}

interface SessionRow {
  user_id: string;
  username: string;
  agency_id: string;
  roles: Role[];
  session_id: string;
}

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  /** Verified against when the user does not exist, so both cases cost the same time. */
  private readonly decoyHash = hash('decoy-password-for-timing');

  /** Live sessions with their users, looked up for many requests in one statement. */
  private readonly sessions = new MicroBatch<{ sessionId: string; userId: string }, SessionRow | undefined>(
    (keys) => this.liveSessions(keys),
    { max: 200, alone: false },
  );

  constructor(
    private readonly em: EntityManager,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly realtime: RealtimeBus,
  ) {}

  async login(username: string, password: string, meta: ClientMeta): Promise<TokenPair> {
    const em = this.em.fork();
    const user = await em.findOne(User, { username: username.toLowerCase() }, { populate: ['passwordHash', 'agency'] });
    if (!user) {
      await verify(await this.decoyHash, password).catch(() => false);
      throw new Unauthenticated(BAD_CREDENTIALS);
    }
    const now = Date.now();
    if (user.lockedUntil && user.lockedUntil.getTime() > now) {
      throw new TooManyAttempts(
        '账号已临时锁定，请稍后再试 (account locked after repeated wrong passwords)',
        (user.lockedUntil.getTime() - now) / 1000,
      );
    }
    const ok = await verify(user.passwordHash, password).catch(() => false);
    if (!ok) {
      const failures = await this.recordFailure(em, user.id);
      if (failures >= this.config.loginMaxFailures) {
        const lockSeconds = this.config.loginLockSeconds;
        await em.nativeUpdate(
          User,
          { id: user.id },
          { lockedUntil: new Date(now + lockSeconds * 1000), failedLogins: 0 },
        );
        this.logger.warn({ userId: user.id, failures }, 'account locked');
        throw new TooManyAttempts(
          '密码连续错误，账号已锁定 15 分钟 (account locked after repeated wrong passwords)',
          lockSeconds,
        );
      }
      throw new Unauthenticated(BAD_CREDENTIALS);
    }
    if (!user.active) throw new Unauthenticated(BAD_CREDENTIALS);
    await em.nativeUpdate(User, { id: user.id }, { failedLogins: 0, lockedUntil: null });

    const session = em.create(AuthSession, {
      user,
      expiresAt: new Date(now + this.config.refreshTokenTtl * 1000),
      clientAddress: meta.address?.slice(0, 64) ?? null,
      userAgent: meta.userAgent?.slice(0, 256) ?? null,
    });
    const refreshToken = newRefreshToken();
    em.create(RefreshToken, { session, tokenHash: hashToken(refreshToken) });
    await em.flush();
    return this.tokenPair(session.id, refreshToken, toMe(user));
  }

  /** Rotates a refresh token. A token used twice means it leaked: the whole session is revoked. */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const em = this.em.fork();
    const token = await em.findOne(
      RefreshToken,
      { tokenHash: hashToken(refreshToken) },
      { populate: ['session', 'session.user', 'session.user.agency'] },
    );
    if (!token) throw new Unauthenticated('refresh token not recognised');
    const session = token.session.unwrap();
    if (token.usedAt) {
      await this.revokeSession(session.id, 'refresh_token_reuse');
      this.logger.warn({ sessionId: session.id }, 'refresh token reuse detected; session revoked');
      throw new Unauthenticated('refresh token already used; the session has been revoked for safety');
    }
    if (session.revokedAt || session.expiresAt.getTime() <= Date.now()) throw new Unauthenticated('session ended');
    const user = session.user.unwrap();
    if (!user.active) throw new Unauthenticated('account disabled');

    // Mark used atomically: of two concurrent refreshes with one token, exactly one wins.
    const claimed = await em.nativeUpdate(RefreshToken, { id: token.id, usedAt: null }, { usedAt: new Date() });
    if (claimed === 0) {
      await this.revokeSession(session.id, 'refresh_token_reuse');
      throw new Unauthenticated('refresh token already used; the session has been revoked for safety');
    }
    const next = newRefreshToken();
    em.create(RefreshToken, { session: em.getReference(AuthSession, session.id), tokenHash: hashToken(next) });
    await em.flush();
    return this.tokenPair(session.id, next, toMe(user));
  }

  async logout(actor: Actor): Promise<void> {
    await this.revokeSession(actor.sessionId, 'logout');
  }

  /** Revokes a session: its access tokens stop at once and its sockets are disconnected. */
  async revokeSession(sessionId: string, reason: string): Promise<void> {
    await this.em
      .fork()
      .nativeUpdate(AuthSession, { id: sessionId, revokedAt: null }, { revokedAt: new Date(), revokedReason: reason });
    this.realtime.endSession(sessionId, reason);
  }

  /** Revokes every open session of a user (disabled, roles changed, moved agency). */
  async revokeUserSessions(userId: string, reason: string): Promise<void> {
    const em = this.em.fork();
    const open = await em.find(AuthSession, { user: userId, revokedAt: null }, { fields: ['id'] });
    for (const s of open) await this.revokeSession(s.id, reason);
  }

  /** Verifies an access token and that its session is still alive; returns the caller. */
  async authenticate(token: string | undefined, typ: AccessClaims['typ'] = 'access'): Promise<Actor> {
    if (!token) throw new Unauthenticated();
    let claims: AccessClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessClaims>(token, { algorithms: ['HS256'] });
    } catch {
      throw new Unauthenticated('access token invalid or expired');
    }
    if (claims.typ !== typ) throw new Unauthenticated('wrong kind of token');
    // Every request and socket asks this: one plain statement rather than an entity load, shared
    // by the requests arriving at the same moment.
    const row = await this.sessions.add({ sessionId: claims.sid, userId: claims.sub });
    if (!row) throw new Unauthenticated('session revoked or expired');
    return {
      userId: row.user_id,
      username: row.username,
      agencyId: row.agency_id,
      roles: row.roles,
      sessionId: row.session_id,
    };
  }

  /** The live session of each key with its active user (undefined where revoked, expired or mismatched). */
  private async liveSessions(keys: { sessionId: string; userId: string }[]): Promise<(SessionRow | undefined)[]> {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    const ids = [...new Set(keys.map((k) => k.sessionId).filter((id) => uuid.test(id)))];
    if (ids.length === 0) return keys.map(() => undefined);
    const rows = await this.em.getConnection().execute<SessionRow[]>(
      `select u.id user_id, u.username, u.agency_id, u.roles, s.id session_id
         from auth_session s join app_user u on u.id = s.user_id
        where s.id = any(?::uuid[]) and s.revoked_at is null and s.expires_at > now() and u.active`,
      [`{${ids.join(',')}}`],
    );
    const bySession = new Map(rows.map((r) => [r.session_id, r]));
    return keys.map((k) => {
      const row = bySession.get(k.sessionId.toLowerCase());
      return row && row.user_id === k.userId.toLowerCase() ? row : undefined;
    });
  }

  /** A short-lived token for pages a browser navigates to (the queue dashboard), sent as a cookie. */
  async dashboardToken(actor: Actor, ttlSeconds: number): Promise<string> {
    const claims: AccessClaims = { sub: actor.userId, sid: actor.sessionId, typ: 'dashboard' };
    return this.jwt.signAsync(claims, { expiresIn: ttlSeconds });
  }

  async me(actor: Actor): Promise<Me> {
    const user = await this.em.fork().findOneOrFail(User, { id: actor.userId }, { populate: ['agency'] });
    return toMe(user);
  }

  static hashPassword(password: string): Promise<string> {
    return hash(password);
  }

  private async recordFailure(em: EntityManager, userId: string): Promise<number> {
    const rows = await em.execute<{ failed_logins: number }[]>(
      'update app_user set failed_logins = failed_logins + 1 where id = ? returning failed_logins',
      [userId],
    );
    return rows[0]?.failed_logins ?? 0;
  }

  private async tokenPair(sessionId: string, refreshToken: string, user: Me): Promise<TokenPair> {
    const claims: AccessClaims = { sub: user.id, sid: sessionId, typ: 'access' };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.config.accessTokenTtl });
    return { accessToken, refreshToken, accessTokenExpiresIn: this.config.accessTokenTtl, user };
  }
}
