import { createHash, randomBytes } from 'node:crypto';

/** Opaque refresh tokens: random, shown once, stored only as their SHA-256. */
export const newRefreshToken = (): string => randomBytes(32).toString('base64url');
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Claims of an access token: the user and the session it belongs to. */
export interface AccessClaims {
  sub: string;
  sid: string;
  typ: 'access' | 'dashboard';
}
