import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import {
  CATALOGUE_COLUMNS,
  SocketEvent,
  type AgencySummary,
  type BlindSpotReport,
  type CatalogueImportProgress,
  type ImportResult,
  type ItemDetail,
  type ItemPage,
  type ResponsibilityAnswer,
  type UserSummary,
} from '@xietong/shared';
import { bootApp, connectSocket, type ClientSocket, type TestApp } from '../support/app.js';
import { query } from '../support/database.js';
import { catalogueXlsx as xlsx, type CatalogueRow as Row } from '../support/fixtures.js';

let app: TestApp;
let arbiter: string;
let officer: string;
let agencies: Map<string, AgencySummary>;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  app = await bootApp();
  arbiter = (await app.http.login('zdb.arbiter')).accessToken;
  officer = (await app.http.login('zfj.officer')).accessToken;
  const list = await app.http.get<AgencySummary[]>('/api/agencies', officer);
  agencies = new Map(list.body.map((a) => [a.code, a]));
});
afterAll(async () => {
  if (process.env.XT_DEBUG) console.log(app.output());
  sockets.forEach((s) => s.close());
  await app?.close();
});

const id = (code: string): string => {
  const a = agencies.get(code);
  if (!a) throw new Error(`no agency ${code}`);
  return a.id;
};

/** An item of the seeded catalogue matching a condition on its current boundary. */
async function seededItem(pred: (i: ItemPage['items'][number]) => boolean): Promise<ItemPage['items'][number]> {
  const page = await app.http.get<ItemPage>('/api/catalogue/items?limit=200', officer);
  const found = page.body.items.find(pred);
  if (!found) throw new Error('no seeded item matches');
  return found;
}

describe('browsing the catalogue', () => {
  it('lists the seeded items in Chinese, each with its current boundary', async () => {
    const page = await app.http.get<ItemPage>('/api/catalogue/items?limit=200', officer);
    expect(page.status).toBe(200);
    expect(page.body.total).toBeGreaterThanOrEqual(35);
    expect(page.body.items).toHaveLength(page.body.total);
    for (const item of page.body.items) {
      expect(item.nameZh).toMatch(/[\u4e00-\u9fff]/);
      expect(item.current).not.toBeNull();
    }
    const names = page.body.items.map((i) => i.nameZh).join('|');
    for (const must of ['占用城市道路', '户外广告', '建筑垃圾', '犬']) expect(names).toContain(must);
  });

  it('finds items by Chinese name, by code, by pinyin initials and by category', async () => {
    const byName = await app.http.get<ItemPage>(`/api/catalogue/items?q=${encodeURIComponent('建筑垃圾')}`, officer);
    expect(byName.body.items.length).toBeGreaterThan(0);
    expect(byName.body.items.every((i) => i.nameZh.includes('建筑垃圾'))).toBe(true);

    const first = byName.body.items[0];
    const byCode = await app.http.get<ItemPage>(
      `/api/catalogue/items?q=${encodeURIComponent(first?.code ?? '')}`,
      officer,
    );
    expect(byCode.body.items.map((i) => i.code)).toContain(first?.code);

    const byInitials = await app.http.get<ItemPage>('/api/catalogue/items?q=zyd', officer);
    expect(byInitials.body.items.length).toBeGreaterThan(0);
    for (const i of byInitials.body.items) expect(i.pinyinInitials).toContain('zyd');
    expect(byInitials.body.items.some((i) => /占用.*道/.test(i.nameZh))).toBe(true);

    const byCategory = await app.http.get<ItemPage>(
      `/api/catalogue/items?category=${encodeURIComponent('文明养犬')}`,
      officer,
    );
    expect(byCategory.body.total).toBeGreaterThan(0);
    expect(byCategory.body.items.every((i) => i.category === '文明养犬')).toBe(true);
  });

  it('names the bad parameter of a bad search', async () => {
    const res = await app.http.get(`/api/catalogue/items?category=${encodeURIComponent('不存在')}&limit=0`, officer);
    expect(res.status).toBe(400);
    expect((res.body.details as { field: string }[]).map((d) => d.field).sort()).toEqual(['category', 'limit']);
  });

  it('shows an item’s boundary history as a timeline, oldest first, periods joined end to start', async () => {
    const item = await seededItem((i) => (i.current?.version ?? 0) >= 2);
    const detail = await app.http.get<ItemDetail>(`/api/catalogue/items/${encodeURIComponent(item.code)}`, officer);
    expect(detail.status).toBe(200);
    const v = detail.body.versions;
    expect(v.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < v.length; i++) {
      expect(v[i]?.version).toBe((v[i - 1]?.version ?? 0) + 1);
      expect(v[i - 1]?.effectiveTo).toBe(v[i]?.effectiveFrom);
    }
    expect(v[v.length - 1]?.effectiveTo).toBeNull();
    expect(detail.body.legalBasis).toMatch(/《.+》/);
  });

  it('answers 404 for an unknown item', async () => {
    const res = await app.http.get('/api/catalogue/items/NO-SUCH-ITEM', officer);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });
});

