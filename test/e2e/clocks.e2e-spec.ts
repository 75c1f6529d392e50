import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  SocketEvent,
  type ClockChangedEvent,
  type MatterView,
  type ReferralList,
  type ReferralView,
  type TimelineEntryView,
} from '@xietong/shared';
import { bootApp, connectSocket, type ClientSocket, type TestApp } from '../support/app.js';
import { delegatedItemCode, until } from '../support/fixtures.js';

/**
 * Legal clocks run by themselves: warn at 75 %, overdue at the deadline, escalate one working
 * day later. Durations are shortened by configuration (CLOCK_TIME_SCALE divides the delays);
 * the deadlines themselves are the real legal ones.
 */
let app: TestApp;
const sockets: ClientSocket[] = [];
beforeAll(async () => {
  app = await bootApp({ env: { CLOCK_TIME_SCALE: '100000' } });
});
afterAll(async () => {
  if (process.env.XT_DEBUG) console.log(app.output());
  sockets.forEach((s) => s.close());
  await app?.close();
});

async function clockEvents(username: string): Promise<ClockChangedEvent[]> {
  const socket = await connectSocket(app.url, (await app.http.login(username)).accessToken);
  sockets.push(socket);
  const got: ClockChangedEvent[] = [];
  socket.on(SocketEvent.ClockChanged, (e) => got.push(e));
  return got;
}

async function transfer(officer: string): Promise<ReferralView> {
  const itemCode = await delegatedItemCode(app.http, officer);
  const matter = await app.http.post<MatterView>(
    '/api/matters',
    {
      itemCode,
      township: 'XZ-LZ',
      place: '龙洲街道东门路 12 号',
      party: { kind: 'person', name: '李四' },
      procedure: 'simple',
      summary: '渣土车辆未密闭运输，沿路抛洒。',
    },
    officer,
  );
  const referral = await app.http.post<ReferralView>(
    '/api/referrals',
    { matterId: matter.body.id, kind: 'jurisdiction_transfer' },
    officer,
  );
  expect(referral.status).toBe(201);
  return referral.body;
}

