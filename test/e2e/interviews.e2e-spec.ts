import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  addCalendarDays,
  SocketEvent,
  todayInChina,
  type ChannelChange,
  type EnforcementView,
  type InterviewView,
  type ReferralView,
  type TimelineEntryView,
  type WorkflowChangedEvent,
  type WorkflowClockChangedEvent,
} from '@xietong/shared';
import { bootApp, type TestApp } from '../support/app.js';
import { until } from '../support/fixtures.js';
import { conflictOf, detailsOf, fieldsOf, Session } from '../support/session.js';

/** Clocks divided by a million: a rectification deadline days away reminds the organiser at once. */
let app: TestApp;
let s: Session;
beforeAll(async () => {
  app = await bootApp({ env: { CLOCK_TIME_SCALE: '1000000' } });
  s = await new Session(app).init();
});
afterAll(async () => {
  if (process.env.XT_DEBUG) console.log(app.output());
  s?.close();
  await app?.close();
});

const act = (user: string, id: string, action: string, body: Record<string, unknown> = {}) =>
  s.post<InterviewView>(user, `/api/interviews/${id}/actions/${action}`, body);

async function propose(matterId: string): Promise<InterviewView> {
  const res = await s.post<InterviewView>('zfj.officer', '/api/interviews', {
    matterId,
    reason: 'refuses_rectification',
    invitedAgencyIds: [s.id('GAJ'), s.id('ZJJ')],
    party: { name: '龙游县恒达建材有限公司', contact: '法定代表人 陈国平 13905701234' },
    agenda: '当事人占道堆放建材，经责令改正拒不整改，约请公安、住建共同约谈。',
  });
  expect(res.status).toBe(201);
  return res.body;
}

/** Proposed, confirmed by both invited agencies, scheduled, held (住建 absent), co-signed, followed up. */
async function heldAndFollowedUp(matterId: string): Promise<InterviewView> {
  const interview = await propose(matterId);
  await act('gaj.liaison', interview.id, 'confirm', { attendeeName: '赵永刚' });
  await act('zjj.liaison', interview.id, 'confirm', { attendeeName: '住建联络员' });
  await act('zfj.officer', interview.id, 'schedule', {
    scheduledAt: '2026-12-08T02:00:00.000Z',
    place: '县综合行政执法局三楼会议室',
  });
  const attendance = [
    { agencyId: s.id('ZFJ'), attended: true, attendeeName: '周建华' },
    { agencyId: s.id('GAJ'), attended: true },
    { agencyId: s.id('ZJJ'), attended: false },
  ];
  await act('zfj.officer', interview.id, 'hold', {
    attendance,
    summary: '当事人称场地紧张；公安民警告知拒不整改的法律后果。',
    commitments: ['三日内清理全部占道建材', '设置围挡，不再占道堆放'],
    rectificationDeadline: addCalendarDays(todayInChina(), 3),
  });
  await act('zfj.officer', interview.id, 'sign_minutes');
  await act('gaj.liaison', interview.id, 'sign_minutes');
  return (await act('zfj.officer', interview.id, 'start_follow_up')).body;
}

