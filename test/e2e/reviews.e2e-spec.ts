import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  addCalendarDays,
  addCalendarMonths,
  SocketEvent,
  todayInChina,
  type AttachmentView,
  type MessageView,
  type ReferralView,
  type ReviewQueue,
  type ReviewView,
  type TimelineEntryView,
  type WorkflowChangedEvent,
  type WorkflowClockChangedEvent,
} from '@xietong/shared';
import { bootApp, type TestApp } from '../support/app.js';
import { until } from '../support/fixtures.js';
import { conflictOf, detailsOf, fieldsOf, Session } from '../support/session.js';

/** Clocks divided by 400 000: the two-month reply clock warns about ten seconds in. */
let app: TestApp;
let s: Session;
beforeAll(async () => {
  app = await bootApp({ env: { CLOCK_TIME_SCALE: '400000' } });
  s = await new Session(app).init();
});
afterAll(async () => {
  if (process.env.XT_DEBUG) console.log(app.output());
  s?.close();
  await app?.close();
});

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082',
  'hex',
);
const act = (user: string, id: string, action: string, body: Record<string, unknown> = {}) =>
  s.post<ReviewView>(user, `/api/reviews/${id}/actions/${action}`, body);
const satisfied = { satisfied: true };

describe('procuratorate review', () => {
  it('reviews a flagged matter: a concern pointing at an attachment, a suggestion whose reply clock runs, the reply', async () => {
    const bureau = await s.listen('zfj.head');
    const matter = await s.matter('zfj.officer', { majorDifficult: true });
    const photo = await app.http.upload<AttachmentView>(
      `/api/matters/${matter.id}/attachments`,
      PNG,
      '现场勘验照片.png',
      await s.token('zfj.officer'),
    );
    const other = await s.matter('zfj.officer', { majorDifficult: true });
    const otherPhoto = await app.http.upload<AttachmentView>(
      `/api/matters/${other.id}/attachments`,
      PNG,
      '其他案件照片.png',
      await s.token('zfj.officer'),
    );

    const queue = await s.get<ReviewQueue>('jcy.prosecutor', '/api/reviews/queue');
    expect(queue.body.matters.find((m) => m.matter.id === matter.id)).toMatchObject({
      matter: { flags: { majorDifficult: true } },
      review: null,
    });
    expect((await s.get('zfj.officer', '/api/reviews/queue')).status).toBe(403);

    const opened = await s.post<ReviewView>('jcy.prosecutor', `/api/matters/${matter.id}/reviews`);
    expect(opened.status).toBe(201);
    const review = opened.body;
    expect(review).toMatchObject({ state: 'in_review', bureau: { code: 'ZFJ' }, procuratorate: { code: 'JCY' } });
    expect((await s.post('jcy.prosecutor', `/api/matters/${matter.id}/reviews`)).status).toBe(409);

    // Prosecutors read the whole file: timeline and attachments.
    const timeline = await s.get<TimelineEntryView[]>('jcy.prosecutor', `/api/matters/${matter.id}/timeline`);
    expect(timeline.status).toBe(200);
    const created = timeline.body.find((e) => e.action === 'matter.created');

    const concern = {
      satisfied: false,
      comment: '现场照片未显示堆放范围，不足以证明占道面积',
      attachmentIds: [photo.body.id],
      timelineEntryIds: [created?.id],
    };
    const noComment = await act('jcy.prosecutor', review.id, 'record_checklist', {
      checklist: {
        factsClear: satisfied,
        evidenceSufficient: { satisfied: false },
        lawCorrect: satisfied,
        procedureLawful: satisfied,
      },
    });
    expect(noComment.status).toBe(400);
    expect(fieldsOf(noComment.body)).toEqual(['checklist.evidenceSufficient.comment']);
    const elsewhere = await act('jcy.prosecutor', review.id, 'record_checklist', {
      checklist: {
        factsClear: satisfied,
        evidenceSufficient: { ...concern, attachmentIds: [otherPhoto.body.id] },
        lawCorrect: satisfied,
        procedureLawful: satisfied,
      },
    });
    expect(fieldsOf(elsewhere.body)).toEqual(['checklist.evidenceSufficient.attachmentIds']);
    const partial = await act('jcy.prosecutor', review.id, 'no_objection', {
      checklist: { factsClear: satisfied },
      opinionText: '无异议',
    });
    expect(partial.status).toBe(400);

    const checklist = {
      factsClear: satisfied,
      evidenceSufficient: concern,
      lawCorrect: satisfied,
      procedureLawful: satisfied,
    };
    const recorded = await act('jcy.prosecutor', review.id, 'record_checklist', { checklist });
    expect(recorded.status).toBe(200);
    expect(recorded.body.checklist?.evidenceSufficient).toMatchObject({
      satisfied: false,
      attachmentIds: [photo.body.id],
      timelineEntryIds: [created?.id],
    });

    // Refused: the bureau cannot give an opinion, nor reply before there is a suggestion.
    expect((await act('zfj.head', review.id, 'suggest', { opinionText: 'x', suggestionText: 'y' })).status).toBe(403);
    const early = await act('zfj.head', review.id, 'reply', { replyText: '已整改', measures: ['补充勘验'] });
    expect(early.status).toBe(409);
    expect(conflictOf(early.body)).toEqual({ state: 'in_review', allowed: [] });
    const noText = await act('jcy.prosecutor', review.id, 'suggest', { opinionText: '证据不足' });
    expect(fieldsOf(noText.body)).toEqual(['suggestionText']);

    const suggested = await act('jcy.prosecutor', review.id, 'suggest', {
      opinionText: '证据不够确实充分，建议补充调查',
      suggestionText: '请补充现场测量记录和询问笔录，依法重新认定占道面积。',
    });
    expect(suggested.body).toMatchObject({ state: 'awaiting_reply', opinion: 'suggestion' });
    const [clock] = suggested.body.clocks;
    expect(clock).toMatchObject({ code: 'procuratorate_reply', state: 'running' });
    expect(clock?.deadline).toBe(`${addCalendarMonths(todayInChina(), 2)}T15:59:59.999Z`);
    await bureau.next<WorkflowChangedEvent>(
      SocketEvent.ReviewChanged,
      (e) => e.id === review.id && e.state === 'awaiting_reply',
    );
    const warned = await bureau.next<WorkflowClockChangedEvent>(
      SocketEvent.WorkflowClockChanged,
      (e) => e.clockId === clock?.id && e.step === 'warn',
    );
    expect(warned).toMatchObject({ workflow: 'review', subjectId: review.id, code: 'procuratorate_reply' });

    const noMeasures = await act('zfj.head', review.id, 'reply', { replyText: '已补充调查' });
    expect(fieldsOf(noMeasures.body)).toEqual(['measures']);
    const replied = await act('zfj.head', review.id, 'reply', {
      replyText: '已按检察建议补充调查，重新认定占道面积为 36 平方米。',
      measures: ['补充现场测量记录', '补充当事人询问笔录'],
    });
    expect(replied.body).toMatchObject({
      state: 'replied',
      reply: { measures: ['补充现场测量记录', '补充当事人询问笔录'] },
    });
    // Met by the reply (or, on a very slow machine, escalated just before it): no longer running.
    expect(['met', 'escalated']).toContain(replied.body.clocks[0]?.state);
    expect((await act('jcy.prosecutor', review.id, 'close')).body.state).toBe('closed');

    const after = await s.get<TimelineEntryView[]>('zfj.officer', `/api/matters/${matter.id}/timeline`);
    expect(after.body.filter((e) => e.action.startsWith('review.')).map((e) => e.action)).toEqual([
      'review.opened',
      'review.record_checklist',
      'review.suggest',
      'review.reply',
      'review.close',
    ]);

    // The reviewed agency is notified in-app; the matter channel, which every agency on the matter
    // reads, shows nothing of the review (nor of its clock).
    type Notices = { notifications: { title: string; link: Record<string, string> }[] };
    await until('the bureau is notified of the closing', async () =>
      (await s.get<Notices>('zfj.head', '/api/notifications')).body.notifications.some(
        (n) => n.link.reviewId === review.id && n.title.startsWith(`检察监督：${matter.number}`),
      ),
    );
    const channel = await s.get<{ id: string }>('zfj.officer', `/api/matters/${matter.id}/channel`);
    const history = await s.get<{ messages: MessageView[] }>(
      'zfj.officer',
      `/api/channels/${channel.body.id}/messages`,
    );
    expect(history.status).toBe(200);
    expect(
      history.body.messages.filter((m) => m.system?.workflow === 'review' || m.system?.type === 'review.changed'),
    ).toEqual([]);
  });

  it('refuses a prosecutor on an unflagged matter, and a township on the review itself', async () => {
    const plain = await s.matter('zfj.officer');
    expect((await s.get('jcy.prosecutor', `/api/matters/${plain.id}`)).status).toBe(404);
    expect((await s.post('jcy.prosecutor', `/api/matters/${plain.id}/reviews`)).status).toBe(404);
    const queue = await s.get<ReviewQueue>('jcy.prosecutor', '/api/reviews/queue');
    expect(queue.body.matters.map((m) => m.matter.id)).not.toContain(plain.id);
    expect((await s.post('zfj.officer', `/api/matters/${plain.id}/reviews`)).status).toBe(403);

    // 龙洲街道 is on the flagged matter (a referral reached it), yet the review is not its business.
    const flagged = await s.matter('zfj.officer', { suspectedCrime: true });
    await s.post('zfj.officer', '/api/referrals', { matterId: flagged.id, kind: 'jurisdiction_transfer' });
    expect((await s.get('lz.staff', `/api/matters/${flagged.id}`)).status).toBe(200);
    const review = (await s.post<ReviewView>('jcy.prosecutor', `/api/matters/${flagged.id}/reviews`)).body;
    expect((await s.get('lz.staff', `/api/reviews/${review.id}`)).status).toBe(404);
    expect((await act('lz.staff', review.id, 'reply', { replyText: 'x', measures: ['y'] })).status).toBe(404);
    expect((await s.get<ReviewView[]>('lz.staff', '/api/reviews')).body).toEqual([]);
    expect((await s.get('auditor', `/api/reviews/${review.id}`)).status).toBe(200);
  });
});

