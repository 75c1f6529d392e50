import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  SocketEvent,
  type EnforcementView,
  type TimelineEntryView,
  type WorkflowChangedEvent,
  type WorkflowClockChangedEvent,
} from '@xietong/shared';
import { bootApp, type TestApp } from '../support/app.js';
import { conflictOf, fieldsOf, Session } from '../support/session.js';

/** Clocks divided by a million: the court's five working days warn within a second or two. */
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

/** A clock that no longer runs: met in time, or already escalated at this time scale. */
const ENDED = ['met', 'escalated'];
const act = (user: string, id: string, action: string, body: Record<string, unknown> = {}) =>
  s.post<EnforcementView>(user, `/api/enforcements/${id}/actions/${action}`, body);

describe('an application to the court for compulsory enforcement', () => {
  it('demand notice first, signed by the head, accepted and ruled on the court clocks, executed', async () => {
    const bureau = await s.listen('zfj.officer');
    const matter = await s.matter('zfj.officer');
    const created = await s.post<EnforcementView>('zfj.officer', '/api/enforcements', {
      matterId: matter.id,
      decisionNumber: '龙综执罚决字〔2026〕第 118 号',
      obligation: '限期拆除违法搭建的彩钢棚并恢复原状',
    });
    expect(created.status).toBe(201);
    const app1 = created.body;
    expect(app1).toMatchObject({
      state: 'draft',
      court: { code: 'FY' },
      matter: { partyName: '龙游县恒达建材有限公司' },
    });
    expect((await s.get('fy.clerk', `/api/enforcements/${app1.id}`)).status).toBe(404); // not sent yet

    const early = await act('zfj.head', app1.id, 'apply');
    expect(early.status).toBe(409);
    expect(conflictOf(early.body)).toEqual({ state: 'draft', allowed: ['record_demand', 'withdraw'] });
    const noNumber = await act('zfj.officer', app1.id, 'record_demand', { demandNoticeOn: '2026-11-20' });
    expect(fieldsOf(noNumber.body)).toEqual(['demandNoticeNumber']);
    const demanded = await act('zfj.officer', app1.id, 'record_demand', {
      demandNoticeNumber: '龙综执催字〔2026〕第 31 号',
      demandNoticeOn: '2026-11-20',
    });
    expect(demanded.body.state).toBe('demanded');
    expect((await act('zfj.officer', app1.id, 'apply')).status).toBe(403); // the head signs (第五十五条)

    const applied = await act('zfj.head', app1.id, 'apply', { amountYuan: 20000 });
    expect(applied.body).toMatchObject({ state: 'applied', amountYuan: 20000 });
    const accept = applied.body.clocks[0];
    expect(accept).toMatchObject({ code: 'court_accept', state: 'running' });
    await bureau.next<WorkflowClockChangedEvent>(
      SocketEvent.WorkflowClockChanged,
      (e) => e.clockId === accept?.id && e.step === 'warn',
    );

    // The court sees it now; other agencies do not; the bureau cannot act for the court.
    expect((await s.get('dh.staff', `/api/enforcements/${app1.id}`)).status).toBe(404);
    expect((await act('zfj.head', app1.id, 'accept')).status).toBe(403);
    const listed = await s.get<EnforcementView[]>('fy.clerk', '/api/enforcements');
    expect(listed.body.find((a) => a.id === app1.id)?.allowedActions).toEqual(['accept', 'decline']);

    const accepted = await act('fy.clerk', app1.id, 'accept');
    // At this time scale the acceptance clock may already have escalated; either way it no longer runs.
    expect(accepted.body.clocks.map((c) => c.code)).toEqual(['court_accept', 'court_rule']);
    expect(ENDED).toContain(accepted.body.clocks[0]?.state);
    expect(accepted.body.clocks[1]?.startedAt).toBeDefined();
    const noRuling = await act('fy.clerk', app1.id, 'grant', { reasonText: '决定合法' });
    expect(fieldsOf(noRuling.body)).toEqual(['rulingNumber']);
    const granted = await act('fy.clerk', app1.id, 'grant', {
      rulingNumber: '（2026）浙 0825 行审 57 号',
      reasonText: '行政决定事实清楚、程序合法，准予强制执行。',
    });
    expect(granted.body).toMatchObject({ state: 'granted', ruling: { execute: true } });
    for (const c of granted.body.clocks) expect(ENDED).toContain(c.state);

    const executed = await act('zfj.officer', app1.id, 'record_execution', {
      executionOutcome: 'original_state_restored',
      executionNote: '彩钢棚已拆除，场地恢复原状。',
    });
    expect(executed.body).toMatchObject({ state: 'executed', execution: { outcome: 'original_state_restored' } });
    await bureau.next<WorkflowChangedEvent>(
      SocketEvent.EnforcementChanged,
      (e) => e.id === app1.id && e.state === 'executed',
    );

    const timeline = await s.get<TimelineEntryView[]>('zfj.officer', `/api/matters/${matter.id}/timeline`);
    expect(timeline.body.filter((e) => e.action.startsWith('enforcement.')).map((e) => e.action)).toEqual([
      'enforcement.created',
      'enforcement.record_demand',
      'enforcement.apply',
      'enforcement.accept',
      'enforcement.grant',
      'enforcement.record_execution',
    ]);
  });

  it('is prepared only by an agency on the matter', async () => {
    const matter = await s.matter('zfj.officer');
    expect((await s.post('hz.officer', '/api/enforcements', { matterId: matter.id })).status).toBe(404);
    expect((await s.post('fy.clerk', '/api/enforcements', { matterId: matter.id })).status).toBe(403);
    expect(fieldsOf((await s.post('zfj.officer', '/api/enforcements', {})).body)).toEqual(['matterId']);
  });
});
