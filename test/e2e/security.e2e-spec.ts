import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Role, SocketEvent, type MatterView, type ReferralView, type UserSummary } from '@xietong/shared';
import { bootApp, connectSocket, DEMO_PASSWORD, nextEvent, type TestApp } from '../support/app.js';
import { query } from '../support/database.js';
import { delegatedItemCode } from '../support/fixtures.js';

let app: TestApp;
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
  // info: every request is logged, so the redaction test has something to read.
  app = await bootApp({ env: { LOG_LEVEL: 'info' } });
});
afterAll(async () => {
  await app?.close();
});

/** One demo user per role (and a second case officer in an agency on none of the matters). */
const PEOPLE: { user: string; role: Role; agency: string }[] = [
  { user: 'zfj.liaison', role: Role.LiaisonOfficer, agency: 'ZFJ' },
  { user: 'zfj.officer', role: Role.CaseOfficer, agency: 'ZFJ' },
  { user: 'gaj.officer', role: Role.CaseOfficer, agency: 'GAJ' },
  { user: 'zfj.head', role: Role.AgencyHead, agency: 'ZFJ' },
  { user: 'zfj.legal', role: Role.LegalReviewer, agency: 'ZFJ' },
  { user: 'zfj.discipline', role: Role.DisciplineContact, agency: 'ZFJ' },
  { user: 'lz.staff', role: Role.TownshipStaff, agency: 'XZ-LZ' },
  { user: 'jcy.prosecutor', role: Role.Prosecutor, agency: 'JCY' },
  { user: 'fy.clerk', role: Role.CourtClerk, agency: 'FY' },
  { user: 'zdb.arbiter', role: Role.GuidanceArbiter, agency: 'ZDB' },
  { user: 'zfj.admin', role: Role.AgencyAdmin, agency: 'ZFJ' },
  { user: 'sysadmin', role: Role.SystemAdmin, agency: 'ZFJ' },
  { user: 'auditor', role: Role.Auditor, agency: 'ZFJ' },
];

type Relation = 'own' | 'other party' | 'unrelated';
interface Fixture {
  label: string;
  origin: string;
  parties: string[];
  flagged: boolean;
  matter?: MatterView;
  referral?: ReferralView;
}
/**
 * The matters of the matrix: opened by the bureau and referred to 龙洲街道; opened by 龙洲街道 and
 * referred to the bureau; two of 湖镇镇's own, one flagged for the procuratorate.
 */
const FIXTURES: Fixture[] = [
  { label: 'ZFJ→XZ-LZ', origin: 'ZFJ', parties: ['ZFJ', 'XZ-LZ'], flagged: false },
  { label: 'XZ-LZ→ZFJ', origin: 'XZ-LZ', parties: ['XZ-LZ', 'ZFJ'], flagged: false },
  { label: 'XZ-HZ flagged', origin: 'XZ-HZ', parties: ['XZ-HZ'], flagged: true },
  { label: 'XZ-HZ', origin: 'XZ-HZ', parties: ['XZ-HZ'], flagged: false },
];
const OPENER: Record<string, string> = { ZFJ: 'zfj.officer', 'XZ-LZ': 'lz.staff', 'XZ-HZ': 'hz.staff' };

const relation = (agency: string, f: Fixture): Relation =>
  f.origin === agency ? 'own' : f.parties.includes(agency) ? 'other party' : 'unrelated';

/** The expected answer, written from the rules in words, not read from the policy table. */
const mayReadMatter = (p: (typeof PEOPLE)[number], f: Fixture): boolean =>
  relation(p.agency, f) !== 'unrelated' ||
  p.role === Role.SystemAdmin ||
  p.role === Role.Auditor ||
  (p.role === Role.Prosecutor && f.flagged);

beforeAll(async () => {
  const agencies = (await app.http.get<{ id: string; code: string }[]>('/api/agencies', await token('sysadmin'))).body;
  const id = (code: string) => agencies.find((a) => a.code === code)?.id ?? '';
  const itemCode = await delegatedItemCode(app.http, await token('zfj.officer'));
  for (const f of FIXTURES) {
    const opener = await token(OPENER[f.origin] ?? '');
    const m = await app.http.post<MatterView>(
      '/api/matters',
      {
        itemCode,
        township: f.origin === 'XZ-HZ' ? 'XZ-HZ' : 'XZ-LZ',
        place: '矩阵测试地点',
        party: { kind: 'company', name: '龙游县测试有限公司' },
        procedure: 'general',
        flags: { majorDifficult: f.flagged },
        summary: '授权矩阵测试案件。',
      },
      opener,
    );
    expect(m.status).toBe(201);
    f.matter = m.body;
    const to = f.parties.find((p) => p !== f.origin);
    if (to) {
      const r = await app.http.post<ReferralView>(
        '/api/referrals',
        {
          matterId: m.body.id,
          kind: 'jurisdiction_transfer',
          toAgencyId: id(to),
          overrideReason: '授权矩阵测试指定接收单位',
        },
        opener,
      );
      expect(r.status).toBe(201);
      expect(r.body.state).toBe('delivered');
      f.referral = r.body;
    }
  }
});

