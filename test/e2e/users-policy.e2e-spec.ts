import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AgencySummary, UserSummary } from '@xietong/shared';
import { bootApp, DEMO_PASSWORD, type TestApp } from '../support/app.js';

let app: TestApp;
let agencies: Map<string, AgencySummary>;
const tokens = new Map<string, string>();

const token = async (username: string): Promise<string> => {
  let t = tokens.get(username);
  if (!t) {
    t = (await app.http.login(username)).accessToken;
    tokens.set(username, t);
  }
  return t;
};

beforeAll(async () => {
  app = await bootApp();
  const list = await app.http.get<AgencySummary[]>('/api/agencies', await token('zfj.liaison'));
  agencies = new Map(list.body.map((a) => [a.code, a]));
});
afterAll(async () => {
  await app?.close();
});

/**
 * The authorization matrix for users, written independently of the policy table: one
 * representative of every role, against the users of their own agency and of another.
 * own = their agency; other = 龙洲街道 (XZ-LZ) for bureau staff, the bureau (ZFJ) for the others.
 */
type Cell = 'allow' | 'deny';
const MATRIX: { user: string; own: string; other: string; list: [Cell, Cell]; create: [Cell, Cell] }[] = [
  { user: 'sysadmin', own: 'ZFJ', other: 'XZ-LZ', list: ['allow', 'allow'], create: ['allow', 'allow'] },
  { user: 'auditor', own: 'ZFJ', other: 'XZ-LZ', list: ['allow', 'allow'], create: ['deny', 'deny'] },
  { user: 'zfj.admin', own: 'ZFJ', other: 'XZ-LZ', list: ['allow', 'deny'], create: ['allow', 'deny'] },
  { user: 'lz.admin', own: 'XZ-LZ', other: 'ZFJ', list: ['allow', 'deny'], create: ['allow', 'deny'] },
  { user: 'zfj.head', own: 'ZFJ', other: 'XZ-LZ', list: ['deny', 'deny'], create: ['deny', 'deny'] },
  { user: 'zfj.liaison', own: 'ZFJ', other: 'XZ-LZ', list: ['deny', 'deny'], create: ['deny', 'deny'] },
  { user: 'zfj.officer', own: 'ZFJ', other: 'XZ-LZ', list: ['deny', 'deny'], create: ['deny', 'deny'] },
  { user: 'zfj.legal', own: 'ZFJ', other: 'XZ-LZ', list: ['deny', 'deny'], create: ['deny', 'deny'] },
  { user: 'zfj.discipline', own: 'ZFJ', other: 'XZ-LZ', list: ['deny', 'deny'], create: ['deny', 'deny'] },
  { user: 'lz.staff', own: 'XZ-LZ', other: 'ZFJ', list: ['deny', 'deny'], create: ['deny', 'deny'] },
  { user: 'jcy.prosecutor', own: 'JCY', other: 'ZFJ', list: ['deny', 'deny'], create: ['deny', 'deny'] },
  { user: 'fy.clerk', own: 'FY', other: 'ZFJ', list: ['deny', 'deny'], create: ['deny', 'deny'] },
  { user: 'zdb.arbiter', own: 'ZDB', other: 'ZFJ', list: ['deny', 'deny'], create: ['deny', 'deny'] },
];

const roleFor = (agencyCode: string): string => (agencyCode.startsWith('XZ-') ? 'township_staff' : 'liaison_officer');

describe('users: the authorization matrix', () => {
  let serial = 0;
  for (const row of MATRIX) {
    it(`${row.user}: list ${row.list.join('/')} · create ${row.create.join('/')} (own/other agency)`, async () => {
      const t = await token(row.user);
      const targets = [row.own, row.other] as const;
      for (const [i, code] of targets.entries()) {
        const agency = agencies.get(code);
        if (!agency) throw new Error(`no agency ${code}`);
        const list = await app.http.get<UserSummary[]>(`/api/agencies/${agency.id}/users`, t);
        expect({ cell: `${row.user} list ${code}`, status: list.status }).toEqual({
          cell: `${row.user} list ${code}`,
          status: row.list[i] === 'allow' ? 200 : 403,
        });
        if (list.status === 200) expect(list.body.every((u) => u.agencyId === agency.id)).toBe(true);

        const username = `m${Date.now().toString(36)}${serial++}`;
        const created = await app.http.post<UserSummary>(
          `/api/agencies/${agency.id}/users`,
          { username, displayName: '测试用户', password: 'a-long-password', roles: [roleFor(code)] },
          t,
        );
        expect({ cell: `${row.user} create in ${code}`, status: created.status }).toEqual({
          cell: `${row.user} create in ${code}`,
          status: row.create[i] === 'allow' ? 201 : 403,
        });
        if (created.status === 201) {
          expect(created.body).toMatchObject({ username, agencyId: agency.id, roles: [roleFor(code)], active: true });
          await app.http.login(username, 'a-long-password');
        }
      }
    });
  }
});

