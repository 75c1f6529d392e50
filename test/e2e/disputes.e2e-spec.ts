import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  addCalendarDays,
  SocketEvent,
  todayInChina,
  type AttachmentView,
  type DisputeStats,
  type DisputeView,
  type ItemDetail,
  type MatterView,
  type ReferralList,
  type ReferralView,
  type ResponsibilityAnswer,
  type TimelineEntryView,
  type WorkflowChangedEvent,
  WorkCalendar,
} from '@xietong/shared';
import { bootApp, type TestApp } from '../support/app.js';
import { until } from '../support/fixtures.js';
import { conflictOf, fieldsOf, Session } from '../support/session.js';

let app: TestApp;
let s: Session;
beforeAll(async () => {
  app = await bootApp();
  s = await new Session(app).init();
});
afterAll(async () => {
  if (process.env.XT_DEBUG) console.log(app.output());
  s?.close();
  await app?.close();
});

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const act = (user: string, id: string, action: string, body: Record<string, unknown> = {}) =>
  s.post<DisputeView>(user, `/api/disputes/${id}/actions/${action}`, body);

/** A matter the bureau refers to 龙洲街道, which returns it as not ours twice. */
async function twoReturns(): Promise<MatterView> {
  const matter = await s.matter('zfj.officer');
  const referral = await s.post<ReferralView>('zfj.officer', '/api/referrals', {
    matterId: matter.id,
    kind: 'jurisdiction_transfer',
  });
  const r = (user: string, action: string, body: Record<string, unknown> = {}) =>
    s.post<ReferralView>(user, `/api/referrals/${referral.body.id}/actions/${action}`, body);
  const notOurs = {
    reasonCode: 'not_our_jurisdiction',
    reasonText: '堆放地点位于城区中队巡查范围',
    boundaryClause: '赋权目录第 3 项仅限街道建成区',
  };
  await r('lz.staff', 'sign');
  expect((await r('lz.staff', 'return', notOurs)).body.state).toBe('returned');
  await r('zfj.officer', 'reroute', { note: '经核实在赋权范围内' });
  await r('lz.staff', 'sign');
  expect((await r('lz.staff', 'return', notOurs)).body.state).toBe('returned');
  return matter;
}

async function disputeOn(user: string, matterId: string): Promise<DisputeView> {
  let found: DisputeView | undefined;
  await until('the dispute is listed with its acceptance clock', async () => {
    const list = await s.get<DisputeView[]>(user, '/api/disputes');
    found = list.body.find((d) => d.matter.id === matterId);
    return (found?.clocks.length ?? 0) > 0;
  });
  return found as DisputeView;
}