const allowed = (status: number) => status !== 401 && status !== 403 && status !== 404;

describe('authorization matrix: role × object endpoint × own / other party / unrelated', () => {
  const OBJECT_ENDPOINTS: { name: string; call: (f: Fixture, t: string) => Promise<number> | null }[] = [
    { name: 'GET matter', call: (f, t) => app.http.get(`/api/matters/${f.matter?.id}`, t).then((r) => r.status) },
    {
      name: 'GET timeline',
      call: (f, t) => app.http.get(`/api/matters/${f.matter?.id}/timeline`, t).then((r) => r.status),
    },
    {
      name: 'GET referral',
      call: (f, t) => (f.referral ? app.http.get(`/api/referrals/${f.referral.id}`, t).then((r) => r.status) : null),
    },
    {
      name: 'GET attachments',
      call: (f, t) => app.http.get(`/api/matters/${f.matter?.id}/attachments`, t).then((r) => r.status),
    },
    {
      name: 'POST interference record from the matter',
      call: (f, t) =>
        app.http
          .post(
            '/api/interference-records',
            {
              matterId: f.matter?.id,
              personName: '某某',
              personPosition: '某单位负责人',
              occurredAt: '2026-11-30T10:00:00+08:00',
              method: 'in_person',
              content: '矩阵测试',
            },
            t,
          )
          .then((r) => r.status),
    },
  ];

  for (const p of PEOPLE) {
    it(`${p.role} (${p.user})`, async () => {
      const t = await token(p.user);
      const unexpected: string[] = [];
      for (const f of FIXTURES) {
        for (const e of OBJECT_ENDPOINTS) {
          const status = await e.call(f, t);
          if (status === null) continue;
          expect(status).toBeLessThan(500);
          const expected = mayReadMatter(p, f);
          if (allowed(status) !== expected)
            unexpected.push(
              `${e.name} on ${f.label} (${relation(p.agency, f)}): ${status}, expected ${expected ? 'allow' : 'deny'}`,
            );
        }
      }
      expect(unexpected).toEqual([]);
    });
  }

  it('acting on a referral: no agency off it gets past authorization, oversight roles included', async () => {
    const f = FIXTURES[0] as Fixture;
    const unexpected: string[] = [];
    for (const p of PEOPLE) {
      for (const action of ['conclude', 'close', 'accept']) {
        // All illegal in 'delivered' or for most roles: the sides get 409 or 403, never a change.
        const res = await app.http.post(
          `/api/referrals/${f.referral?.id}/actions/${action}`,
          { outcome: 'other', outcomeText: '矩阵测试' },
          await token(p.user),
        );
        expect(res.status).toBeLessThan(500);
        const side = relation(p.agency, f) !== 'unrelated';
        if (!side && allowed(res.status)) unexpected.push(`${p.user} ${action}: ${res.status}`);
        if (side && res.status === 404) unexpected.push(`${p.user} ${action}: 404 for a side`);
      }
    }
    expect(unexpected).toEqual([]);
    const after = await app.http.get<ReferralView>(`/api/referrals/${f.referral?.id}`, await token('zfj.officer'));
    expect(after.body.state).toBe('delivered');
  });

  /** Role-level endpoints: who may attempt them at all (an invalid body then answers 400, not 403). */
  const ROLE_ENDPOINTS: { method: string; path: string; body?: unknown; roles: Role[] | 'all' }[] = [
    { method: 'GET', path: '/api/audit/verify', roles: [Role.Auditor] },
    { method: 'GET', path: '/api/audit/entries?limit=1', roles: [Role.Auditor] },
    { method: 'GET', path: '/api/audit/export?from=2026-12-01&to=2026-12-01&format=csv', roles: [Role.Auditor] },
    { method: 'GET', path: '/api/interference-records', roles: [Role.DisciplineContact, Role.Auditor] },
    {
      method: 'GET',
      path: '/api/interference-records/reports/quarterly?year=2026&quarter=4',
      roles: [Role.DisciplineContact, Role.Auditor],
    },
    {
      method: 'GET',
      path: '/api/disclosures',
      roles: [Role.LegalReviewer, Role.AgencyHead, Role.AgencyAdmin, Role.SystemAdmin, Role.Auditor],
    },
    {
      method: 'POST',
      path: '/api/matters',
      body: {},
      roles: [Role.CaseOfficer, Role.LiaisonOfficer, Role.TownshipStaff, Role.AgencyHead],
    },
    {
      method: 'POST',
      path: '/api/referrals',
      body: {},
      roles: [Role.CaseOfficer, Role.LiaisonOfficer, Role.TownshipStaff, Role.AgencyHead],
    },
    {
      method: 'POST',
      path: '/api/catalogue/items/NONE/versions',
      body: {},
      roles: [Role.GuidanceArbiter, Role.SystemAdmin],
    },
    { method: 'PUT', path: '/api/calendar/years', body: {}, roles: [Role.SystemAdmin, Role.GuidanceArbiter] },
    { method: 'POST', path: '/api/webhooks', body: {}, roles: [Role.AgencyAdmin, Role.SystemAdmin] },
    { method: 'POST', path: '/api/auth/dashboard-session', roles: [Role.SystemAdmin] },
    { method: 'GET', path: '/api/agencies', roles: 'all' },
    { method: 'GET', path: '/api/catalogue/items?limit=1', roles: 'all' },
    { method: 'GET', path: '/api/notifications', roles: 'all' },
  ];

  it.each(ROLE_ENDPOINTS)('$method $path', async (e) => {
    const unexpected: string[] = [];
    for (const p of PEOPLE) {
      const res = await app.http.request(e.method, e.path, {
        token: await token(p.user),
        ...(e.body ? { body: e.body } : {}),
      });
      expect(res.status).toBeLessThan(500);
      const expected = e.roles === 'all' || e.roles.includes(p.role);
      const got = res.status !== 401 && res.status !== 403;
      if (got !== expected) unexpected.push(`${p.user}: ${res.status}`);
    }
    expect(unexpected).toEqual([]);
    // And nobody without a session.
    expect((await app.http.request(e.method, e.path, e.body ? { body: e.body } : {})).status).toBe(401);
  });

  it('socket events: every signed-in role may ping, a socket without a session never connects', async () => {
    for (const p of PEOPLE) {
      const socket = await connectSocket(app.url, await token(p.user));
      const ack = await new Promise<{ ok: boolean }>((resolve) => socket.emit('session.ping', {}, resolve));
      socket.close();
      expect({ user: p.user, ok: ack.ok }).toEqual({ user: p.user, ok: true });
    }
    await expect(connectSocket(app.url)).rejects.toThrow();
    await expect(connectSocket(app.url, 'not-a-token')).rejects.toThrow();
  });
});