describe('users: what an agency admin may not do', () => {
  it('cannot change a user of another agency', async () => {
    const zfj = await app.http.get<UserSummary[]>(
      `/api/agencies/${agencies.get('ZFJ')?.id}/users`,
      await token('sysadmin'),
    );
    const target = zfj.body.find((u) => u.username === 'zfj.liaison');
    const res = await app.http.patch(`/api/users/${target?.id}`, { displayName: '改名' }, await token('lz.admin'));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
  });

  it('cannot grant system-wide roles, even in its own agency', async () => {
    const res = await app.http.post(
      `/api/agencies/${agencies.get('XZ-LZ')?.id}/users`,
      { username: 'lz.sneaky', displayName: '越权', password: 'a-long-password', roles: ['system_admin'] },
      await token('lz.admin'),
    );
    expect(res.status).toBe(403);
  });

  it('gets 400 naming the field for a role that does not fit the agency', async () => {
    const res = await app.http.post(
      `/api/agencies/${agencies.get('XZ-LZ')?.id}/users`,
      { username: 'lz.prosecutor', displayName: '错配', password: 'a-long-password', roles: ['prosecutor'] },
      await token('lz.admin'),
    );
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'roles', message: expect.stringContaining('prosecutor') }]);
  });

  it('gets 409 for a username that is taken, and nothing is written', async () => {
    const res = await app.http.post(
      `/api/agencies/${agencies.get('XZ-LZ')?.id}/users`,
      { username: 'lz.staff', displayName: '重名', password: 'a-long-password', roles: ['township_staff'] },
      await token('lz.admin'),
    );
    expect(res.status).toBe(409);
    const still = await app.http.login('lz.staff');
    expect(still.user.displayName).toBe('祝小芳');
  });
});

describe('users: retried creates', () => {
  it('create one user for one Idempotency-Key, however often the request is sent', async () => {
    const agencyId = agencies.get('XZ-LZ')?.id ?? '';
    const send = async () =>
      app.http.request<UserSummary>('POST', `/api/agencies/${agencyId}/users`, {
        token: await token('lz.admin'),
        body: { username: 'lz.retry', displayName: '重试', password: 'a-long-password', roles: ['township_staff'] },
        headers: { 'idempotency-key': 'create-lz-retry-1' },
      });
    const [a, b] = await Promise.all([send(), send()]);
    const c = await send();
    expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);
    expect(new Set([a.body.id, b.body.id, c.body.id]).size).toBe(1);
    const list = await app.http.get<UserSummary[]>(`/api/agencies/${agencyId}/users`, await token('lz.admin'));
    expect(list.body.filter((u) => u.username === 'lz.retry')).toHaveLength(1);
  });
});

describe('users: changed access takes effect at once', () => {
  it('signs a user out everywhere when their roles change, and a disabled user cannot sign in', async () => {
    const lzUsers = await app.http.get<UserSummary[]>(
      `/api/agencies/${agencies.get('XZ-LZ')?.id}/users`,
      await token('lz.admin'),
    );
    const head = lzUsers.body.find((u) => u.username === 'lz.head');
    const session = await app.http.login('lz.head');
    expect((await app.http.get('/api/me', session.accessToken)).status).toBe(200);

    const changed = await app.http.patch<UserSummary>(
      `/api/users/${head?.id}`,
      { roles: ['agency_head', 'liaison_officer'] },
      await token('lz.admin'),
    );
    expect(changed.status).toBe(200);
    expect(changed.body.roles).toEqual(['agency_head', 'liaison_officer']);
    expect((await app.http.get('/api/me', session.accessToken)).status).toBe(401);
    const again = await app.http.login('lz.head');
    expect(again.user.roles).toEqual(['agency_head', 'liaison_officer']);

    expect((await app.http.patch(`/api/users/${head?.id}`, { active: false }, await token('lz.admin'))).status).toBe(
      200,
    );
    expect((await app.http.get('/api/me', again.accessToken)).status).toBe(401);
    const refused = await app.http.post('/api/auth/login', { username: 'lz.head', password: DEMO_PASSWORD });
    expect(refused.status).toBe(401);
  });

  it('rejects an empty change naming the problem', async () => {
    const lzUsers = await app.http.get<UserSummary[]>(
      `/api/agencies/${agencies.get('XZ-LZ')?.id}/users`,
      await token('lz.admin'),
    );
    const staff = lzUsers.body.find((u) => u.username === 'lz.staff');
    const res = await app.http.patch(`/api/users/${staff?.id}`, {}, await token('lz.admin'));
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: '(body)', message: '没有要修改的字段' }]);
  });
});
