import { defineEntity, p } from '@mikro-orm/core';
import { uuidPrimaryKey } from '../database/columns.js';
import { User } from '../users/user.entity.js';

/**
 * A sign-in session, the family of refresh tokens issued from one login. Access tokens carry
 * its id, so revoking it stops them at once (checked on every request and socket).
 */
export const AuthSessionSchema = defineEntity({
  name: 'AuthSession',
  tableName: 'auth_session',
  properties: {
    id: uuidPrimaryKey(),
    user: () => p.manyToOne(User).ref().index(),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
    revokedReason: p.string().length(64).nullable(),
    clientAddress: p.string().length(64).nullable(),
    userAgent: p.string().length(256).nullable(),
  },
});
export class AuthSession extends AuthSessionSchema.class {}
AuthSessionSchema.setClass(AuthSession);

/** One refresh token of a session; only its SHA-256 is stored. Used once, then rotated. */
export const RefreshTokenSchema = defineEntity({
  name: 'RefreshToken',
  tableName: 'refresh_token',
  properties: {
    id: uuidPrimaryKey(),
    session: () => p.manyToOne(AuthSession).ref().index(),
    tokenHash: p.string().length(64).unique(),
    createdAt: p.datetime().onCreate(() => new Date()),
    usedAt: p.datetime().nullable(),
  },
});
export class RefreshToken extends RefreshTokenSchema.class {}
RefreshTokenSchema.setClass(RefreshToken);