describe('the clocks of a township jurisdiction transfer', () => {
  it('start at delivery, warn, go overdue and escalate to the guidance office by themselves', async () => {
    const township = await clockEvents('lz.staff');
    const guidance = await clockEvents('zdb.arbiter');
    const officer = (await app.http.login('zfj.officer')).accessToken;
    const referral = await transfer(officer);

    expect(referral.clocks.map((c) => [c.code, c.state, c.provisional])).toEqual([
      ['township_sign', 'running', false],
      ['township_decide', 'running', false],
    ]);
    for (const c of referral.clocks) {
      // Deadlines fall at the end of a China Standard Time day, after the start.
      expect(c.deadline).toMatch(/T15:59:59\.999Z$/);
      expect(Date.parse(c.deadline)).toBeGreaterThan(Date.parse(c.startedAt));
      expect(Date.parse(c.escalateAt)).toBeGreaterThan(Date.parse(c.deadline));
      const share =
        (Date.parse(c.warnAt) - Date.parse(c.startedAt)) / (Date.parse(c.deadline) - Date.parse(c.startedAt));
      expect(share).toBeCloseTo(0.75, 3);
    }
    const sign = referral.clocks[0];
    const decide = referral.clocks[1];
    expect(Date.parse(decide?.deadline ?? '')).toBeGreaterThan(Date.parse(sign?.deadline ?? ''));
    expect(referral.nearestDeadline).toBe(sign?.deadline);

    const steps = (clock: string | undefined) => township.filter((e) => e.clockId === clock).map((e) => e.step);
    await until('the sign clock warned, went overdue and escalated', () => steps(sign?.id).length >= 3);
    expect(steps(sign?.id)).toEqual(['warn', 'overdue', 'escalate']);
    await until('the guidance office told', () =>
      guidance.some((e) => e.clockId === sign?.id && e.step === 'escalate'),
    );
    expect(guidance.filter((e) => e.clockId === sign?.id).map((e) => e.step)).toEqual(['escalate']);

    const staff = (await app.http.login('lz.staff')).accessToken;
    const overdue = await app.http.get<ReferralList>('/api/referrals/inbox?overdue=true', staff);
    expect(overdue.body.referrals.map((r) => r.id)).toContain(referral.id);
    const now = await app.http.get<ReferralView>(`/api/referrals/${referral.id}`, staff);
    expect(now.body.clocks.find((c) => c.code === 'township_sign')).toMatchObject({ state: 'escalated', warned: true });

    const timeline = await app.http.get<TimelineEntryView[]>(`/api/matters/${referral.matter.id}/timeline`, officer);
    expect(
      timeline.body
        .filter((e) => e.action.startsWith('clock.') && e.detail.clock === 'township_sign')
        .map((e) => e.action),
    ).toEqual(['clock.warn', 'clock.overdue', 'clock.escalate']);
  });

  it('stop when met: a referral signed at once never warns about signing', async () => {
    const township = await clockEvents('lz.staff');
    const officer = (await app.http.login('zfj.officer')).accessToken;
    const referral = await transfer(officer);
    const staff = (await app.http.login('lz.staff')).accessToken;
    const signed = await app.http.post<ReferralView>(`/api/referrals/${referral.id}/actions/sign`, {}, staff);
    expect(signed.body.clocks.map((c) => [c.code, c.state])).toEqual([
      ['township_sign', 'met'],
      ['township_decide', 'running'],
    ]);
    const decide = signed.body.clocks[1];
    await until('the decide clock warned', () => township.some((e) => e.clockId === decide?.id && e.step === 'warn'));
    const accepted = await app.http.post<ReferralView>(`/api/referrals/${referral.id}/actions/accept`, {}, staff);
    expect(accepted.body.clocks.map((c) => c.state)).toEqual(['met', 'met']);
    await new Promise((r) => setTimeout(r, 6_000)); // past when overdue would have come
    expect(township.filter((e) => e.referralId === referral.id).map((e) => [e.code, e.step])).toEqual([
      ['township_decide', 'warn'],
    ]);
  });
});

describe('a clock on hold', () => {
  it('pauses while the referral waits for materials: no step fires, and it runs again on resume', async () => {
    // Its own server with a gentler scale (the warning ~12 s in), so a busy machine cannot reach the
    // warning before the hold begins.
    const slow = await bootApp({ env: { CLOCK_TIME_SCALE: '40000' } });
    const shared = app;
    app = slow;
    try {
      await holdAndResume(40000);
    } finally {
      app = shared;
      await slow.close();
    }
  });
});

async function holdAndResume(scale: number): Promise<void> {
  {
    const police = await clockEvents('gaj.liaison');
    const officer = (await app.http.login('zfj.officer')).accessToken;
    const base = await transfer(officer);
    const assist = await app.http.post<ReferralView>(
      '/api/referrals',
      { matterId: base.matter.id, kind: 'police_assistance', note: '请派员到场协助' },
      officer,
    );
    expect(assist.body.clocks.map((c) => [c.code, c.state])).toEqual([['assistance_reply', 'running']]);
    const gaj = (await app.http.login('gaj.liaison')).accessToken;
    for (const action of ['sign', 'accept', 'start']) {
      expect((await app.http.post(`/api/referrals/${assist.body.id}/actions/${action}`, {}, gaj)).status).toBe(200);
    }
    const held = await app.http.post<ReferralView>(
      `/api/referrals/${assist.body.id}/actions/hold`,
      { holdReason: 'awaiting_materials', note: '等待执法局补充现场视频' },
      gaj,
    );
    expect(held.body.state).toBe('on_hold');
    const clock = held.body.clocks[0];
    expect(clock?.state).toBe('paused');
    // Wait past when the warning would have fired (scaled), then a little more.
    const warnAfterMs = (Date.parse(clock?.warnAt ?? '') - Date.parse(clock?.startedAt ?? '')) / scale;
    await new Promise((r) => setTimeout(r, warnAfterMs + 1_500));
    expect(police.filter((e) => e.clockId === clock?.id)).toEqual([]);

    const resumed = await app.http.post<ReferralView>(`/api/referrals/${assist.body.id}/actions/resume`, {}, gaj);
    expect(resumed.body.clocks[0]).toMatchObject({ id: clock?.id, state: 'running' });
    expect(Date.parse(resumed.body.clocks[0]?.deadline ?? '')).toBeGreaterThanOrEqual(
      Date.parse(clock?.deadline ?? ''),
    );
    await until('the resumed clock warns once', () => police.some((e) => e.clockId === clock?.id && e.step === 'warn'));
    expect(police.filter((e) => e.clockId === clock?.id && e.step === 'warn')).toHaveLength(1);
  }
}

