import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Job } from 'bullmq';
import {
  addCalendarDays,
  LEGAL_CLOCKS,
  scheduleClock,
  todayInChina,
  WorkCalendar,
  type ClockView,
  type MatterView,
  type ReferralView,
  type YearArrangement,
} from '@xietong/shared';
import { QueueBackend } from '@xietong/server/queue/queue-backend';
import { bootApp, type TestApp } from '../support/app.js';
import { TEST_REDIS_URL } from '../support/env.js';
import { delegatedItemCode, until } from '../support/fixtures.js';

/**
 * The State Council publishes a year's holiday arrangement in the November before, and the
 * holiday library lags. A clock reaching into such a year is provisional until an admin loads
 * the year; loading it recomputes the clock and replaces its delayed jobs.
 *
 * The county sets its township decision clock to 60 working days, so a clock started today
 * always reaches past the last year the pinned library knows.
 */
let app: TestApp;
let queues: QueueBackend;
beforeAll(async () => {
  app = await bootApp();
  queues = new QueueBackend({ kind: 'redis', url: TEST_REDIS_URL, namespace: app.queuePrefix });
});
afterAll(async () => {
  if (process.env.XT_DEBUG) console.log(app.output());
  await queues?.close();
  await app?.close();
});

const DECIDE_DAYS = 60;

async function decideClock(officer: string, id: string): Promise<ClockView> {
  const referral = await app.http.get<ReferralView>(`/api/referrals/${id}`, officer);
  const clock = referral.body.clocks.find((c) => c.code === 'township_decide');
  if (!clock) throw new Error('no township_decide clock');
  return clock;
}

async function clockJobs(clockId: string): Promise<Job[]> {
  const jobs = await queues.createQueue('clocks').getJobs(['delayed', 'wait', 'prioritized']);
  return jobs.filter((j) => (j.data as { clockId?: string }).clockId === clockId);
}

/** Years the clock touches that neither the library nor an admin has an arrangement for. */
function missingYears(calendar: WorkCalendar, fromDay: string, toDay: string): number[] {
  const years: number[] = [];
  for (let y = Number(fromDay.slice(0, 4)); y <= Number(toDay.slice(0, 4)); y++) {
    if (!calendar.hasOfficialArrangement(y)) years.push(y);
  }
  return years;
}

/**
 * An arrangement for `year` that makes the week up to `deadlineDay` a holiday when that week lies
 * in the year (so the deadline must move), and only 元旦 otherwise.
 */
function arrangementFor(year: number, deadlineDay: string): YearArrangement {
  const holidays = [{ name: '元旦', from: `${year}-01-01`, to: `${year}-01-01` }];
  if (deadlineDay.startsWith(`${year}-`)) {
    const from = addCalendarDays(deadlineDay, -6);
    holidays.push({ name: '调整假期', from: from.startsWith(`${year}-`) ? from : `${year}-01-02`, to: deadlineDay });
  }
  return { year, source: `国务院办公厅关于${year}年部分节假日安排的通知（测试数据）`, holidays, workdays: [] };
}

describe('loading a year’s holiday arrangement', () => {
  it('recomputes provisional clocks and replaces their delayed jobs', async () => {
    const arbiter = (await app.http.login('zdb.arbiter')).accessToken;
    const officer = (await app.http.login('zfj.officer')).accessToken;
    const setting = await app.http.request('PUT', '/api/clocks/rules/township_decide', {
      token: arbiter,
      body: { amount: DECIDE_DAYS, reason: '县政府同意延长乡镇决定期限（测试）' },
    });
    expect(setting.status).toBe(200);

    const itemCode = await delegatedItemCode(app.http, officer);
    const matter = await app.http.post<MatterView>(
      '/api/matters',
      {
        itemCode,
        township: 'XZ-LZ',
        place: '龙洲街道荣昌大道 8 号',
        party: { kind: 'company', name: '龙游某建材有限公司', idNumber: '91330825MA2DXXXX1K' },
        procedure: 'general',
        summary: '工地出入口未设置车辆冲洗设施，带泥上路。',
      },
      officer,
    );
    expect(matter.status).toBe(201);
    const created = await app.http.post<ReferralView>(
      '/api/referrals',
      { matterId: matter.body.id, kind: 'jurisdiction_transfer', submit: true },
      officer,
    );
    expect(created.status).toBe(201);
    const id = created.body.id;

    // Before: computed from the statutory holidays alone, and said to be so.
    const before = await decideClock(officer, id);
    const library = new WorkCalendar();
    const startDay = todayInChina(new Date(before.startedAt));
    const missing = missingYears(library, startDay, todayInChina(new Date(before.escalateAt)));
    expect(missing.length).toBeGreaterThan(0);
    expect(before.provisional).toBe(true);
    await until('the clock’s first jobs are queued', async () => (await clockJobs(before.id)).length === 3);
    const firstJobIds = (await clockJobs(before.id)).map((j) => j.id).sort();

    // Load every missing year the clock touches; the one holding the deadline moves it.
    const deadlineDay = todayInChina(new Date(before.deadline));
    const loaded = missing.map((y) => arrangementFor(y, deadlineDay));
    let rescheduled = 0;
    for (const arrangement of loaded) {
      const res = await app.http.request('PUT', '/api/calendar/years', { token: arbiter, body: arrangement });
      expect(res.status).toBe(200);
      rescheduled += (res.body as { rescheduled: number }).rescheduled;
    }
    expect(rescheduled).toBeGreaterThanOrEqual(1);

    // After: the deadline the official calendar gives, no longer provisional unless a later year is still missing.
    const expected = scheduleClock(
      LEGAL_CLOCKS.township_decide,
      new Date(before.startedAt),
      new WorkCalendar(loaded),
      DECIDE_DAYS,
    );
    const after = await decideClock(officer, id);
    expect(after.deadline).toBe(expected.deadline);
    expect(Date.parse(after.deadline)).toBeGreaterThan(Date.parse(before.deadline));
    expect(after.escalateAt).toBe(expected.escalateAt);
    expect(after.provisional).toBe(expected.provisional);

    // Its jobs are replaced, not added to: still one per step, none of the first generation left.
    await until('the moved clock’s jobs replace the first ones', async () => {
      const jobs = await clockJobs(before.id);
      return jobs.length === 3 && jobs.every((j) => !firstJobIds.includes(String(j.id)));
    });
    const overdue = (await clockJobs(before.id)).find((j) => (j.data as { step: string }).step === 'overdue');
    expect(overdue).toBeDefined();
    expect((overdue?.timestamp ?? 0) + (overdue?.delay ?? 0)).toBeGreaterThanOrEqual(Date.parse(after.deadline) - 1);
  });
});