describe('procuratorate review of a transfer police did not file', () => {
  // Its own server on real time: the referral's police clock must not step while the test drives the
  // referral (a referral clock step and a referral action can deadlock; see the note in the report).
  let real: TestApp;
  let shared: Session;
  beforeAll(async () => {
    real = await bootApp();
    shared = s;
    s = await new Session(real).init();
  });
  afterAll(async () => {
    s.close();
    s = shared;
    await real?.close();
  });

  it('asks public security why a transfer was not filed, then notifies filing, each step on its own clock', async () => {
    const matter = await s.matter('zfj.officer', { suspectedCrime: true });
    const review = (await s.post<ReviewView>('jcy.prosecutor', `/api/matters/${matter.id}/reviews`)).body;
    const ask = { opinionText: '该案涉嫌非法占用农用地罪，请说明不立案理由。' };
    const none = await act('jcy.prosecutor', review.id, 'require_explanation', ask);
    expect(none.status).toBe(409);
    expect(detailsOf(none.body).map((d) => d.field)).toEqual(['referral']);

    // The bureau transfers the case; public security concludes it as not filed.
    const transfer = await s.post<ReferralView>('zfj.officer', '/api/referrals', {
      matterId: matter.id,
      kind: 'suspected_crime_transfer',
    });
    const r = (user: string, action: string, body: Record<string, unknown> = {}) =>
      s.post<ReferralView>(user, `/api/referrals/${transfer.body.id}/actions/${action}`, body);
    await r('zfj.head', 'approve');
    for (const step of ['sign', 'accept', 'start']) expect((await r('gaj.officer', step)).status).toBe(200);
    const concluded = await r('gaj.officer', 'conclude', { outcome: 'not_filed', outcomeText: '未达到立案追诉标准' });
    expect(concluded.body.state).toBe('concluded');

    const asked = await act('jcy.prosecutor', review.id, 'require_explanation', ask);
    expect(asked.body).toMatchObject({ state: 'awaiting_explanation', police: { code: 'GAJ' } });
    expect(asked.body.clocks.map((c) => [c.code, c.state])).toEqual([['police_explain', 'running']]);
    const explainClock = asked.body.clocks[0];
    expect(explainClock?.deadline).toBe(`${addCalendarDays(todayInChina(), 7)}T15:59:59.999Z`);
    expect((await act('zfj.head', review.id, 'explain', { replyText: 'x' })).status).toBe(403);
    expect(fieldsOf((await act('gaj.officer', review.id, 'explain')).body)).toEqual(['replyText']);
    const explained = await act('gaj.officer', review.id, 'explain', {
      replyText: '经审查，涉案面积未达到立案追诉标准，故不予立案。',
    });
    expect(explained.body).toMatchObject({ state: 'explained', explanation: expect.stringContaining('立案追诉标准') });
    expect(explained.body.allowedActions).toEqual([]);

    const notified = await act('jcy.prosecutor', review.id, 'notify_filing', {
      opinionText: '经复核，涉案面积已达立案标准，不立案理由不能成立，请依法立案。',
    });
    expect(notified.body.state).toBe('awaiting_filing');
    const fileClock = notified.body.clocks.find((c) => c.code === 'police_file');
    expect(fileClock).toMatchObject({
      state: 'running',
      deadline: `${addCalendarDays(todayInChina(), 15)}T15:59:59.999Z`,
    });
    expect(notified.body.clocks.find((c) => c.code === 'police_explain')?.state).toBe('met');
    const filed = await act('gaj.officer', review.id, 'confirm_filing', { replyText: '已于今日立案侦查。' });
    expect(filed.body).toMatchObject({ state: 'closed', filing: '已于今日立案侦查。' });
    expect(filed.body.clocks.find((c) => c.code === 'police_file')?.state).not.toBe('running');
    expect((await s.get('gaj.officer', `/api/reviews/${review.id}`)).status).toBe(200);
  });
});
