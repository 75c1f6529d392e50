import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import type { AgencySummary, StatisticsView } from '@xietong/shared';
import { bootApp, REPO_ROOT, runNode, type TestApp } from '../support/app.js';
import { query } from '../support/database.js';
import { until } from '../support/fixtures.js';

/**
 * The figures for leadership against the raw rows: a seeded year of activity is generated
 * through the real CLI, then a handful of figures are computed here from the tables themselves
 * (not from the rollups) and compared with the API, the XLSX workbook and the PDF.
 */
const CLI = resolve(REPO_ROOT, 'server', 'dist', 'cli.js');
const YEAR = 2025;
const HOUR = 3_600_000;

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
const id = (code: string): string => agencies.get(code)?.id ?? '';
const cst = (d: Date): string => new Date(d.getTime() + 8 * HOUR).toISOString().slice(0, 10);
const inYear = (day: string, year = YEAR): boolean => day.startsWith(`${year}-`);

/** percentile_cont: linear interpolation between the two nearest ranks. */
function percentile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (s[lo] ?? 0) + ((s[hi] ?? 0) - (s[lo] ?? 0)) * (pos - lo);
}

interface Expected {
  general: number;
  simple: number;
  previous: number;
  growthText: string;
  referrals: number;
  returned: number;
  signMedianHours: number;
  overdue: number;
  disputes: number;
  bothRefuse: number;
  officers: number;
  under10: number;
  bothClaim: number;
  positions: number;
  interviewsHeld: number;
  rectificationRate: number;
  suggestions: number;
  replied: number;
  applications: number;
  granted: number;
  disclosuresDue: number;
  publishedLate: number;
  disclosuresOverdue: number;
  messagesByKind: Record<string, number>;
  matterAckMedianMinutes: number | null;
}
let expected: Expected;
const round1 = (n: number): number => Math.round(n * 10) / 10;

/** The figures, from the source tables, with none of the server's SQL. */
async function fromRawRows(): Promise<Expected> {
  const matters = await query<{ started_on: string; procedure: string; created_by_id: string }>(
    app.databaseUrl,
    "select to_char(started_on, 'YYYY-MM-DD') started_on, procedure, created_by_id from matter",
  );
  const thisYear = matters.filter((m) => inYear(m.started_on));
  const general = thisYear.filter((m) => m.procedure === 'general').length;
  const simple = thisYear.length - general;
  const previous = matters.filter((m) => inYear(m.started_on, YEAR - 1)).length;
  const rate = ((thisYear.length - previous) / previous) * 100;
  const timeline = await query<{ referral_id: string; action: string; to_state: string | null; at: Date }>(
    app.databaseUrl,
    'select referral_id, action, to_state, at from timeline_entry where referral_id is not null order by at',
  );
  const byReferral = new Map<string, typeof timeline>();
  for (const t of timeline) byReferral.set(t.referral_id, [...(byReferral.get(t.referral_id) ?? []), t]);
  const delivered = [...byReferral.entries()]
    .map(([referralId, entries]) => ({ referralId, entries, at: entries.find((e) => e.to_state === 'delivered')?.at }))
    .filter((r) => r.at && inYear(cst(r.at)));
  const signHours = delivered.flatMap((r) => {
    const signed = r.entries.find((e) => e.action === 'referral.sign');
    return signed && r.at ? [(signed.at.getTime() - r.at.getTime()) / HOUR] : [];
  });
  const ids = new Set(delivered.map((r) => r.referralId));
  const clocks = await query<{ referral_id: string; overdue_at: Date | null }>(
    app.databaseUrl,
    'select referral_id, overdue_at from referral_clock',
  );
  const disputes = await query<{ pattern: string; created_at: Date }>(
    app.databaseUrl,
    'select pattern, created_at from responsibility_dispute',
  );
  const disputesThisYear = disputes.filter((d) => inYear(cst(d.created_at)));
  const positions = await query<{ created_at: Date }>(
    app.databaseUrl,
    'select d.created_at from dispute_position p join responsibility_dispute d on d.id = p.dispute_id',
  );
  const workflows = await workflowFigures();
  const officers = await query<{ id: string }>(
    app.databaseUrl,
    "select id from app_user where active and (roles && '{case_officer,township_staff}')",
  );
  const handled = new Map<string, number>();
  for (const m of thisYear) handled.set(m.created_by_id, (handled.get(m.created_by_id) ?? 0) + 1);
  return {
    general,
    simple,
    previous,
    growthText: `较上年增长${rate.toFixed(1)}%`,
    referrals: delivered.length,
    returned: delivered.filter((r) => r.entries.some((e) => e.action === 'referral.return')).length,
    signMedianHours: Math.round(percentile(signHours, 0.5) * 10) / 10,
    overdue: clocks.filter((c) => ids.has(c.referral_id) && c.overdue_at !== null).length,
    disputes: disputesThisYear.length,
    bothRefuse: disputesThisYear.filter((d) => d.pattern === 'both_refuse').length,
    officers: officers.length,
    under10: officers.filter((o) => (handled.get(o.id) ?? 0) < 10).length,
    bothClaim: disputesThisYear.filter((d) => d.pattern === 'both_claim').length,
    positions: positions.filter((p) => inYear(cst(p.created_at))).length,
    ...workflows,
  };
}

