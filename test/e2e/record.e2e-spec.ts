import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type {
  DisclosureView,
  InterferenceReport,
  InterferenceView,
  MatterView,
  PublicDisclosureList,
  ReferralView,
} from '@xietong/shared';
import { bootApp, type TestApp } from '../support/app.js';
import { query } from '../support/database.js';
import { delegatedItemCode, until } from '../support/fixtures.js';

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
const me = async (username: string) => (await app.http.get<{ id: string }>('/api/me', await token(username))).body;

beforeAll(async () => {
  app = await bootApp();
});
afterAll(async () => {
  await app?.close();
});

async function openMatter(): Promise<MatterView> {
  const res = await app.http.post<MatterView>(
    '/api/matters',
    {
      itemCode: await delegatedItemCode(app.http, await token('zfj.officer')),
      township: 'XZ-LZ',
      place: '龙洲街道荣昌大道 66 号',
      party: { kind: 'person', name: '陈国栋', idNumber: '330825198211053318' },
      procedure: 'general',
      summary: '当事人在人行道上违规设置遮阳棚。',
    },
    await token('zfj.officer'),
  );
  expect(res.status).toBe(201);
  return res.body;
}

describe('interference records (干预记录)', () => {
  const body = (matterId: string, personUserId?: string) => ({
    matterId,
    personName: '赵某某',
    personPosition: '某局副局长',
    personOrganisation: '县某局',
    ...(personUserId ? { personUserId } : {}),
    occurredAt: '2026-11-30T09:30:00+08:00',
    method: 'phone',
    content: '来电询问该案能否从轻处理、不予立案。',
  });

  it('is recorded by anyone on the matter, sealed at once, and read only by discipline and auditors', async () => {
    const matter = await openMatter();
    const res = await app.http.post<{ id: string; sealedAt: string }>(
      '/api/interference-records',
      body(matter.id),
      await token('zfj.officer'),
    );
    expect(res.status).toBe(201);
    const { id } = res.body;
    for (const user of ['zfj.discipline', 'auditor']) {
      const read = await app.http.get<InterferenceView>(`/api/interference-records/${id}`, await token(user));
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ personName: '赵某某', method: 'phone', matter: { id: matter.id } });
    }
    for (const user of ['zfj.officer', 'zfj.head', 'sysadmin', 'jcy.prosecutor']) {
      expect((await app.http.get(`/api/interference-records/${id}`, await token(user))).status).toBeGreaterThanOrEqual(
        403,
      );
    }
    // Sealed in the database itself.
    await expect(
      query(app.databaseUrl, `update interference_record set content = '' where id = $1`, [id]),
    ).rejects.toThrow(/append-only/);
    await expect(query(app.databaseUrl, `delete from interference_record where id = $1`, [id])).rejects.toThrow(
      /append-only/,
    );
  });

  it('is never shown to the platform user it names, even a discipline contact', async () => {
    const matter = await openMatter();
    const named = await me('zfj.discipline');
    const res = await app.http.post<{ id: string }>(
      '/api/interference-records',
      body(matter.id, named.id),
      await token('zfj.officer'),
    );
    expect(res.status).toBe(201);
    expect((await app.http.get(`/api/interference-records/${res.body.id}`, await token('zfj.discipline'))).status).toBe(
      404,
    );
    const list = await app.http.get<InterferenceView[]>('/api/interference-records', await token('zfj.discipline'));
    expect(list.body.map((r) => r.id)).not.toContain(res.body.id);
    expect((await app.http.get(`/api/interference-records/${res.body.id}`, await token('auditor'))).status).toBe(200);
  });

  it('cannot be made from a matter the recorder cannot see, and names bad fields', async () => {
    const matter = await openMatter();
    expect((await app.http.post('/api/interference-records', body(matter.id), await token('gaj.officer'))).status).toBe(
      404,
    );
    const bad = await app.http.post('/api/interference-records', { method: 'telepathy' }, await token('zfj.officer'));
    expect(bad.status).toBe(400);
    expect((bad.body.details as { field: string }[]).map((d) => d.field)).toEqual(
      expect.arrayContaining(['personName', 'personPosition', 'occurredAt', 'method', 'content']),
    );
  });

  it('is reported quarterly per agency, with a zero report where there were none', async () => {
    const report = await app.http.get<InterferenceReport>(
      '/api/interference-records/reports/quarterly?year=2026&quarter=4',
      await token('auditor'),
    );
    expect(report.status).toBe(200);
    const zfj = report.body.agencies.find((a) => a.agency.code === 'ZFJ');
    expect(zfj).toMatchObject({ count: 2, zeroReport: false, byMethod: expect.objectContaining({ phone: 2 }) });
    const court = report.body.agencies.find((a) => a.agency.code === 'FY');
    expect(court).toMatchObject({ count: 0, zeroReport: true });
    expect(report.body).toMatchObject({ from: '2026-10-01', until: '2027-01-01' });
    const own = await app.http.get<InterferenceReport>(
      '/api/interference-records/reports/quarterly?year=2026&quarter=3',
      await token('zfj.discipline'),
    );
    expect(own.body.agencies).toEqual([expect.objectContaining({ count: 0, zeroReport: true })]);
    expect(
      (
        await app.http.get(
          '/api/interference-records/reports/quarterly?year=2026&quarter=4',
          await token('zfj.officer'),
        )
      ).status,
    ).toBe(403);
  });
});

