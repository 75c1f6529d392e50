import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import type { AuditEntryView, AuditVerifyResult, MatterView } from '@xietong/shared';
import { bootApp, REPO_ROOT, runNode, type TestApp } from '../support/app.js';
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
const CLI = resolve(REPO_ROOT, 'server', 'dist', 'cli.js');
const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

beforeAll(async () => {
  // SM3 for this server: the template's seed entries are SHA-256, so the chain mixes both.
  app = await bootApp({ env: { AUDIT_HASH: 'sm3' } });
});
afterAll(async () => {
  await app?.close();
});

const entries = async (params: string): Promise<AuditEntryView[]> => {
  const res = await app.http.get<AuditEntryView[]>(`/api/audit/entries?${params}`, await token('auditor'));
  expect(res.status).toBe(200);
  return res.body;
};

async function openMatter(username = 'zfj.officer', majorDifficult = false): Promise<MatterView> {
  const res = await app.http.request<MatterView>('POST', '/api/matters', {
    token: await token(username),
    headers: { 'x-request-id': 'audit-e2e-create' },
    body: {
      itemCode: await delegatedItemCode(app.http, await token('zfj.officer')),
      township: 'XZ-LZ',
      place: '龙洲街道太平路 18 号门前',
      party: { kind: 'person', name: '李四', idNumber: '330825198502031234' },
      procedure: 'general',
      flags: { majorDifficult },
      summary: '当事人占用人行道堆放建材。',
    },
  });
  expect(res.status).toBe(201);
  return res.body;
}

describe('every state change is an audit entry', () => {
  it('records who, which agency, what, the request id and the address', async () => {
    const matter = await openMatter();
    const [created] = await entries(`objectId=${matter.id}&action=matter.create`);
    const officer = (await app.http.get<{ id: string; agencyId: string }>('/api/me', await token('zfj.officer'))).body;
    expect(created).toMatchObject({
      action: 'matter.create',
      objectType: 'Matter',
      objectId: matter.id,
      actorId: officer.id,
      actorName: 'zfj.officer',
      agencyId: officer.agencyId,
      requestId: 'audit-e2e-create',
      clientAddress: expect.stringContaining('127.0.0.1'),
      before: null,
      hashAlg: 'sm3',
      after: expect.objectContaining({ partyName: '李四', number: matter.number }),
    });
  });

  it('records a role change with the roles before and after', async () => {
    const sys = await token('sysadmin');
    const zfj = (await app.http.get<{ code: string; id: string }[]>('/api/agencies', sys)).body.find(
      (a) => a.code === 'ZFJ',
    );
    const users = await app.http.get<{ id: string; username: string }[]>(`/api/agencies/${zfj?.id}/users`, sys);
    const legal = users.body.find((u) => u.username === 'zfj.legal');
    expect(
      (await app.http.patch(`/api/users/${legal?.id}`, { roles: ['legal_reviewer', 'case_officer'] }, sys)).status,
    ).toBe(200);
    const [change] = await entries(`objectId=${legal?.id}&action=user.update`);
    expect(change).toMatchObject({
      actorName: 'sysadmin',
      before: { roles: ['legal_reviewer'] },
      after: { roles: ['legal_reviewer', 'case_officer'] },
    });
  });

  it('records sign-ins, failed ones too, without the password', async () => {
    await app.http.post('/api/auth/login', { username: 'zfj.head', password: 'not-the-password' });
    await token('zfj.head');
    const failed = await entries('action=auth.login_failed');
    expect(failed[0]).toMatchObject({ after: { username: 'zfj.head', outcome: 'bad_credentials' } });
    expect(JSON.stringify(failed)).not.toContain('not-the-password');
    const ok = await entries('action=auth.login');
    expect(ok.some((e) => e.actorName === 'zfj.head')).toBe(true);
  });

  it('records reads of a matter by anyone outside its agencies, not the parties’ own', async () => {
    // Opened by 龙洲街道, flagged: the bureau's system admin and the procuratorate are not on it.
    const matter = await openMatter('lz.staff', true);
    expect((await app.http.get(`/api/matters/${matter.id}`, await token('lz.staff'))).status).toBe(200);
    expect(await entries(`objectId=${matter.id}&action=matter.read.oversight`)).toEqual([]);
    expect((await app.http.get(`/api/matters/${matter.id}/timeline`, await token('sysadmin'))).status).toBe(200);
    expect((await app.http.get(`/api/matters/${matter.id}`, await token('jcy.prosecutor'))).status).toBe(200);
    const reads = await entries(`objectId=${matter.id}&action=matter.read.oversight`);
    expect(reads.map((e) => e.actorName).sort()).toEqual(['jcy.prosecutor', 'sysadmin']);
    expect(reads[0]).toMatchObject({ objectType: 'Matter', after: { policy: 'matter.read' } });
  });
});

describe('the trail is append-only in PostgreSQL, even for a superuser', () => {
  it('refuses UPDATE, DELETE and TRUNCATE', async () => {
    for (const sql of [
      "update audit_entry set action = 'x' where seq = 1",
      'delete from audit_entry where seq = 1',
      'truncate audit_entry',
    ]) {
      await expect(query(app.databaseUrl, sql)).rejects.toThrow(/append-only/);
    }
  });
});