/** The workflows' figures (interviews, reviews, court, disclosures, channels) from their tables. */
async function workflowFigures() {
  const interviews = (
    await query<{ state: string; at: Date }>(
      app.databaseUrl,
      'select state, coalesce(scheduled_at, created_at) at from joint_interview',
    )
  ).filter((i) => inYear(cst(i.at)));
  const rectified = interviews.filter((i) => i.state === 'rectified').length;
  const escalated = interviews.filter((i) => i.state === 'escalated').length;
  const reviews = (
    await query<{ opinion: string | null; replied_at: Date | null; created_at: Date }>(
      app.databaseUrl,
      'select opinion, replied_at, created_at from procuratorate_review',
    )
  ).filter((r) => inYear(cst(r.created_at)));
  const suggestions = reviews.filter((r) => r.opinion === 'suggestion');
  const applications = (
    await query<{ state: string; created_at: Date }>(
      app.databaseUrl,
      'select state, created_at from enforcement_application',
    )
  ).filter((a) => inYear(cst(a.created_at)));
  const disclosures = (
    await query<{ state: string; decided_on: string; due_on: string; published_at: Date | null }>(
      app.databaseUrl,
      "select state::text, to_char(decided_on, 'YYYY-MM-DD') decided_on, to_char(due_on, 'YYYY-MM-DD') due_on, published_at from disclosure",
    )
  ).filter((d) => inYear(d.decided_on) && d.state !== 'withdrawn');
  const today = cst(new Date());
  const messages = (
    await query<{ id: string; kind: string; created_at: Date }>(
      app.databaseUrl,
      "select m.id, c.kind::text kind, m.created_at from channel_message m join channel c on c.id = m.channel_id where m.kind = 'user'",
    )
  ).filter((m) => inYear(cst(m.created_at)));
  const messagesByKind: Record<string, number> = {};
  for (const m of messages) messagesByKind[m.kind] = (messagesByKind[m.kind] ?? 0) + 1;
  const matterMessages = new Map(messages.filter((m) => m.kind === 'matter').map((m) => [m.id, m.created_at]));
  const acks = await query<{ message_id: string; acked_at: Date | null }>(
    app.databaseUrl,
    'select message_id, acked_at from channel_ack where acked_at is not null',
  );
  const minutes = acks.flatMap((a) => {
    const posted = matterMessages.get(a.message_id);
    return posted && a.acked_at ? [(a.acked_at.getTime() - posted.getTime()) / 60_000] : [];
  });
  return {
    interviewsHeld: interviews.filter((i) =>
      ['held', 'awaiting_rectification', 'rectified', 'escalated'].includes(i.state),
    ).length,
    rectificationRate: rectified + escalated === 0 ? 0 : round1((rectified / (rectified + escalated)) * 100),
    suggestions: suggestions.length,
    replied: suggestions.filter((r) => r.replied_at !== null).length,
    applications: applications.length,
    granted: applications.filter((a) => a.state === 'granted' || a.state === 'executed').length,
    disclosuresDue: disclosures.length,
    publishedLate: disclosures.filter(
      (d) => d.state === 'published' && d.published_at && cst(d.published_at) > d.due_on,
    ).length,
    disclosuresOverdue: disclosures.filter((d) => d.state === 'queued' && today > d.due_on).length,
    messagesByKind,
    matterAckMedianMinutes: minutes.length ? round1(percentile(minutes, 0.5)) : null,
  };
}