describe('a joint interview', () => {
  it('from proposal through confirmations, scheduling, co-signed minutes, a missed rectification, to the court', async () => {
    const police = await s.listen('gaj.liaison');
    const organiser = await s.listen('zfj.officer');
    const matter = await s.matter('zfj.officer');

    const noPolice = await s.post('zfj.officer', '/api/interviews', {
      matterId: matter.id,
      reason: 'refuses_cooperation',
      invitedAgencyIds: [s.id('ZJJ')],
      party: { name: '某公司', contact: '13900000000' },
      agenda: '约谈',
    });
    expect(noPolice.status).toBe(400);
    expect(fieldsOf(noPolice.body)).toEqual(['invitedAgencyIds']);

    const interview = await propose(matter.id);
    expect(interview.participants.map((p) => [p.agency.code, p.invited, p.confirmedAt !== null])).toEqual([
      ['ZFJ', false, true],
      ['GAJ', true, false],
      ['ZJJ', true, false],
    ]);
    await police.next<WorkflowChangedEvent>(SocketEvent.InterviewChanged, (e) => e.id === interview.id);

    const early = await act('zfj.officer', interview.id, 'schedule', {
      scheduledAt: '2026-12-08T02:00:00Z',
      place: '会议室',
    });
    expect(early.status).toBe(409);
    expect(conflictOf(early.body)).toEqual({ state: 'proposed', allowed: ['cancel'] });
    expect(fieldsOf((await act('gaj.liaison', interview.id, 'confirm')).body)).toEqual(['attendeeName']);
    expect((await act('gaj.liaison', interview.id, 'confirm', { attendeeName: '赵永刚' })).body.state).toBe(
      'confirming',
    );
    const pending = await act('zfj.officer', interview.id, 'schedule', {
      scheduledAt: '2026-12-08T02:00:00.000Z',
      place: '县综合行政执法局三楼会议室',
    });
    expect(pending.status).toBe(409);
    expect(detailsOf(pending.body)).toEqual([{ field: 'confirmations', message: s.id('ZJJ') }]);
    expect(
      (await act('gaj.liaison', interview.id, 'schedule', { scheduledAt: '2026-12-08T02:00:00Z', place: 'x' })).status,
    ).toBe(403);
    await act('zjj.liaison', interview.id, 'confirm', { attendeeName: '王建设' });

    const scheduled = await act('zfj.officer', interview.id, 'schedule', {
      scheduledAt: '2026-12-08T02:00:00.000Z',
      place: '县综合行政执法局三楼会议室',
    });
    expect(scheduled.body).toMatchObject({ state: 'scheduled', sequence: 0 });
    const ics = await app.http.download(`/api/interviews/${interview.id}/invitation.ics`, await s.token('gaj.liaison'));
    expect(ics.status).toBe(200);
    expect(ics.headers.get('content-type')).toContain('text/calendar');
    const text = ics.body.toString('utf8');
    expect(text).toContain('BEGIN:VCALENDAR');
    expect(text).toContain('DTSTART:20261208T020000Z');
    expect(text).toContain('SEQUENCE:0');
    expect(text).toContain(`UID:interview-${interview.id}@xietong`);
    expect(
      (await app.http.download(`/api/interviews/${interview.id}/invitation.ics`, await s.token('dh.staff'))).status,
    ).toBe(404);

    // Rescheduling tells every participant, and the invitation replaces the old one.
    const noReason = await act('zfj.officer', interview.id, 'reschedule', {
      scheduledAt: '2026-12-09T06:30:00Z',
      place: '同上',
    });
    expect(fieldsOf(noReason.body)).toEqual(['reasonText']);
    await act('zfj.officer', interview.id, 'reschedule', {
      scheduledAt: '2026-12-09T06:30:00.000Z',
      place: '县综合行政执法局三楼会议室',
      reasonText: '公安参加人临时出警',
    });
    await police.next<WorkflowChangedEvent>(
      SocketEvent.InterviewChanged,
      (e) => e.id === interview.id && e.action === 'reschedule',
    );
    const again = (
      await app.http.download(`/api/interviews/${interview.id}/invitation.ics`, await s.token('zjj.liaison'))
    ).body.toString('utf8');
    expect(again).toContain('DTSTART:20261209T063000Z');
    expect(again).toContain('SEQUENCE:1');

    // Held: 住建 did not come, so it does not co-sign.
    const missing = await act('zfj.officer', interview.id, 'hold', { summary: 'x', commitments: ['y'] });
    expect(fieldsOf(missing.body)).toEqual(['attendance', 'rectificationDeadline']);
    const deadline = addCalendarDays(todayInChina(), 3);
    const held = await act('zfj.officer', interview.id, 'hold', {
      attendance: [
        { agencyId: s.id('ZFJ'), attended: true, attendeeName: '周建华' },
        { agencyId: s.id('GAJ'), attended: true },
        { agencyId: s.id('ZJJ'), attended: false },
      ],
      summary: '当事人称场地紧张；公安民警告知拒不整改的法律后果。',
      commitments: ['三日内清理全部占道建材', '设置围挡，不再占道堆放'],
      rectificationDeadline: deadline,
    });
    expect(held.body).toMatchObject({ state: 'held', minutes: { rectificationDeadline: deadline } });
    const rectification = held.body.clocks[0];
    expect(rectification).toMatchObject({ code: 'rectification', deadline: `${deadline}T15:59:59.999Z` });
    const reminder = await organiser.next<WorkflowClockChangedEvent>(
      SocketEvent.WorkflowClockChanged,
      (e) => e.clockId === rectification?.id && e.step === 'warn',
    );
    expect(reminder).toMatchObject({ workflow: 'interview', subjectId: interview.id, code: 'rectification' });

    await act('zfj.officer', interview.id, 'sign_minutes');
    expect((await act('zjj.liaison', interview.id, 'sign_minutes')).status).toBe(409);
    const unsigned = await act('zfj.officer', interview.id, 'start_follow_up');
    expect(unsigned.status).toBe(409);
    expect(detailsOf(unsigned.body)).toEqual([{ field: 'signatures', message: s.id('GAJ') }]);
    await act('gaj.liaison', interview.id, 'sign_minutes');
    expect((await act('zfj.officer', interview.id, 'start_follow_up')).body.state).toBe('awaiting_rectification');

    // Not rectified: one action prefills the application to the court, whose clocks then run.
    const noTarget = await act('zfj.officer', interview.id, 'escalate', { evidence: '复查时建材仍占道' });
    expect(fieldsOf(noTarget.body)).toEqual(['escalateTo']);
    const escalated = await act('zfj.officer', interview.id, 'escalate', {
      evidence: '期限届满复查，占道建材未清理，围挡未设置。',
      escalateTo: 'court',
    });
    expect(escalated.body).toMatchObject({ state: 'escalated', verification: { rectified: false } });
    const applicationId = escalated.body.escalation?.enforcementId ?? '';
    const draft = await s.get<EnforcementView>('zfj.officer', `/api/enforcements/${applicationId}`);
    expect(draft.body).toMatchObject({
      state: 'draft',
      fromInterviewId: interview.id,
      obligation: '三日内清理全部占道建材；设置围挡，不再占道堆放',
    });
    await s.post('zfj.officer', `/api/enforcements/${applicationId}/actions/record_demand`, {
      demandNoticeNumber: '龙综执催字〔2026〕第 40 号',
      demandNoticeOn: todayInChina(),
    });
    const applied = await s.post<EnforcementView>('zfj.head', `/api/enforcements/${applicationId}/actions/apply`, {
      decisionNumber: '龙综执罚决字〔2026〕第 131 号',
    });
    expect(applied.body.state).toBe('applied');
    expect(applied.body.clocks.map((c) => c.code)).toEqual(['court_accept']);
    await organiser.next<WorkflowClockChangedEvent>(
      SocketEvent.WorkflowClockChanged,
      (e) => e.workflow === 'enforcement' && e.subjectId === applicationId && e.step === 'warn',
    );
    const accepted = await s.post<EnforcementView>('fy.clerk', `/api/enforcements/${applicationId}/actions/accept`);
    expect(accepted.body.clocks.map((c) => c.code)).toEqual(['court_accept', 'court_rule']);

    const timeline = await s.get<TimelineEntryView[]>('zfj.officer', `/api/matters/${matter.id}/timeline`);
    const interviewSteps = timeline.body.filter((e) => e.action.startsWith('interview.')).map((e) => e.action);
    expect(interviewSteps).toEqual([
      'interview.proposed',
      'interview.confirm',
      'interview.confirm',
      'interview.schedule',
      'interview.reschedule',
      'interview.hold',
      'interview.sign_minutes',
      'interview.sign_minutes',
      'interview.start_follow_up',
      'interview.escalate',
    ]);
    expect(timeline.body.some((e) => e.action === 'clock.warn' && e.detail.clock === 'rectification')).toBe(true);
  });

  it('posts each change on the matter channel for its members, and notifies the invited agencies', async () => {
    const matter = await s.matter('zfj.officer');
    // A member of the matter's channel (the bureau is on the matter), connected after it opened.
    const member = await s.listen('zfj.liaison');
    const interview = await propose(matter.id);
    await act('gaj.liaison', interview.id, 'confirm', { attendeeName: '赵永刚' });
    const posted = (action: string) =>
      member.next<ChannelChange>(
        SocketEvent.ChannelChange,
        (c) => c.message?.system?.type === 'interview.changed' && c.message.system.action === action,
      );
    const proposed = await posted('proposed');
    expect(proposed.message?.body).toBe(`共同约谈 ${matter.number}：发起共同约谈：龙游县恒达建材有限公司`);
    const confirmed = await posted('confirm');
    expect(confirmed.message).toMatchObject({ kind: 'system', system: { id: interview.id, state: 'confirming' } });
    const channel = await s.get<{ id: string }>('zfj.officer', `/api/matters/${matter.id}/channel`);
    expect(confirmed.channelId).toBe(channel.body.id);

    // 住建, invited but not the actor, gets an in-app notification linking to the interview.
    const notices = async (username: string) =>
      (
        await s.get<{ notifications: { title: string; link: Record<string, string> }[] }>(
          username,
          '/api/notifications',
        )
      ).body.notifications.map(({ title, link }) => ({ title, link }));
    await until('住建 is notified of the confirmation', async () =>
      (await notices('zjj.liaison')).some((n) => n.link.interviewId === interview.id && n.title.includes('确认')),
    );
    expect((await notices('zjj.liaison')).filter((n) => n.link.interviewId === interview.id)).toEqual(
      expect.arrayContaining([
        {
          title: `共同约谈：${matter.number} 发起共同约谈：龙游县恒达建材有限公司`,
          link: { interviewId: interview.id, matterId: matter.id },
        },
      ]),
    );
  });

  it('not rectified, to public security: a prefilled draft referral; rectified: closed; cancelled with a reason', async () => {
    const matter = await s.matter('zfj.officer');
    const toPolice = await heldAndFollowedUp(matter.id);
    const escalated = await act('zfj.officer', toPolice.id, 'escalate', {
      evidence: '复查时当事人拒绝执法人员进入现场。',
      escalateTo: 'public_security',
    });
    expect(escalated.status).toBe(200);
    const referral = await s.get<ReferralView>(
      'zfj.officer',
      `/api/referrals/${escalated.body.escalation?.referralId ?? ''}`,
    );
    expect(referral.body).toMatchObject({
      state: 'draft',
      kind: 'suspected_crime_transfer',
      to: { kind: 'public_security' },
    });

    const other = await heldAndFollowedUp((await s.matter('zfj.officer')).id);
    const ok = await act('zfj.officer', other.id, 'verify_rectified', { evidence: '复查：建材已清理，围挡已设置。' });
    expect(ok.body).toMatchObject({ state: 'rectified', verification: { rectified: true } });
    expect(ok.body.clocks[0]?.state).not.toBe('running');

    const cancelled = await propose((await s.matter('zfj.officer')).id);
    expect(fieldsOf((await act('zfj.officer', cancelled.id, 'cancel')).body)).toEqual(['reasonText']);
    const done = await act('zfj.officer', cancelled.id, 'cancel', { reasonText: '当事人已主动整改' });
    expect(done.body).toMatchObject({ state: 'cancelled', cancelReason: '当事人已主动整改' });
    expect(
      (await act('zfj.officer', cancelled.id, 'schedule', { scheduledAt: '2026-12-08T02:00:00Z', place: 'x' })).status,
    ).toBe(409);
  });
});