describe('entries on their way into the chain', () => {
  it('cannot be changed, truncated or dropped before the chain holds them', async () => {
    await query(
      app.databaseUrl,
      `insert into audit_pending (at, action, object_type, object_id, hash_alg) values (now(), 'probe.create', 'Probe', 'p1', 'sm3')`,
    );
    for (const [sql, refusal] of [
      ["update audit_pending set action = 'x'", /append-only/],
      ['truncate audit_pending', /append-only/],
      ['delete from audit_pending', /not in the chain yet/],
    ] as const) {
      await expect(query(app.databaseUrl, sql)).rejects.toThrow(refusal);
    }
    // The chain writer takes it (readers of the trail chain what is committed first) and may then let it go.
    const [probe] = await entries('objectId=p1');
    expect(probe).toMatchObject({ action: 'probe.create', hashAlg: 'sm3' });
    expect(await query(app.databaseUrl, 'select id from audit_pending')).toEqual([]);
  });

  it('are chained in one order without gaps when many transactions commit at once', async () => {
    const before = (await app.http.get<AuditVerifyResult>('/api/audit/verify', await token('auditor'))).body.entries;
    const matters = await Promise.all(Array.from({ length: 12 }, () => openMatter()));
    const res = await app.http.get<AuditVerifyResult>('/api/audit/verify', await token('auditor'));
    expect(res.body).toMatchObject({ ok: true, firstBreak: null, pending: 0 });
    // each creation: the matter, its origin agency, its channel (and nothing lost or doubled)
    for (const m of matters) expect(await entries(`objectId=${m.id}&action=matter.create`)).toHaveLength(1);
    expect(res.body.entries).toBeGreaterThanOrEqual(before + 12 * 3);
    const moved = await query<{ n: string; distinct_pending: string }>(
      app.databaseUrl,
      'select count(*) n, count(distinct pending_id) distinct_pending from audit_entry where pending_id is not null',
    );
    expect(moved[0]?.n).toBe(moved[0]?.distinct_pending);
  });
});

describe('verification', () => {
  it('is for auditors only', async () => {
    for (const user of ['sysadmin', 'zfj.head', 'jcy.prosecutor', 'zfj.discipline']) {
      expect((await app.http.get('/api/audit/verify', await token(user))).status).toBe(403);
    }
    expect((await app.http.get('/api/audit/verify')).status).toBe(401);
  });

  it('walks an intact chain of both algorithms', async () => {
    const res = await app.http.get<AuditVerifyResult>('/api/audit/verify', await token('auditor'));
    expect(res.body).toMatchObject({ ok: true, firstBreak: null, algorithms: ['sha256', 'sm3'], retentionDays: 180 });
    expect(res.body.entries).toBeGreaterThan(100);
    const cli = await runNode(CLI, ['audit:verify'], { ...app.env, LOG_LEVEL: 'silent' });
    expect(cli.output).toContain('audit chain intact');
    expect(cli.code).toBe(0);
  });
});

describe('export', () => {
  it('gives a date range as CSV and XLSX, and the export is itself audited', async () => {
    const t = await token('auditor');
    expect(
      (await app.http.download(`/api/audit/export?from=${today}&to=${today}&format=csv`, await token('sysadmin')))
        .status,
    ).toBe(403);
    const csv = await app.http.download(`/api/audit/export?from=${today}&to=${today}&format=csv`, t);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = csv.body.toString('utf8');
    expect(text.split('\r\n')[0]).toContain('序号,时间,操作人');
    expect(text).toContain('matter.create');
    const xlsx = await app.http.download(`/api/audit/export?from=${today}&to=${today}&format=xlsx`, t);
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    expect(book.getWorksheet('审计日志')?.rowCount).toBeGreaterThan(2);
    const exports = await entries('action=audit.export');
    expect(exports.map((e) => e.after?.format)).toEqual(['xlsx', 'csv']);
    expect(exports[0]).toMatchObject({ actorName: 'auditor', after: { from: today, to: today } });
    const bad = await app.http.get(`/api/audit/export?from=${today}&to=2020-01-01`, t);
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'to' })]);
  });
});

describe('tampering', () => {
  it('is found at the altered row, by the endpoint and by npm run audit:verify', async () => {
    const [target] = await entries('action=matter.create');
    const seq = target?.seq ?? 0;
    // A superuser can switch the trigger off; the chain still tells.
    await query(
      app.databaseUrl,
      `alter table audit_entry disable trigger audit_entry_append_only;
       update audit_entry set after = jsonb_set(after, '{partyName}', '"王五"') where seq = ${seq};
       alter table audit_entry enable trigger audit_entry_append_only;`,
    );
    const res = await app.http.get<AuditVerifyResult>('/api/audit/verify', await token('auditor'));
    expect(res.body).toMatchObject({ ok: false, firstBreak: { seq, problem: 'hash_mismatch' } });
    expect(res.body.entries).toBe(seq - 1);
    const cli = await runNode(CLI, ['audit:verify'], { ...app.env, LOG_LEVEL: 'silent' });
    expect(cli.code).toBe(1);
    expect(cli.output).toContain(`BROKEN at entry ${seq}`);
  });
});