beforeAll(async () => {
  app = await bootApp();
  const list = await app.http.get<AgencySummary[]>('/api/agencies', await token('sysadmin'));
  agencies = new Map(list.body.map((a) => [a.code, a]));
  const run = await runNode(
    CLI,
    ['seed:activity', '--seed', '7', '--year', String(YEAR), '--matters', '400'],
    app.env,
    120_000,
  );
  if (run.code !== 0) throw new Error(`seed:activity failed:\n${run.output}`);
  expected = await fromRawRows();
}, 180_000);
afterAll(async () => {
  if (process.env.XT_DEBUG) console.log(app.output());
  await app?.close();
});

const stats = async (username: string, qs = `from=${YEAR}-01-01&to=${YEAR}-12-31`) =>
  app.http.get<StatisticsView>(`/api/statistics?${qs}`, await token(username));

describe('the generated year', () => {
  it('has the report’s shape: two general cases for each simple one, growth, a third of officers in single digits', () => {
    expect(expected.general + expected.simple).toBe(400);
    expect(expected.general).toBe(Math.round((400 * 1335) / 2014));
    expect(expected.referrals).toBeGreaterThan(50);
    expect(expected.returned).toBeGreaterThan(0);
    expect(expected.under10 / expected.officers).toBeGreaterThanOrEqual(1 / 3);
  });

  it('is generated once: a second run finds the marker and writes nothing', async () => {
    const before = await query<{ n: string }>(app.databaseUrl, 'select count(*) n from matter');
    const again = await runNode(CLI, ['seed:activity', '--seed', '7', '--year', String(YEAR)], app.env, 60_000);
    expect(again.code).toBe(0);
    expect(again.output).toContain('nothing to do');
    const after = await query<{ n: string }>(app.databaseUrl, 'select count(*) n from matter');
    expect(after).toEqual(before);
  });
});