describe('extensions', () => {
  it('are asked for by the receiver before expiry and granted by the sender: the deadline moves and the request is on the timeline', async () => {
    const officer = (await app.http.login('zfj.officer')).accessToken;
    const base = await transfer(officer);
    const assist = await app.http.post<ReferralView>(
      '/api/referrals',
      { matterId: base.matter.id, kind: 'police_assistance' },
      officer,
    );
    const clock = assist.body.clocks[0];
    const path = `/api/referrals/${assist.body.id}/clocks/${clock?.id}`;
    const gaj = (await app.http.login('gaj.liaison')).accessToken;

    expect(
      (await app.http.post(`${path}/extension-request`, { amount: 3, reason: '需调取监控录像' }, officer)).status,
    ).toBe(403);
    const bad = await app.http.post(`${path}/extension-request`, { amount: 0 }, gaj);
    expect(bad.status).toBe(400);
    expect((bad.body.details as { field: string }[]).map((d) => d.field).sort()).toEqual(['amount', 'reason']);
    expect(
      (await app.http.post(`${path}/extension-request`, { amount: 3, reason: '需调取监控录像' }, gaj)).status,
    ).toBe(204);
    const pending = await app.http.get<ReferralView>(`/api/referrals/${assist.body.id}`, officer);
    expect(pending.body.clocks[0]?.pendingExtension).toMatchObject({ amount: 3, reason: '需调取监控录像' });

    expect((await app.http.post(`${path}/extension-decision`, { grant: true }, gaj)).status).toBe(403);
    const outsider = (await app.http.login('dh.staff')).accessToken;
    expect((await app.http.post(`${path}/extension-decision`, { grant: true }, outsider)).status).toBe(404);
    expect((await app.http.post(`${path}/extension-decision`, { grant: true, note: '同意延期' }, officer)).status).toBe(
      204,
    );
    const after = await app.http.get<ReferralView>(`/api/referrals/${assist.body.id}`, officer);
    const moved = after.body.clocks[0];
    expect(moved).toMatchObject({ extendedBy: 3, pendingExtension: null });
    expect(Date.parse(moved?.deadline ?? '')).toBeGreaterThan(Date.parse(clock?.deadline ?? ''));
    expect(moved?.deadline).toMatch(/T15:59:59\.999Z$/);
    expect((await app.http.post(`${path}/extension-decision`, { grant: true }, officer)).status).toBe(409);

    const timeline = await app.http.get<TimelineEntryView[]>(`/api/matters/${base.matter.id}/timeline`, officer);
    expect(timeline.body.filter((e) => e.action.startsWith('clock.extension')).map((e) => e.action)).toEqual([
      'clock.extension_requested',
      'clock.extension_granted',
    ]);
  });

  it('are refused for a deadline set by law', async () => {
    const officer = (await app.http.login('zfj.officer')).accessToken;
    const base = await transfer(officer);
    const crime = await app.http.post<ReferralView>(
      '/api/referrals',
      { matterId: base.matter.id, kind: 'suspected_crime_transfer' },
      officer,
    );
    const head = (await app.http.login('zfj.head')).accessToken;
    const approved = await app.http.post<ReferralView>(`/api/referrals/${crime.body.id}/actions/approve`, {}, head);
    const clock = approved.body.clocks.find((c) => c.code === 'police_decide');
    const gaj = (await app.http.login('gaj.liaison')).accessToken;
    const res = await app.http.post(
      `/api/referrals/${crime.body.id}/clocks/${clock?.id}/extension-request`,
      { amount: 2, reason: '案情复杂' },
      gaj,
    );
    expect(res.status).toBe(409);
    expect(res.body.details).toEqual([{ field: 'code', message: expect.stringContaining('法律') }]);
  });
});