describe('a responsibility dispute', () => {
  it('opened by two returns: positions stated, accepted and ruled on clocks, the matter moved and the boundary amended from the chosen date', async () => {
    const bureau = await s.listen('zfj.officer');
    const matter = await twoReturns();
    const dispute = await disputeOn('zdb.arbiter', matter.id);
    expect(dispute).toMatchObject({ state: 'open', pattern: 'both_refuse', allowedActions: ['accept'] });
    expect(dispute.openedByReferralId).not.toBeNull();
    expect([dispute.agencyA.code, dispute.agencyB.code].sort()).toEqual(['XZ-LZ', 'ZFJ']);
    expect(dispute.clocks.map((c) => [c.code, c.state])).toEqual([['dispute_accept', 'running']]);

    // Each party states its position; a position without its legal basis names the field.
    const incomplete = await act('lz.staff', dispute.id, 'state_position', {
      stance: 'not_ours',
      boundaryClause: '赋权目录第 3 项',
    });
    expect(incomplete.status).toBe(400);
    expect(fieldsOf(incomplete.body)).toEqual(['legalBasis']);
    const upload = await app.http.upload<AttachmentView>(
      `/api/matters/${matter.id}/attachments`,
      PDF,
      '赋权事项目录.pdf',
      await s.token('lz.staff'),
    );
    expect(upload.status).toBe(201);
    const township = await act('lz.staff', dispute.id, 'state_position', {
      stance: 'not_ours',
      boundaryClause: '赋权目录第 3 项仅限街道建成区范围',
      legalBasis: '《浙江省综合行政执法条例》第十二条',
      attachmentIds: [upload.body.id],
    });
    expect(township.status).toBe(200);
    const foreign = await act('zfj.officer', dispute.id, 'state_position', {
      stance: 'not_ours',
      boundaryClause: '赋权目录第 3 项',
      legalBasis: '县政府赋权决定',
      attachmentIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(foreign.status).toBe(400);
    expect(fieldsOf(foreign.body)).toEqual(['attachmentIds']);
    await act('zfj.officer', dispute.id, 'state_position', {
      stance: 'not_ours',
      boundaryClause: '赋权目录第 3 项：龙洲街道全域',
      legalBasis: '龙游县人民政府赋权决定（龙政发〔2025〕8 号）',
    });

    // Refused: a party cannot accept, the arbiter cannot rule before accepting, outsiders see nothing.
    expect((await act('zfj.officer', dispute.id, 'accept')).status).toBe(403);
    const early = await act('zdb.arbiter', dispute.id, 'rule', {
      responsibleAgencyId: s.id('ZFJ'),
      rulingText: '由执法局办理',
    });
    expect(early.status).toBe(409);
    expect(conflictOf(early.body)).toEqual({ state: 'open', allowed: ['accept'] });
    expect((await s.get('dh.staff', `/api/disputes/${dispute.id}`)).status).toBe(404);

    const accepted = await act('zdb.arbiter', dispute.id, 'accept');
    expect(accepted.body.state).toBe('accepted');
    expect(accepted.body.positions.map((p) => p.agency.code)).toEqual(['XZ-LZ', 'ZFJ']);
    expect(accepted.body.positions[0]?.attachmentIds).toEqual([upload.body.id]);
    expect(accepted.body.clocks.map((c) => [c.code, c.state])).toEqual([
      ['dispute_accept', 'met'],
      ['dispute_rule', 'running'],
    ]);
    await bureau.next<WorkflowChangedEvent>(
      SocketEvent.DisputeChanged,
      (e) => e.id === dispute.id && e.state === 'accepted',
    );

    // The ruling: the bureau handles it, the matter goes back to it, and from a chosen day the item
    // is no longer delegated to 龙洲街道.
    const item = await s.get<ItemDetail>('zdb.arbiter', `/api/catalogue/items/${matter.item.code}`);
    const current = item.body.current;
    const effectiveFrom = addCalendarDays(todayInChina(), 30);
    const noRuling = await act('zdb.arbiter', dispute.id, 'rule', { rulingText: '由执法局办理' });
    expect(fieldsOf(noRuling.body)).toEqual(['responsibleAgencyId']);
    const ruled = await act('zdb.arbiter', dispute.id, 'rule', {
      responsibleAgencyId: s.id('ZFJ'),
      rulingText: '该事项龙洲街道赋权范围仅限建成区，本案地点在建成区外，由综合行政执法局办理。',
      moveMatter: true,
      amendBoundary: {
        effectiveFrom,
        note: '职责争议裁决：龙洲街道不再承接该事项',
        delegatedTownshipIds: (current?.delegatedTownships ?? []).map((t) => t.id).filter((t) => t !== s.id('XZ-LZ')),
      },
    });
    expect(ruled.status).toBe(200);
    expect(ruled.body).toMatchObject({ state: 'ruled', ruling: { responsibleAgency: { code: 'ZFJ' } } });
    expect(ruled.body.clocks.map((c) => c.state)).toEqual(['met', 'met']);

    const after = await s.get<ItemDetail>('zdb.arbiter', `/api/catalogue/items/${matter.item.code}`);
    const version = after.body.versions.at(-1);
    expect(version).toMatchObject({
      id: ruled.body.ruling?.boundaryVersionId,
      effectiveFrom,
      reason: 'dispute_ruling',
      causeRef: `dispute:${dispute.id}`,
    });
    const who = async (date: string) =>
      (
        await s.get<ResponsibilityAnswer>(
          'zfj.officer',
          `/api/catalogue/items/${matter.item.code}/responsibility?township=XZ-LZ&date=${date}`,
        )
      ).body.version.id;
    expect(await who(todayInChina())).toBe(current?.id);
    expect(await who(effectiveFrom)).toBe(version?.id);

    const inbox = await s.get<ReferralList>('zfj.officer', '/api/referrals/inbox');
    expect(inbox.body.referrals.find((r) => r.id === ruled.body.ruling?.referralId)).toMatchObject({
      state: 'delivered',
      from: { code: 'XZ-LZ' },
      routingRule: 'dispute_ruling',
    });
    await bureau.next<WorkflowChangedEvent>(
      SocketEvent.DisputeChanged,
      (e) => e.id === dispute.id && e.state === 'ruled',
    );
    expect((await act('zdb.arbiter', dispute.id, 'accept')).status).toBe(409);

    const timeline = await s.get<TimelineEntryView[]>('zfj.officer', `/api/matters/${matter.id}/timeline`);
    expect(timeline.body.filter((e) => e.action.startsWith('dispute.')).map((e) => [e.action, e.toState])).toEqual([
      ['dispute.opened', null],
      ['dispute.state_position', 'open'],
      ['dispute.state_position', 'open'],
      ['dispute.accept', 'accepted'],
      ['dispute.rule', 'ruled'],
    ]);
  });

  it('opened by hand when both agencies claim a matter, and counted by item and agency pair', async () => {
    const matter = await s.matter('zfj.officer');
    const notParty = await s.post('dh.staff', '/api/disputes', {
      matterId: matter.id,
      otherAgencyId: s.id('ZFJ'),
      pattern: 'both_claim',
    });
    expect(notParty.status).toBe(404);
    const bad = await s.post('zfj.officer', '/api/disputes', { matterId: matter.id, pattern: 'both_claim' });
    expect(fieldsOf(bad.body)).toEqual(['otherAgencyId']);
    const opened = await s.post<DisputeView>('zfj.officer', '/api/disputes', {
      matterId: matter.id,
      otherAgencyId: s.id('XZ-LZ'),
      pattern: 'both_claim',
      stance: 'ours',
      boundaryClause: '划转目录：城市管理领域第 12 项',
      legalBasis: '《行政处罚法》第二十四条',
    });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ state: 'open', pattern: 'both_claim', positions: [{ stance: 'ours' }] });
    expect(opened.body.clocks.map((c) => c.code)).toEqual(['dispute_accept']);

    // The county gives the guidance office 15 working days to rule instead of 10.
    const setting = await app.http.request('PUT', '/api/clocks/rules/dispute_rule', {
      token: await s.token('zdb.arbiter'),
      body: { amount: 15, reason: '县指导办工作规则：争议裁决期限 15 个工作日' },
    });
    expect(setting.status).toBe(200);
    const accepted = await act('zdb.arbiter', opened.body.id, 'accept');
    const rule = accepted.body.clocks.find((c) => c.code === 'dispute_rule');
    expect(rule?.deadline).toBe(`${new WorkCalendar().addWorkingDays(todayInChina(), 15)}T15:59:59.999Z`);

    expect((await s.get('lz.staff', '/api/disputes/stats')).status).toBe(403);
    const stats = await s.get<DisputeStats>('zdb.arbiter', '/api/disputes/stats');
    expect(stats.body.byItem.find((i) => i.itemCode === matter.item.code)).toMatchObject({ both_claim: 1 });
    const pair = stats.body.byAgencyPair.find(
      (p) =>
        p.agencies
          .map((a) => a.code)
          .sort()
          .join() === ['XZ-LZ', 'ZFJ'].sort().join(),
    );
    expect(pair).toMatchObject({ both_claim: 1, both_refuse: 1 });
  });
});