describe('who is responsible', () => {
  it('names the delegated township where the item is delegated, and the bureau elsewhere', async () => {
    const item = await seededItem(
      (i) =>
        (i.current?.delegatedTownships.some((t) => t.code === 'XZ-LZ') ?? false) &&
        i.current?.penalising?.code === 'ZFJ',
    );
    const date = item.current?.effectiveFrom ?? '';
    const lz = await app.http.get<ResponsibilityAnswer>(
      `/api/catalogue/items/${encodeURIComponent(item.code)}/responsibility?township=XZ-LZ&date=${date}`,
      officer,
    );
    expect(lz.status).toBe(200);
    expect(lz.body).toMatchObject({
      township: { code: 'XZ-LZ', nameZh: '龙洲街道' },
      penalising: { code: 'XZ-LZ' },
      rule: 'delegated_township',
      version: { id: item.current?.id },
    });
    expect(lz.body.explanation).toContain('龙洲街道');
    expect(lz.body.explanation).toContain('赋权');

    const ts = await app.http.get<ResponsibilityAnswer>(
      `/api/catalogue/items/${encodeURIComponent(item.code)}/responsibility?township=${id('XZ-TS')}&date=${date}`,
      officer,
    );
    expect(ts.body).toMatchObject({
      township: { code: 'XZ-TS' },
      penalising: { code: 'ZFJ' },
      rule: 'penalising_body',
    });
    expect(ts.body.supervising?.id).toBe(item.current?.supervising?.id);
    expect(ts.body.explanation).toContain('塔石镇未获该事项赋权');
  });

  it('has no answer before an item’s first version, and names bad parameters', async () => {
    const item = await seededItem(() => true);
    const early = await app.http.get(
      `/api/catalogue/items/${encodeURIComponent(item.code)}/responsibility?township=XZ-LZ&date=2000-01-01`,
      officer,
    );
    expect(early.status).toBe(404);
    const bad = await app.http.get(
      `/api/catalogue/items/${encodeURIComponent(item.code)}/responsibility?township=ZFJ&date=2025-02-30`,
      officer,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([{ field: 'date', message: '须为日期 YYYY-MM-DD' }]);
    const notTownship = await app.http.get(
      `/api/catalogue/items/${encodeURIComponent(item.code)}/responsibility?township=ZFJ`,
      officer,
    );
    expect(notTownship.status).toBe(400);
    expect(notTownship.body.details).toEqual([{ field: 'township', message: expect.stringContaining('ZFJ') }]);
  });

  it('changes from the day a delegation is granted, and never before it', async () => {
    const item = await seededItem(
      (i) =>
        i.current !== null &&
        i.current.penalising?.code === 'ZFJ' &&
        !i.current.delegatedTownships.some((t) => t.code === 'XZ-HS'),
    );
    const path = `/api/catalogue/items/${encodeURIComponent(item.code)}`;
    const ask = async (date: string) =>
      (await app.http.get<ResponsibilityAnswer>(`${path}/responsibility?township=XZ-HS&date=${date}`, officer)).body;
    const before = await ask('2027-02-28');
    expect(before).toMatchObject({ penalising: { code: 'ZFJ' }, rule: 'penalising_body' });

    const granted = await app.http.post<ItemDetail>(
      `${path}/delegations`,
      {
        townshipId: id('XZ-HS'),
        action: 'grant',
        effectiveFrom: '2027-03-01',
        note: '县政府第 12 号文件：向横山镇赋权',
      },
      arbiter,
    );
    expect(granted.status).toBe(201);
    const last = granted.body.versions[granted.body.versions.length - 1];
    expect(last).toMatchObject({
      effectiveFrom: '2027-03-01',
      effectiveTo: null,
      reason: 'delegation_change',
      note: '县政府第 12 号文件：向横山镇赋权',
      createdBy: { displayName: '余建明' },
    });
    expect(last?.delegatedTownships.map((t) => t.code)).toContain('XZ-HS');

    const unchanged = (r: ResponsibilityAnswer) => [
      r.version.id,
      r.supervising?.id,
      r.approving?.id,
      r.penalising?.id,
      r.rule,
    ];
    expect(unchanged(await ask('2027-02-28'))).toEqual(unchanged(before));
    const after = await ask('2027-03-01');
    expect(after).toMatchObject({
      penalising: { code: 'XZ-HS' },
      rule: 'delegated_township',
      version: { id: last?.id },
    });
    expect(after.explanation).toContain('横山镇自 2027-03-01 起获');
    // Other townships keep their answer.
    const ts = await app.http.get<ResponsibilityAnswer>(
      `${path}/responsibility?township=XZ-TS&date=2027-03-01`,
      officer,
    );
    expect(ts.body.penalising?.code).toBe('ZFJ');
  });

  it('routes a referral by the same rule', async () => {
    const item = await seededItem((i) => i.current?.delegatedTownships.some((t) => t.code === 'XZ-LZ') ?? false);
    const path = `/api/catalogue/items/${encodeURIComponent(item.code)}/route`;
    const transfer = await app.http.get(`${path}?kind=jurisdiction_transfer&township=XZ-LZ`, officer);
    expect(transfer.body).toMatchObject({ routed: true, receivingAgencyId: id('XZ-LZ'), rule: 'delegated_township' });
    const crime = await app.http.get(`${path}?kind=suspected_crime_transfer&township=XZ-LZ`, officer);
    expect(crime.body).toMatchObject({ routed: true, receivingAgencyId: id('GAJ'), informAgencyIds: [id('JCY')] });
  });
});

describe('amending boundaries', () => {
  it('is refused to everyone but guidance-office arbiters and system admins', async () => {
    const item = await seededItem(() => true);
    for (const username of [
      'zfj.officer',
      'zfj.head',
      'lz.admin',
      'zfj.admin',
      'jcy.prosecutor',
      'auditor',
      'lz.staff',
    ]) {
      const t = (await app.http.login(username)).accessToken;
      const res = await app.http.post(
        `/api/catalogue/items/${encodeURIComponent(item.code)}/versions`,
        { effectiveFrom: '2030-01-01', reason: 'correction', note: '越权修改', supervisingAgencyId: id('SCJG') },
        t,
      );
      expect({ username, status: res.status }).toEqual({ username, status: 403 });
    }
    const imported = await app.http.upload('/api/catalogue/import', Buffer.from('x'), 'x.csv', officer);
    expect(imported.status).toBe(403);
  });

  it('records who changed what and why, and keeps every earlier version', async () => {
    const item = await seededItem((i) => i.current?.supervising !== null && i.current?.effectiveTo === null);
    const path = `/api/catalogue/items/${encodeURIComponent(item.code)}`;
    const before = (await app.http.get<ItemDetail>(path, officer)).body;
    const sys = (await app.http.login('sysadmin')).accessToken;
    const res = await app.http.post<ItemDetail>(
      `${path}/versions`,
      {
        effectiveFrom: '2028-01-01',
        reason: 'dispute_ruling',
        note: '指导办裁决：监管职责调整至市场监管局',
        causeRef: 'dispute:demo-1',
        supervisingAgencyId: id('SCJG'),
      },
      sys,
    );
    expect(res.status).toBe(201);
    expect(res.body.versions).toHaveLength(before.versions.length + 1);
    expect(res.body.versions.slice(0, -1).map((v) => ({ ...v, effectiveTo: null }))).toEqual(
      before.versions.map((v) => ({ ...v, effectiveTo: null })),
    );
    const newest = res.body.versions[res.body.versions.length - 1];
    expect(newest).toMatchObject({
      reason: 'dispute_ruling',
      causeRef: 'dispute:demo-1',
      supervising: { code: 'SCJG' },
      penalising: before.versions[before.versions.length - 1]?.penalising ?? null,
      createdBy: { displayName: '陈志强' },
    });
  });

  it('refuses overlapping dates (409), no-op changes and non-delegated townships (400), naming the field', async () => {
    const item = await seededItem((i) => i.current !== null);
    const path = `/api/catalogue/items/${encodeURIComponent(item.code)}/versions`;
    const overlap = await app.http.post(
      path,
      { effectiveFrom: '2001-01-01', reason: 'correction', note: '回溯修改', approvingAgencyId: null },
      arbiter,
    );
    expect(overlap.status).toBe(409);
    expect(overlap.body.details).toEqual([{ field: 'effectiveFrom', message: expect.stringContaining('重叠') }]);
    const noop = await app.http.post(
      path,
      { effectiveFrom: '2031-01-01', reason: 'correction', note: '无变化' },
      arbiter,
    );
    expect(noop.status).toBe(400);
    const wrong = await app.http.post(
      path,
      {
        effectiveFrom: '2031-01-01',
        reason: 'delegation_change',
        note: '向非赋权乡镇赋权',
        delegatedTownshipIds: [id('XZ-TS')],
      },
      arbiter,
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.details).toEqual([
      { field: 'delegatedTownshipIds.0', message: expect.stringContaining('不是赋权乡镇') },
    ]);
    const missing = await app.http.post(path, { effectiveFrom: '2031-01-01' }, arbiter);
    expect(missing.status).toBe(400);
    expect((missing.body.details as { field: string }[]).map((d) => d.field).sort()).toEqual(['note', 'reason']);
  });

  it('is refused by PostgreSQL itself if versions would ever overlap', async () => {
    const [row] = await query<{ id: string; item_id: string }>(
      app.databaseUrl,
      'select id, item_id from boundary_version where effective_to is null limit 1',
    );
    await expect(
      query(
        app.databaseUrl,
        `insert into boundary_version (id, item_id, version, effective_from, reason, note, created_at)
         values (gen_random_uuid(), $1, 99, '1990-01-01', 'correction', 'x', now())`,
        [row?.item_id],
      ),
    ).rejects.toThrow(/boundary_version_no_overlap/);
  });
});

// ---------------------------------------------------------------------------------------------

const good = (n: number, extra: Row = {}): Row => ({
  事项编码: `TEST-IMP-${String(n).padStart(4, '0')}`,
  事项名称: `对擅自在公共场所晾晒衣物的处罚（测试${n}）`,
  类别: '市容环境',
  法律依据: '《浙江省城市市容和环境卫生管理条例》第十五条',
  划转批次: '第三批',
  监管部门: '龙游县住房和城乡建设局',
  审批部门: '',
  处罚主体: '龙游县综合行政执法局',
  赋权乡镇: '龙洲街道、湖镇镇',
  生效日期: '2026-07-01',
  ...extra,
});

const itemCount = async (): Promise<number> =>
  Number((await query<{ n: string }>(app.databaseUrl, 'select count(*) n from enforcement_item'))[0]?.n);
const versionCount = async (): Promise<number> =>
  Number((await query<{ n: string }>(app.databaseUrl, 'select count(*) n from boundary_version'))[0]?.n);

describe('importing the catalogue', () => {
  it('reports every bad row with its row number and reason, and imports nothing', async () => {
    const existing = await seededItem((i) => i.current !== null);
    const before = [await itemCount(), await versionCount()];
    const file = await xlsx([
      good(1),
      good(2, { 监管部门: '县城管委' }),
      good(3, { 事项编码: 'TEST-IMP-0001' }),
      good(4, { 事项名称: '' }),
      good(5, { 类别: '城市管理' }),
      good(6, { 生效日期: '2026-02-30' }),
      good(7, { 赋权乡镇: '塔石镇' }),
      {
        ...good(8),
        事项编码: existing.code,
        事项名称: existing.nameZh,
        类别: existing.category,
        生效日期: '2001-01-01',
        监管部门: '龙游县市场监督管理局',
      },
    ]);
    const res = await app.http.upload<ImportResult>('/api/catalogue/import', file, 'bad.xlsx', arbiter);
    expect(res.status).toBe(422);
    expect(res.body.applied).toBe(false);
    const byRow = res.body.errors.map((e) => [e.row, e.column, e.message]);
    expect(byRow).toEqual([
      [3, '监管部门', expect.stringContaining('未知单位「县城管委」')],
      [4, '事项编码', expect.stringContaining('与第 2 行重复')],
      [5, '事项名称', expect.stringContaining('缺少')],
      [6, '类别', expect.stringContaining('未知类别「城市管理」')],
      [7, '生效日期', expect.stringContaining('无效')],
      [8, '赋权乡镇', expect.stringContaining('「塔石镇」不是赋权乡镇')],
      [9, '生效日期', expect.stringContaining('重叠')],
    ]);
    expect([await itemCount(), await versionCount()]).toEqual(before);
  });

  it('refuses a file missing a column, naming it', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('x').addRow(CATALOGUE_COLUMNS.filter((c) => c !== '处罚主体'));
    const res = await app.http.upload(
      '/api/catalogue/import',
      Buffer.from(await book.xlsx.writeBuffer()),
      'cols.xlsx',
      arbiter,
    );
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'columns.处罚主体', message: '第 1 行缺少列「处罚主体」' }]);
  });

  it('shows a dry run’s changes without writing, imports for real, and a second import changes nothing', async () => {
    const changed = await seededItem(
      (i) =>
        i.current !== null &&
        i.current.effectiveTo === null &&
        i.current.effectiveFrom < '2026-01-01' &&
        i.current.supervising?.code !== 'SCJG',
    );
    const file = await xlsx([
      good(11),
      good(12, { 赋权乡镇: '' }),
      {
        事项编码: changed.code,
        事项名称: changed.nameZh,
        类别: changed.category,
        法律依据: (await app.http.get<ItemDetail>(`/api/catalogue/items/${encodeURIComponent(changed.code)}`, officer))
          .body.legalBasis,
        划转批次: changed.transferBatch,
        监管部门: '龙游县市场监督管理局',
        审批部门: changed.current?.approving?.nameZh ?? '',
        处罚主体: changed.current?.penalising?.nameZh ?? '',
        赋权乡镇: (changed.current?.delegatedTownships ?? []).map((t) => t.nameZh).join('、'),
        生效日期: '2026-09-01',
      },
    ]);
    const before = [await itemCount(), await versionCount()];

    const dry = await app.http.upload<ImportResult>('/api/catalogue/import?dryRun=true', file, 'ok.xlsx', arbiter);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      dryRun: true,
      applied: false,
      rows: 3,
      created: 2,
      newVersions: 1,
      unchanged: 0,
      errors: [],
    });
    expect(dry.body.changes.map((c) => [c.row, c.code, c.action])).toEqual([
      [2, 'TEST-IMP-0011', 'create'],
      [3, 'TEST-IMP-0012', 'create'],
      [4, changed.code, 'new_version'],
    ]);
    expect([await itemCount(), await versionCount()]).toEqual(before);

    const real = await app.http.upload<ImportResult>('/api/catalogue/import', file, 'ok.xlsx', arbiter);
    expect(real.body).toMatchObject({ applied: true, created: 2, newVersions: 1 });
    expect([await itemCount(), await versionCount()]).toEqual([(before[0] ?? 0) + 2, (before[1] ?? 0) + 3]);
    const answer = await app.http.get<ResponsibilityAnswer>(
      `/api/catalogue/items/TEST-IMP-0011/responsibility?township=XZ-HZ&date=2026-07-01`,
      officer,
    );
    expect(answer.body).toMatchObject({ penalising: { code: 'XZ-HZ' }, supervising: { code: 'ZJJ' } });
    const search = await app.http.get<ItemPage>('/api/catalogue/items?q=TEST-IMP-0012', officer);
    expect(search.body.items[0]?.pinyinInitials).toBe('dszzggcslsywdcfcs');

    const again = await app.http.upload<ImportResult>('/api/catalogue/import', file, 'ok.xlsx', arbiter);
    expect(again.body).toMatchObject({ applied: false, created: 0, newVersions: 0, unchanged: 3, errors: [] });
    expect([await itemCount(), await versionCount()]).toEqual([(before[0] ?? 0) + 2, (before[1] ?? 0) + 3]);
  });

  it('reports progress to the importing user’s socket', async () => {
    const socket = await connectSocket(app.url, arbiter);
    sockets.push(socket);
    const events: CatalogueImportProgress[] = [];
    socket.on(SocketEvent.CatalogueImportProgress, (p) => events.push(p));
    const rows = Array.from({ length: 1200 }, (_, i) => good(1000 + i));
    const res = await app.http.upload<ImportResult>(
      '/api/catalogue/import?importId=imp-1',
      await xlsx(rows),
      'big.xlsx',
      arbiter,
    );
    expect(res.body).toMatchObject({ applied: true, created: 1200 });
    await new Promise((r) => setTimeout(r, 200));
    expect(events.every((e) => e.importId === 'imp-1')).toBe(true);
    expect(events.some((e) => e.phase === 'writing' && e.done > 0 && e.done < e.total)).toBe(true);
    expect(events[events.length - 1]).toMatchObject({ phase: 'done', done: 1200, total: 1200 });
  });
});

