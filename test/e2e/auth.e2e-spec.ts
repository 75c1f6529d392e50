import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SEED_USERS } from '@xietong/server/database/seeds/county.data';
import { ROLES, type TokenPair } from '@xietong/shared';
import { bootApp, DEMO_PASSWORD, type TestApp } from '../support/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await bootApp();
});
afterAll(async () => {
  await app?.close();
});

describe('sign-in', () => {
  it('signs in every seeded user, and every role is held by someone', async () => {
    const seen = new Set<string>();
    for (const seed of SEED_USERS) {
      const pair = await app.http.login(seed.username);
      expect(pair.user.username).toBe(seed.username);
      expect(pair.user.roles).toEqual(seed.roles);
      expect(pair.accessTokenExpiresIn).toBe(900);
      const me = await app.http.get<{ username: string; agency: { nameZh: string } }>('/api/me', pair.accessToken);
      expect(me.status).toBe(200);
      expect(me.body.username).toBe(seed.username);
      expect(me.body.agency.nameZh).toMatch(/[\u4e00-\u9fa5]/);
      seed.roles.forEach((r) => seen.add(r));
    }
    expect([...seen].sort()).toEqual([...ROLES].sort());
  });

  it('gives an unknown user exactly the same answer as a wrong password', async () => {
    const unknown = await app.http.post('/api/auth/login', { username: 'nobody.here', password: 'whatever-1234' });
    const wrong = await app.http.post('/api/auth/login', { username: 'zfj.liaison', password: 'wrong-password' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    expect(unknown.body.message).toBe(wrong.body.message);
  });

  it('locks an account for 15 minutes after five wrong passwords, even against the right one', async () => {
    const user = 'xnh.staff';
    for (let i = 1; i <= 4; i++) {
      const r = await app.http.post('/api/auth/login', { username: user, password: `wrong-${i}` });
      expect(r.status).toBe(401);
    }
    const fifth = await app.http.post('/api/auth/login', { username: user, password: 'wrong-5' });
    expect(fifth.status).toBe(429);
    expect(Number(fifth.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    const right = await app.http.post('/api/auth/login', { username: user, password: DEMO_PASSWORD });
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    expect(right.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
  });

  it('resets the count of wrong passwords after a successful sign-in', async () => {
    const user = 'xk.staff';
    for (let i = 0; i < 4; i++) await app.http.post('/api/auth/login', { username: user, password: 'nope-nope' });
    await app.http.login(user);
    for (let i = 0; i < 4; i++) {
      expect((await app.http.post('/api/auth/login', { username: user, password: 'nope-nope' })).status).toBe(401);
    }
  });
});

describe('sessions', () => {
  it('rotates refresh tokens: each works once and yields a new pair', async () => {
    const first = await app.http.login('gaj.liaison');
    const second = await app.http.post<TokenPair>('/api/auth/refresh', { refreshToken: first.refreshToken });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    const third = await app.http.post<TokenPair>('/api/auth/refresh', { refreshToken: second.body.refreshToken });
    expect(third.status).toBe(200);
    expect((await app.http.get('/api/me', third.body.accessToken)).status).toBe(200);
  });

  it('revokes the whole family when a used refresh token comes back', async () => {
    const first = await app.http.login('jcy.prosecutor');
    const rotated = await app.http.post<TokenPair>('/api/auth/refresh', { refreshToken: first.refreshToken });
    expect(rotated.status).toBe(200);
    const replay = await app.http.post('/api/auth/refresh', { refreshToken: first.refreshToken });
    expect(replay.status).toBe(401);
    // Everything of that session is dead now: the newest refresh token and every access token.
    expect((await app.http.post('/api/auth/refresh', { refreshToken: rotated.body.refreshToken })).status).toBe(401);
    expect((await app.http.get('/api/me', rotated.body.accessToken)).status).toBe(401);
    expect((await app.http.get('/api/me', first.accessToken)).status).toBe(401);
    // Another session of the same user is untouched.
    const other = await app.http.login('jcy.prosecutor');
    expect((await app.http.get('/api/me', other.accessToken)).status).toBe(200);
  });

  it('stops an access token at once on logout', async () => {
    const pair = await app.http.login('fy.clerk');
    expect((await app.http.get('/api/me', pair.accessToken)).status).toBe(200);
    expect((await app.http.post('/api/auth/logout', undefined, pair.accessToken)).status).toBe(204);
    const after = await app.http.get('/api/me', pair.accessToken);
    expect(after.status).toBe(401);
    expect((await app.http.post('/api/auth/refresh', { refreshToken: pair.refreshToken })).status).toBe(401);
  });

  it('refuses requests without a token, with a garbled one, and with one signed by another key', async () => {
    expect((await app.http.get('/api/me')).status).toBe(401);
    expect((await app.http.get('/api/me', 'not-a-jwt')).status).toBe(401);
    const forged =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4Iiwic2lkIjoieSIsInR5cCI6ImFjY2VzcyJ9.c2lnbmF0dXJlLWJ5LWFub3RoZXIta2V5';
    const res = await app.http.get('/api/me', forged);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
  });
});