describe('revoked access ends open sockets', () => {
  it.each([
    ['a role change', { roles: ['liaison_officer', 'case_officer'] }],
    ['disabling the account', { active: false }],
  ])('%s disconnects the user’s sockets (within the 5 s an event may take)', async (_, change) => {
    const sys = await token('sysadmin');
    const gaj = (await app.http.get<{ id: string; code: string }[]>('/api/agencies', sys)).body.find(
      (a) => a.code === 'GAJ',
    );
    const users = await app.http.get<UserSummary[]>(`/api/agencies/${gaj?.id}/users`, sys);
    const target = users.body.find((u) => u.username === 'gaj.liaison');
    const pair = await app.http.login('gaj.liaison');
    const socket = await connectSocket(app.url, pair.accessToken);
    const revoked = nextEvent<{ reason: string }>(socket, SocketEvent.SessionRevoked, 5_000);
    const gone = new Promise<string>((ok) => socket.once('disconnect', (reason) => ok(reason)));
    expect((await app.http.patch(`/api/users/${target?.id}`, change, sys)).status).toBe(200);
    expect(await revoked).toEqual({ reason: 'access_changed' });
    expect(await gone).toBe('io server disconnect');
    // The old token no longer opens a socket or a request.
    await expect(connectSocket(app.url, pair.accessToken)).rejects.toThrow();
    expect((await app.http.get('/api/me', pair.accessToken)).status).toBe(401);
    if ('active' in change) await app.http.patch(`/api/users/${target?.id}`, { active: true }, sys);
  });
});