describe('county clock settings', () => {
  it('let a county set its own amount for a configurable clock, never for one set by law', async () => {
    const officer = (await app.http.login('zfj.officer')).accessToken;
    const arbiter = (await app.http.login('zdb.arbiter')).accessToken;
    const rules = await app.http.get<{ code: string; amount: number; legalAmount: number; configurable: boolean }[]>(
      '/api/clocks/rules',
      officer,
    );
    expect(rules.body.find((r) => r.code === 'township_decide')).toMatchObject({
      amount: 3,
      legalAmount: 3,
      configurable: true,
    });
    expect(rules.body.find((r) => r.code === 'police_decide')).toMatchObject({ configurable: false });

    const before = (await transfer(officer)).clocks.find((c) => c.code === 'township_decide');
    const body = { amount: 5, reason: '县执法协作规则（2026 年修订）第七条' };
    expect((await app.http.request('PUT', '/api/clocks/rules/township_decide', { token: officer, body })).status).toBe(
      403,
    );
    const set = await app.http.request<{ code: string; amount: number; countyReason: string }[]>(
      'PUT',
      '/api/clocks/rules/township_decide',
      {
        token: arbiter,
        body,
      },
    );
    expect(set.status).toBe(200);
    expect(set.body.find((r) => r.code === 'township_decide')).toMatchObject({ amount: 5, countyReason: body.reason });
    const after = (await transfer(officer)).clocks.find((c) => c.code === 'township_decide');
    expect(Date.parse(after?.deadline ?? '')).toBeGreaterThan(Date.parse(before?.deadline ?? ''));

    const law = await app.http.request('PUT', '/api/clocks/rules/police_decide', {
      token: arbiter,
      body: { amount: 7, reason: '试图修改' },
    });
    expect(law.status).toBe(409);
    expect((await app.http.request('PUT', '/api/clocks/rules/no_such_clock', { token: arbiter, body })).status).toBe(
      404,
    );
  });
});

describe('the holiday calendar', () => {
  const arrangement2027 = {
    year: 2027,
    source: '国务院办公厅关于2027年部分节假日安排的通知（测试数据）',
    holidays: [
      { name: '元旦', from: '2027-01-01', to: '2027-01-03' },
      { name: '春节', from: '2027-02-05', to: '2027-02-12' },
    ],
    workdays: ['2027-02-14'],
  };

  it('takes a year’s official arrangement from an arbiter or system admin, and no one else', async () => {
    const officer = (await app.http.login('zfj.officer')).accessToken;
    expect(
      (await app.http.request('PUT', '/api/calendar/years', { token: officer, body: arrangement2027 })).status,
    ).toBe(403);
    const arbiter = (await app.http.login('zdb.arbiter')).accessToken;
    const loaded = await app.http.request('PUT', '/api/calendar/years', { token: arbiter, body: arrangement2027 });
    expect(loaded.status).toBe(200);
    expect(loaded.body).toMatchObject({ year: 2027 });
    const years = await app.http.get<{ year: number; source: string }[]>('/api/calendar/years', officer);
    expect(years.body).toContainEqual(expect.objectContaining({ year: 2027, source: arrangement2027.source }));
  });

  it('names every bad field of an arrangement', async () => {
    const arbiter = (await app.http.login('zdb.arbiter')).accessToken;
    const res = await app.http.request('PUT', '/api/calendar/years', {
      token: arbiter,
      body: {
        year: 2027,
        source: '',
        holidays: [{ name: '春节', from: '2027-02-30', to: '2027-02-12' }],
        workdays: ['2027-02-15'],
      },
    });
    expect(res.status).toBe(400);
    const fields = (res.body.details as { field: string }[]).map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['source', 'holidays.0.from', 'workdays.0']));
  });
});