describe('exporting the catalogue', () => {
  it('writes the office’s columns as XLSX, one row per item', async () => {
    const res = await app.http.download('/api/catalogue/export?format=xlsx', officer);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    expect((sheet?.getRow(1).values as unknown[]).slice(1)).toEqual([...CATALOGUE_COLUMNS]);
    expect((sheet?.rowCount ?? 0) - 1).toBe(await itemCount());
  });

  it('round-trips as CSV: importing an export changes nothing', async () => {
    const csv = await app.http.download('/api/catalogue/export?format=csv', officer);
    expect(csv.status).toBe(200);
    expect(csv.body.toString('utf8')).toContain('事项编码');
    const before = [await itemCount(), await versionCount()];
    const res = await app.http.upload<ImportResult>('/api/catalogue/import', csv.body, 'roundtrip.csv', arbiter);
    expect(res.body.errors).toEqual([]);
    expect(res.body).toMatchObject({ applied: false, created: 0, newVersions: 0, updatedItems: 0 });
    expect(res.body.unchanged).toBe(before[0]);
    expect([await itemCount(), await versionCount()]).toEqual(before);
  });
});

describe('the blind-spot report', () => {
  it('finds items nobody supervises, nobody penalises, and delegations nobody can carry', async () => {
    const first = await app.http.get<BlindSpotReport>('/api/catalogue/blind-spots', officer);
    expect(first.status).toBe(200);
    expect(first.body.noSupervisingAgency.length).toBeGreaterThanOrEqual(1);
    expect(first.body.noPenalisingBody.length).toBeGreaterThanOrEqual(1);
    expect(first.body.noPenalisingBody[0]?.townships.map((t) => t.code)).toContain('XZ-TS');
    expect(first.body.delegatedWithoutTownshipStaff.filter((d) => d.township.code === 'XZ-HS')).toEqual([]);

    // 横山镇's only township staff member leaves: its delegations have nobody to carry them.
    const sys = (await app.http.login('sysadmin')).accessToken;
    const users = await app.http.get<UserSummary[]>(`/api/agencies/${id('XZ-HS')}/users`, sys);
    for (const u of users.body) await app.http.patch(`/api/users/${u.id}`, { active: false }, sys);
    const after = await app.http.get<BlindSpotReport>('/api/catalogue/blind-spots', officer);
    expect(after.body.delegatedWithoutTownshipStaff.filter((d) => d.township.code === 'XZ-HS').length).toBeGreaterThan(
      0,
    );
  });

  it('lists boundaries that changed in the 30 days before the date asked about', async () => {
    const res = await app.http.get<BlindSpotReport>('/api/catalogue/blind-spots?date=2027-03-15', officer);
    expect(res.body.changedRecently).toContainEqual(
      expect.objectContaining({ effectiveFrom: '2027-03-01', reason: 'delegation_change' }),
    );
    const later = await app.http.get<BlindSpotReport>('/api/catalogue/blind-spots?date=2027-06-15', officer);
    expect(later.body.changedRecently.filter((c) => c.effectiveFrom === '2027-03-01')).toEqual([]);
  });
});