describe('public disclosure (行政执法公示)', () => {
  it('is reachable without sign-in and shows no unmasked personal data for the seeded matters', async () => {
    const res = await app.http.get<PublicDisclosureList>('/api/public/disclosures');
    expect(res.status).toBe(200);
    expect(res.body.total).toBeGreaterThanOrEqual(3);
    const text = JSON.stringify(res.body);
    for (const secret of ['张建国', '欧阳明辉', '330825197803152317', '330825199106207756', '13857001234']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('张某');
    expect(text).toContain('欧阳某');
    expect(text).toContain('138****1234');
    // A company is published by name, with its credit code.
    expect(text).toContain('龙游县湖镇鑫源建材经营部');
    const page = await app.http.get<string>('/api/public/disclosures/page');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.body).toContain('行政执法公示');
    expect(page.body).toContain('张某');
    expect(page.body).not.toContain('张建国');
  });

  it('queues a concluded penalty decision, publishes it masked, and records a withdrawal with its reason', async () => {
    const matter = await openMatter();
    const lz = await token('lz.staff');
    const created = await app.http.post<ReferralView>(
      '/api/referrals',
      { matterId: matter.id, kind: 'jurisdiction_transfer' },
      await token('zfj.officer'),
    );
    expect(created.status).toBe(201);
    const act = async (action: string, body: Record<string, unknown> = {}) => {
      const r = await app.http.post(`/api/referrals/${created.body.id}/actions/${action}`, body, lz);
      expect({ action, status: r.status }).toEqual({ action, status: 200 });
    };
    await act('sign');
    await act('accept');
    await act('start');
    await act('conclude', {
      outcome: 'penalty_decided',
      outcomeText: '龙洲综执罚决字〔2026〕第 0088 号：对陈国栋（电话 13905701234）罚款人民币 500 元。',
    });
    const head = await token('lz.head');
    let queued: DisclosureView | undefined;
    await until('the decision queues for disclosure', async () => {
      const list = await app.http.get<DisclosureView[]>('/api/disclosures?state=queued', head);
      queued = list.body.find((d) => d.matter.id === matter.id);
      return queued !== undefined;
    });
    expect(queued).toMatchObject({ state: 'queued', late: false, preview: { partyName: '陈某' } });
    expect(queued?.preview.decision).toContain('139****1234');
    expect((queued?.dueOn ?? '') > (queued?.decidedOn ?? '')).toBe(true);
    // Another agency cannot publish it.
    expect((await app.http.post(`/api/disclosures/${queued?.id}/publish`, {}, await token('zfj.head'))).status).toBe(
      404,
    );
    const published = await app.http.post<DisclosureView>(`/api/disclosures/${queued?.id}/publish`, {}, head);
    expect(published.status).toBe(200);
    const again = await app.http.post(`/api/disclosures/${queued?.id}/publish`, {}, head);
    expect(again.status).toBe(409);
    const pub = await app.http.get<PublicDisclosureList>(
      `/api/public/disclosures?q=${encodeURIComponent(matter.number)}`,
    );
    expect(pub.body.disclosures).toEqual([expect.objectContaining({ matterNumber: matter.number, partyName: '陈某' })]);
    expect(JSON.stringify(pub.body)).not.toContain('陈国栋');

    expect((await app.http.post(`/api/disclosures/${queued?.id}/withdraw`, {}, head)).status).toBe(400);
    const withdrawn = await app.http.post<DisclosureView>(
      `/api/disclosures/${queued?.id}/withdraw`,
      { reason: '处罚决定已被复议机关撤销' },
      head,
    );
    expect(withdrawn.body).toMatchObject({ state: 'withdrawn', withdrawReason: '处罚决定已被复议机关撤销' });
    const gone = await app.http.get<PublicDisclosureList>(
      `/api/public/disclosures?q=${encodeURIComponent(matter.number)}`,
    );
    expect(gone.body.disclosures).toEqual([]);
    const trail = await app.http.get<{ action: string; after: Record<string, unknown> | null }[]>(
      `/api/audit/entries?objectId=${queued?.id}`,
      await token('auditor'),
    );
    expect(trail.body.map((e) => e.after?.state)).toEqual(['withdrawn', 'published', 'queued']);
  });

  it('warns the deciding agency of a disclosure still queued after its due day, once, and lists it first', async () => {
    // Seeded: decided 2026-11-02, due 2026-11-11, never published.
    const legal = await token('zfj.legal');
    await until('the bureau is warned of the late disclosure', async () => {
      const n = await app.http.get<{ notifications: { title: string }[] }>('/api/notifications', legal);
      return n.body.notifications.some((x) => x.title === '行政执法公示逾期：协-2026-D00004（应于 2026-11-11 前公示）');
    });
    const queue = await app.http.get<DisclosureView[]>('/api/disclosures', legal);
    expect(queue.body[0]).toMatchObject({ matter: { number: '协-2026-D00004' }, state: 'queued', late: true });
    expect(
      (await app.http.get<DisclosureView[]>('/api/disclosures?late=true', legal)).body.map((d) => d.matter.number),
    ).toEqual(['协-2026-D00004']);
    const trail = await app.http.get<{ action: string }[]>(
      `/api/audit/entries?objectId=${queue.body[0]?.id}`,
      await token('auditor'),
    );
    expect(trail.body.filter((e) => e.action === 'disclosure.late')).toHaveLength(1);
    // Not on the public list while unpublished.
    const pub = await app.http.get<PublicDisclosureList>('/api/public/disclosures?q=D00004');
    expect(pub.body.total).toBe(0);
  });
});