describe('fuzzed bodies: malformed values never cause a 5xx or a partial write', () => {
  const TABLES = ['matter', 'referral', 'interference_record', 'app_user', 'disclosure', 'webhook_subscription'];
  const counts = async (): Promise<Record<string, string | undefined>> =>
    Object.fromEntries(
      await Promise.all(
        TABLES.map(async (t): Promise<[string, string | undefined]> => [
          t,
          (await query<{ n: string }>(app.databaseUrl, `select count(*) n from ${t}`))[0]?.n,
        ]),
      ),
    );
  const ENDPOINTS: { user: string; method: string; path: () => string; name: string }[] = [
    { name: 'matters', user: 'zfj.officer', method: 'POST', path: () => '/api/matters' },
    { name: 'referrals', user: 'zfj.officer', method: 'POST', path: () => '/api/referrals' },
    {
      name: 'referral return',
      user: 'lz.staff',
      method: 'POST',
      path: () => `/api/referrals/${FIXTURES[0]?.referral?.id}/actions/return`,
    },
    { name: 'interference', user: 'zfj.officer', method: 'POST', path: () => '/api/interference-records' },
    {
      name: 'disclosure withdraw',
      user: 'zfj.head',
      method: 'POST',
      path: () => '/api/disclosures/00000000-0000-4000-8000-000000000000/withdraw',
    },
    { name: 'webhooks', user: 'zfj.admin', method: 'POST', path: () => '/api/webhooks' },
    { name: 'calendar years', user: 'sysadmin', method: 'PUT', path: () => '/api/calendar/years' },
    {
      name: 'user update',
      user: 'zfj.admin',
      method: 'PATCH',
      path: () => '/api/users/00000000-0000-4000-8000-000000000000',
    },
  ];
  const INJECTION = [
    "' or 1=1 --",
    "'; drop table matter; --",
    '"); delete from referral; --',
    '\u0000',
    '𠀀'.repeat(3),
  ];
  const hostile = fc.oneof(
    fc.anything({ maxDepth: 3 }),
    fc.constantFrom(...INJECTION),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.integer(),
    fc.double(),
  );
  const body = fc.oneof(
    hostile,
    fc.dictionary(
      fc.constantFrom(
        'itemCode',
        'township',
        'place',
        'party',
        'matterId',
        'kind',
        'reasonCode',
        'reasonText',
        'personName',
        'occurredAt',
        'method',
        'content',
        'reason',
        'url',
        'year',
        'roles',
        'active',
        'summary',
      ),
      hostile,
    ),
  );

  it.each(ENDPOINTS)('$method $name', async (e) => {
    const t = await token(e.user);
    const before = await counts();
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const raw = JSON.stringify(b) ?? 'null';
        const res = await app.http.request(e.method, e.path(), { token: t, raw });
        expect(res.status).toBeLessThan(500);
        expect(res.status).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: 40 },
    );
    expect(await counts()).toEqual(before);
  });

  it('SQL in search and filters changes nothing and finds nothing', async () => {
    const before = await counts();
    for (const s of INJECTION.slice(0, 3)) {
      for (const path of [
        `/api/catalogue/items?q=${encodeURIComponent(s)}`,
        `/api/public/disclosures?q=${encodeURIComponent(s)}`,
        `/api/referrals/inbox?township=${encodeURIComponent(s)}`,
        `/api/audit/entries?objectId=${encodeURIComponent(s)}`,
      ]) {
        const res = await app.http.get<{ total?: number; items?: unknown[] } | unknown[]>(path, await token('auditor'));
        expect({ path, status: res.status < 500 }).toEqual({ path, status: true });
      }
    }
    expect(await counts()).toEqual(before);
    expect(
      (await app.http.get<{ total: number }>(`/api/public/disclosures?q=${encodeURIComponent("' or 1=1 --")}`)).body
        .total,
    ).toBe(0);
  });
});

describe('HTTP hardening', () => {
  it('sends security headers (helmet) and hides the framework', async () => {
    for (const path of ['/api/health', '/api/public/disclosures', '/api/public/disclosures/page']) {
      const res = await app.http.get(path);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('allows browser origins from the allowlist only', async () => {
    const good = await app.http.request('OPTIONS', '/api/me', {
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'GET' },
    });
    expect(good.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    const bad = await app.http.request('OPTIONS', '/api/me', {
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(bad.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('limits failed sign-ins per address across accounts, on top of the per-account lock', async () => {
    const from = (address: string, username: string, password: string) =>
      app.http.request('POST', '/api/auth/login', {
        body: { username, password },
        headers: { 'x-forwarded-for': address },
      });
    // 30 wrong passwords from one address, each for a different (unknown) account: no account locks.
    for (let i = 0; i < 30; i++) expect((await from('203.0.113.7', `nobody${i}`, 'guess-password')).status).toBe(401);
    const blocked = await from('203.0.113.7', 'zfj.officer', DEMO_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await from('198.51.100.9', 'zfj.officer', DEMO_PASSWORD)).status).toBe(200);
  });

  it('never writes passwords or tokens to the log', async () => {
    const secretPassword = 'Leak-Check-Password-42';
    await app.http.post('/api/auth/login', { username: 'zfj.liaison', password: secretPassword });
    const pair = await app.http.login('zfj.liaison');
    await app.http.get('/api/me', pair.accessToken);
    await app.http.post('/api/auth/refresh', { refreshToken: pair.refreshToken });
    const log = app.output();
    expect(log).toContain('/api/me');
    expect(log).toContain('[redacted]');
    for (const secret of [secretPassword, DEMO_PASSWORD, pair.accessToken, pair.refreshToken]) {
      expect(log).not.toContain(secret);
    }
  });
});