describe('GET /api/statistics', () => {
  it('matches the figures computed from the raw rows', async () => {
    const res = await stats('sysadmin');
    expect(res.status).toBe(200);
    const s = res.body;
    expect(s.scope.countyWide).toBe(true);
    expect(s.matters).toMatchObject({
      total: expected.general + expected.simple,
      general: expected.general,
      simple: expected.simple,
    });
    expect(s.matters.growth.total).toMatchObject({ previous: expected.previous, text: expected.growthText });
    expect(s.matters.byCategory.reduce((n, c) => n + c.total, 0)).toBe(s.matters.total);
    expect(s.referrals.total).toBe(expected.referrals);
    expect(s.referrals.byKind.reduce((n, k) => n + k.count, 0)).toBe(expected.referrals);
    expect(s.referrals.returned).toBe(expected.returned);
    expect(s.referrals.returnedRate).toBe(Math.round((expected.returned / expected.referrals) * 1000) / 10);
    expect(s.referrals.timeToSign.medianHours).toBe(expected.signMedianHours);
    expect(s.clocks.overdue).toBe(expected.overdue);
    expect(s.disputes).toMatchObject({ opened: expected.disputes, bothRefuse: expected.bothRefuse });
    expect(s.workload).toMatchObject({ officers: expected.officers, under10: expected.under10 });
    expect(s.sections.pending).toEqual([]);
  });

  it('matches the workflows’ figures computed from their raw rows', async () => {
    const s = (await stats('sysadmin')).body;
    expect(s.disputes).toMatchObject({ bothClaim: expected.bothClaim, positions: expected.positions });
    expect(s.disputes.byItem.reduce((n, i) => n + i.bothRefuse, 0)).toBe(expected.bothRefuse);
    expect(s.joint_interviews).toMatchObject({
      held: expected.interviewsHeld,
      rectificationRate: expected.rectificationRate,
    });
    expect(s.joint_interviews.held).toBeGreaterThan(0);
    expect(s.reviews).toMatchObject({ suggestions: expected.suggestions, replied: expected.replied });
    expect(s.reviews.suggestions).toBeGreaterThan(0);
    expect(s.court_applications).toMatchObject({ applications: expected.applications, granted: expected.granted });
    expect(s.disclosures).toMatchObject({
      due: expected.disclosuresDue,
      publishedLate: expected.publishedLate,
      overdue: expected.disclosuresOverdue,
    });
    expect(s.disclosures.publishedLate).toBeGreaterThan(0);
    expect(Object.fromEntries(s.channels.byKind.map((k) => [k.kind, k.messages]))).toEqual(expected.messagesByKind);
    expect(s.channels.byKind.find((k) => k.kind === 'matter')?.ackMedianMinutes).toBe(expected.matterAckMedianMinutes);
    expect(expected.matterAckMedianMinutes).not.toBeNull();
  });

  it('shows a new matter after the rollup is refreshed', async () => {
    const before = (await stats('sysadmin')).body.matters.total;
    const [m] = await query<{ id: string }>(
      app.databaseUrl,
      `select id from matter where started_on < '${YEAR}-12-01' limit 1`,
    );
    await query(
      app.databaseUrl,
      `insert into matter (id, number, item_id, boundary_version_id, township_id, place, party_kind, party_name,
         procedure, origin_agency_id, started_on, summary, created_by_id, created_at)
       select gen_random_uuid(), '协-${YEAR}-T000001', item_id, boundary_version_id, township_id, place, party_kind,
              party_name, 'simple', origin_agency_id, '${YEAR}-12-15', summary, created_by_id, now()
         from matter where id = $1`,
      [m?.id],
    );
    const refresh = await app.http.post('/api/statistics/refresh', undefined, await token('sysadmin'));
    expect(refresh.status).toBe(200);
    const after = (await stats('sysadmin')).body;
    expect(after.matters.total).toBe(before + 1);
    expect(after.matters.simple).toBe(expected.simple + 1);
    expected = await fromRawRows();
  });

  it('gives an agency head their own agency’s workload only', async () => {
    const res = await stats('cq.head');
    expect(res.status).toBe(200);
    expect(res.body.scope.countyWide).toBe(false);
    const officers = res.body.workload.byOfficer;
    expect(officers.length).toBeGreaterThan(0);
    expect(new Set(officers.map((o) => o.agencyId))).toEqual(new Set([id('ZFJ-CQ')]));
    const [raw] = await query<{ n: string }>(
      app.databaseUrl,
      "select count(*) n from app_user where active and agency_id = $1 and roles && '{case_officer,township_staff}'",
      [id('ZFJ-CQ')],
    );
    expect(officers.length).toBe(Number(raw?.n));
    // The bureau's head sees the bureau and the squadrons under it.
    const bureau = await stats('zfj.head');
    const units = new Set(bureau.body.workload.byOfficer.map((o) => o.agencyId));
    expect([...units].every((u) => ['ZFJ', 'ZFJ-CQ', 'ZFJ-HZ', 'ZFJ-XK'].map(id).includes(u))).toBe(true);
    expect(units.has(id('ZFJ-CQ'))).toBe(true);
  });

  it('refuses another agency to an agency head, and everything to township staff and anonymous callers', async () => {
    expect((await stats('cq.head', `agency=${id('GAJ')}`)).status).toBe(403);
    expect((await stats('cq.head', 'agency=ZFJ')).status).toBe(403);
    expect((await stats('lz.staff')).status).toBe(403);
    expect((await app.http.get(`/api/reports/annual?year=${YEAR}`, await token('lz.staff'))).status).toBe(403);
    expect((await app.http.get('/api/statistics')).status).toBe(401);
    expect((await app.http.post('/api/statistics/refresh', undefined, await token('cq.head'))).status).toBe(403);
    // The guidance office sees any agency's figures.
    const gaj = await stats('zdb.arbiter', `from=${YEAR}-01-01&to=${YEAR}-12-31&agency=GAJ`);
    expect(gaj.status).toBe(200);
    expect(gaj.body.referrals.byReceiver.map((a) => a.code)).toContain('GAJ');
  });

  it('answers 400 naming the field for bad input', async () => {
    const bad = async (qs: string) =>
      (await app.http.get<{ details: { field: string }[] }>(`/api/statistics?${qs}`, await token('sysadmin'))).body
        .details;
    expect(await bad('from=2025-13-01')).toEqual([expect.objectContaining({ field: 'from' })]);
    expect(await bad('from=2025-06-01&to=2025-01-01')).toEqual([expect.objectContaining({ field: 'to' })]);
    expect(await bad('agency=NOPE')).toEqual([expect.objectContaining({ field: 'agency' })]);
    expect(await bad('township=GAJ')).toEqual([expect.objectContaining({ field: 'township' })]);
    const report = await app.http.get<{ details: { field: string }[] }>(
      '/api/reports/annual?year=abc&format=docx',
      await token('sysadmin'),
    );
    expect(report.status).toBe(400);
    expect(report.body.details.map((d) => d.field).sort()).toEqual(['format', 'year']);
  });
});

describe('the OpenAPI document', () => {
  it('describes the statistics, the refresh and the annual report, with the shared response schema', async () => {
    const res = await app.http.get<{
      paths: Record<string, { get?: { responses: Record<string, { content?: Record<string, { schema: unknown }> }> } }>;
    }>('/api/docs-json');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/api/statistics', '/api/statistics/refresh', '/api/reports/annual']),
    );
    const schema = JSON.stringify(res.body.paths['/api/statistics']?.get?.responses['200']);
    for (const field of ['matters', 'referrals', 'clocks', 'disputes', 'workload', 'under10', 'medianHours'])
      expect(schema).toContain(`"${field}"`);
  });
});

describe('GET /api/reports/annual', () => {
  it('as XLSX: one sheet per section, with the numbers of the API', async () => {
    const res = await app.http.download(`/api/reports/annual?year=${YEAR}&format=xlsx`, await token('sysadmin'));
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '说明',
      '案件办理情况',
      '移送协作情况',
      '法定时限执行情况',
      '职责争议情况',
      '执法人员办案量',
      '共同约谈情况',
      '检察监督情况',
      '申请强制执行情况',
      '行政执法公示情况',
      '协同沟通情况',
    ]);
    const row = (sheet: string, first: string): unknown[] => {
      let found: unknown[] = [];
      wb.getWorksheet(sheet)?.eachRow((r) => {
        const values = (r.values as unknown[]).slice(1);
        if (values[0] === first && found.length === 0) found = values;
      });
      return found;
    };
    expect(row('案件办理情况', '合计')).toEqual([
      '合计',
      expected.general,
      expected.simple,
      expected.general + expected.simple,
    ]);
    expect(row('案件办理情况', '增减')[3]).toBe(
      `较上年增长${(((expected.general + expected.simple - expected.previous) / expected.previous) * 100).toFixed(1)}%`,
    );
    expect(row('移送协作情况', '退回')).toEqual(['退回', '退回件数', expected.returned]);
    expect(row('法定时限执行情况', '逾期')).toEqual(['逾期', expected.overdue]);
    expect(row('执法人员办案量', '合计').slice(0, 2)).toEqual(['合计', expected.officers]);
    expect(row('执法人员办案量', '合计')[4]).toBe(expected.under10);
    expect(row('职责争议情况', '合计').slice(0, 5)).toEqual([
      '合计',
      '全部',
      expected.disputes,
      expected.bothRefuse,
      expected.bothClaim,
    ]);
    expect(row('共同约谈情况', '已约谈')).toEqual(['已约谈', expected.interviewsHeld]);
    expect(row('共同约谈情况', '整改率（%）')).toEqual(['整改率（%）', expected.rectificationRate]);
    expect(row('检察监督情况', '已回复')).toEqual(['已回复', expected.replied]);
    expect(row('申请强制执行情况', '准予执行')).toEqual(['准予执行', expected.granted]);
    expect(row('行政执法公示情况', '逾期公示')).toEqual(['逾期公示', expected.publishedLate]);
    expect(row('行政执法公示情况', '逾期未公示')).toEqual(['逾期未公示', expected.disclosuresOverdue]);
    expect(row('协同沟通情况', '案件协同群').slice(0, 3)).toEqual([
      '案件协同群',
      expect.any(Number),
      expected.messagesByKind.matter,
    ]);
  });

  it('for an agency head: their own units only, the same numbers as their statistics', async () => {
    const mine = (await stats('cq.head')).body;
    const res = await app.http.download(`/api/reports/annual?year=${YEAR}&format=xlsx`, await token('cq.head'));
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ExcelJS.Buffer);
    const units: unknown[] = [];
    wb.getWorksheet('执法人员办案量')?.eachRow((r, n) => {
      if (n > 2) units.push((r.values as unknown[])[1]);
    });
    expect(units).toContain('城区执法中队');
    expect(units).not.toContain('湖镇执法中队');
    const total = wb.getWorksheet('案件办理情况')?.getRow(1).getCell(1).text;
    expect(total).toContain(`全年共承办行政处罚案件${mine.matters.total}件`);
    expect(mine.matters.total).toBeLessThan(expected.general + expected.simple);
  });

  it('as PDF: opens, renders, and states the headline numbers in Chinese', async () => {
    const res = await app.http.download(`/api/reports/annual?year=${YEAR}&format=pdf`, await token('sysadmin'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/pdf');
    const dir = mkdtempSync(join(tmpdir(), 'xt-report-'));
    const pdf = join(dir, 'report.pdf');
    writeFileSync(pdf, res.body);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdf, join(dir, 'page')]);
    const png = readFileSync(join(dir, 'page-1.png'));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString('utf8').replace(/\s+/g, '');
    const total = expected.general + expected.simple;
    expect(text).toContain(`全年共承办行政处罚案件${total}件`);
    expect(text).toContain(`其中一般程序案件${expected.general}件、简易程序案件${expected.simple}件`);
    expect(text).toContain(`办案数量为个位数的${expected.under10}人`);
    expect(text).toContain(`“争着推”${expected.bothRefuse}起`);
    expect(text).toContain(`整改率${expected.rectificationRate}%`);
    expect(text).toContain(`其中逾期公示${expected.publishedLate}件`);
    expect(text).not.toContain('待相应功能上线后纳入');
  });
});

describe('a fresh demo start', () => {
  it('generates the year of activity in the background after the server is healthy', async () => {
    const demo = await bootApp({ env: { SEED_ACTIVITY: 'true', LOG_LEVEL: 'info' } });
    try {
      const admin = (await demo.http.login('sysadmin')).accessToken;
      await until(
        'the demo activity to be generated and the rollups refreshed',
        async () => {
          const res = await demo.http.get<StatisticsView>('/api/statistics', admin);
          return res.status === 200 && res.body.matters.total > 0;
        },
        180_000,
      );
      const s = (await demo.http.get<StatisticsView>('/api/statistics', admin)).body;
      expect(s.matters).toMatchObject({ total: 2014, general: 1335, simple: 679 });
      expect(s.matters.growth.total.text).toBe('较上年增长97.6%');
      expect(s.workload.under10Share).toBeGreaterThanOrEqual(33.3);
      expect(demo.output()).toContain('will be generated in the background');
    } finally {
      if (process.env.XT_DEBUG) console.log(demo.output().slice(-20000));
      await demo.close();
    }
  }, 240_000);
});
