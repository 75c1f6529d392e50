import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  SocketEvent,
  type AgencySummary,
  type DisputeOpenedEvent,
  type MatterList,
  type MatterView,
  type ReferralChangedEvent,
  type ReferralList,
  type ReferralView,
  type TimelineEntryView,
} from '@xietong/shared';
import { bootApp, connectSocket, type ClientSocket, type TestApp } from '../support/app.js';
import { query } from '../support/database.js';
import { delegatedItemCode, until } from '../support/fixtures.js';

let app: TestApp;
let agencies: Map<string, AgencySummary>;
const tokens = new Map<string, string>();
const sockets: ClientSocket[] = [];

const token = async (username: string): Promise<string> => {
  let t = tokens.get(username);
  if (!t) {
    t = (await app.http.login(username)).accessToken;
    tokens.set(username, t);
  }
  return t;
};
const id = (code: string): string => agencies.get(code)?.id ?? '';

/** Everything a socket receives, by event name, for assertions that wait. */
async function listen(
  username: string,
): Promise<{ events: Map<string, unknown[]>; next<T>(event: string, pred: (p: T) => boolean): Promise<T> }> {
  const socket = await connectSocket(app.url, await token(username));
  sockets.push(socket);
  const events = new Map<string, unknown[]>();
  socket.onAny((event: string, payload: unknown) => events.set(event, [...(events.get(event) ?? []), payload]));
  return {
    events,
    async next<T>(event: string, pred: (p: T) => boolean): Promise<T> {
      for (let i = 0; i < 100; i++) {
        const hit = (events.get(event) as T[] | undefined)?.find(pred);
        if (hit) return hit;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`${username} got no ${event} matching within 5 s; got ${JSON.stringify([...events.keys()])}`);
    },
  };
}

beforeAll(async () => {
  app = await bootApp();
  const list = await app.http.get<AgencySummary[]>('/api/agencies', await token('zfj.officer'));
  agencies = new Map(list.body.map((a) => [a.code, a]));
});
afterAll(async () => {
  if (process.env.XT_DEBUG) console.log(app.output());
  sockets.forEach((s) => s.close());
  await app?.close();
});

async function newMatter(
  username: string,
  township: string,
  flags: Partial<MatterView['flags']> = {},
): Promise<MatterView> {
  const res = await app.http.post<MatterView>(
    '/api/matters',
    {
      itemCode: await delegatedItemCode(app.http, await token('zfj.officer')),
      township,
      place: '龙洲街道荣昌大道与龙翔路交叉口',
      party: { kind: 'person', name: '张三', idNumber: '330825199001011234' },
      procedure: 'general',
      flags,
      summary: '当事人在人行道上摆摊设点，经劝导拒不改正。',
    },
    await token(username),
  );
  if (res.status !== 201) throw new Error(`matter: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const act = async (username: string, referralId: string, action: string, body: Record<string, unknown> = {}) =>
  app.http.post<ReferralView>(`/api/referrals/${referralId}/actions/${action}`, body, await token(username));

describe('a jurisdiction transfer to a delegated township', () => {
  it('is routed by the catalogue, arrives live, is signed for, returned as not ours, re-routed, and a second return opens a dispute', async () => {
    const township = await listen('lz.staff');
    const bureau = await listen('zfj.officer');
    const guidance = await listen('zdb.arbiter');
    const matter = await newMatter('zfj.officer', 'XZ-LZ');
    expect(matter.number).toMatch(/^协-\d{4}-\d{6}$/);
    expect(matter.agencies.map((a) => [a.code, a.role])).toEqual([['ZFJ', 'origin']]);

    const created = await app.http.post<ReferralView>(
      '/api/referrals',
      { matterId: matter.id, kind: 'jurisdiction_transfer', note: '该事项已赋权龙洲街道' },
      await token('zfj.officer'),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      state: 'delivered',
      to: { code: 'XZ-LZ' },
      routingRule: 'delegated_township',
    });
    const referralId = created.body.id;

    const arrived = await township.next<ReferralChangedEvent>(
      SocketEvent.ReferralDelivered,
      (e) => e.referralId === referralId,
    );
    expect(arrived).toMatchObject({ state: 'delivered', matterNumber: matter.number, toAgencyId: id('XZ-LZ') });
    expect(typeof arrived.eventId).toBe('number');

    // The township's inbox has it, with a badge count; the receiver may sign or return it.
    const inbox = await app.http.get<ReferralList>('/api/referrals/inbox', await token('lz.staff'));
    expect(inbox.body.referrals.map((r) => r.id)).toContain(referralId);
    expect(inbox.body.counts.delivered).toBeGreaterThanOrEqual(1);
    expect(inbox.body.referrals.find((r) => r.id === referralId)?.allowedActions).toEqual(['sign']);

    // Illegal or incomplete actions say why.
    const early = await act('lz.staff', referralId, 'conclude', { outcome: 'penalty_decided', outcomeText: 'x' });
    expect(early.status).toBe(409);
    expect(early.body as unknown).toMatchObject({
      statusCode: 409,
      details: expect.arrayContaining([{ field: 'state', message: 'delivered' }]),
    });
    const bureauCannotSign = await act('zfj.officer', referralId, 'sign');
    expect(bureauCannotSign.status).toBe(403);

    expect((await act('lz.staff', referralId, 'sign')).body.state).toBe('signed');
    await bureau.next<ReferralChangedEvent>(
      SocketEvent.ReferralChanged,
      (e) => e.referralId === referralId && e.state === 'signed',
    );

    const incomplete = await act('lz.staff', referralId, 'return', { reasonCode: 'not_our_jurisdiction' });
    expect(incomplete.status).toBe(400);
    expect((incomplete.body as unknown as { details: { field: string }[] }).details.map((d) => d.field).sort()).toEqual(
      ['boundaryClause', 'reasonText'],
    );

    const returned = await act('lz.staff', referralId, 'return', {
      reasonCode: 'not_our_jurisdiction',
      reasonText: '该地块属城区中队辖区，不在本街道赋权范围',
      boundaryClause: '赋权目录第 3 项仅限街道建成区范围',
    });
    expect(returned.body.state).toBe('returned');
    await bureau.next<ReferralChangedEvent>(
      SocketEvent.ReferralChanged,
      (e) => e.referralId === referralId && e.state === 'returned',
    );

    // The bureau re-routes: the catalogue still says 龙洲街道.
    const rerouted = await act('zfj.officer', referralId, 'reroute', { note: '经核实地块在赋权范围内' });
    expect(rerouted.body).toMatchObject({ state: 'delivered', to: { code: 'XZ-LZ' } });
    await act('lz.staff', referralId, 'sign');
    const second = await act('lz.staff', referralId, 'return', {
      reasonCode: 'not_our_jurisdiction',
      reasonText: '仍不属本街道管辖',
      boundaryClause: '赋权目录第 3 项',
    });
    expect(second.body.state).toBe('returned');

    const opened = await guidance.next<DisputeOpenedEvent>(SocketEvent.DisputeOpened, (e) => e.matterId === matter.id);
    expect(opened).toMatchObject({ pattern: 'both_refuse', guidanceOfficeId: id('ZDB') });
    expect([opened.agencyAId, opened.agencyBId].sort()).toEqual([id('ZFJ'), id('XZ-LZ')].sort());
    const disputes = await query<{ n: string }>(
      app.databaseUrl,
      'select count(*) n from responsibility_dispute where matter_id = $1',
      [matter.id],
    );
    expect(disputes[0]?.n).toBe('1');

    // The timeline has every step, who and from which state.
    const timeline = await app.http.get<TimelineEntryView[]>(
      `/api/matters/${matter.id}/timeline`,
      await token('zfj.officer'),
    );
    expect(timeline.body.map((e) => [e.action, e.fromState, e.toState])).toEqual([
      ['matter.created', null, null],
      ['referral.created', null, 'draft'],
      ['referral.submit', 'draft', 'delivered'],
      ['referral.sign', 'delivered', 'signed'],
      ['referral.return', 'signed', 'returned'],
      ['referral.reroute', 'returned', 'delivered'],
      ['referral.sign', 'delivered', 'signed'],
      ['referral.return', 'signed', 'returned'],
      ['dispute.opened', null, null],
    ]);
    expect(timeline.body[4]).toMatchObject({ actor: { displayName: '祝小芳' }, agency: { code: 'XZ-LZ' } });
    expect(timeline.body[4]?.detail).toMatchObject({
      reasonCode: 'not_our_jurisdiction',
      boundaryClause: '赋权目录第 3 项仅限街道建成区范围',
    });

    // Each change reached the township once: events carry ids and none repeats.
    const ids = (township.events.get(SocketEvent.ReferralChanged) as ReferralChangedEvent[]).map((e) => e.eventId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is invisible to agencies not on it (404), and to prosecutors unless the matter is flagged', async () => {
    const matter = await newMatter('zfj.officer', 'XZ-LZ');
    const referral = (
      await app.http.post<ReferralView>(
        '/api/referrals',
        { matterId: matter.id, kind: 'jurisdiction_transfer' },
        await token('zfj.officer'),
      )
    ).body;
    for (const outsider of ['dh.staff', 'gaj.liaison', 'jcy.prosecutor']) {
      expect({
        outsider,
        status: (await app.http.get(`/api/referrals/${referral.id}`, await token(outsider))).status,
      }).toEqual({
        outsider,
        status: 404,
      });
      expect((await app.http.get(`/api/matters/${matter.id}/timeline`, await token(outsider))).status).toBe(404);
      expect((await act(outsider, referral.id, 'sign')).status).toBe(404);
    }
    expect((await app.http.get(`/api/referrals/${referral.id}`, await token('lz.staff'))).status).toBe(200);
    expect((await app.http.get(`/api/referrals/${referral.id}`, await token('auditor'))).status).toBe(200);
    const dhInbox = await app.http.get<ReferralList>('/api/referrals/inbox', await token('dh.staff'));
    expect(dhInbox.body.referrals.map((r) => r.id)).not.toContain(referral.id);
  });
});

describe('a major/difficult matter (重大疑难)', () => {
  it('is concluded only after its collective discussion and an approving legal review are recorded', async () => {
    const matter = await newMatter('zfj.officer', 'XZ-LZ', { majorDifficult: true });
    const created = await app.http.post<ReferralView>(
      '/api/referrals',
      { matterId: matter.id, kind: 'jurisdiction_transfer' },
      await token('zfj.officer'),
    );
    const referralId = created.body.id;
    for (const step of ['sign', 'accept', 'start']) expect((await act('lz.staff', referralId, step)).status).toBe(200);
    const conclusion = { outcome: 'penalty_decided', outcomeText: '责令改正并处罚款 5000 元' };
    const missingOf = (body: unknown) =>
      ((body as { details: { field: string }[] }).details ?? []).map((d) => d.field).filter((f) => f !== 'state');

    const bare = await act('lz.staff', referralId, 'conclude', conclusion);
    expect(bare.status).toBe(409);
    expect(missingOf(bare.body)).toEqual(['collectiveDiscussion', 'legalReview']);
    expect(bare.body as unknown).toMatchObject({
      details: expect.arrayContaining([{ field: 'state', message: 'in_progress' }]),
    });

    const post = async (username: string, what: string, body: unknown) =>
      app.http.post<TimelineEntryView[]>(`/api/matters/${matter.id}/${what}`, body, await token(username));
    const badDiscussion = await post('lz.staff', 'collective-discussions', {
      heldOn: '2026-13-01',
      attendees: ['祝小芳'],
    });
    expect(badDiscussion.status).toBe(400);
    expect(missingOf(badDiscussion.body).sort()).toEqual(['attendees', 'decision', 'heldOn']);
    const discussion = {
      heldOn: '2026-11-30',
      attendees: ['傅建平', '祝小芳', '程琳'],
      decision: '经集体讨论，同意对当事人处以罚款 5000 元。',
    };
    expect((await post('dh.staff', 'collective-discussions', discussion)).status).toBe(404);
    expect((await post('lz.staff', 'collective-discussions', discussion)).status).toBe(201);
    expect(missingOf((await act('lz.staff', referralId, 'conclude', conclusion)).body)).toEqual(['legalReview']);

    // Only a legal reviewer reviews, and a rejection does not count.
    const review = { conclusion: 'rejected', opinion: '罚款数额缺少裁量依据，请补充。' };
    expect((await post('zfj.officer', 'legal-reviews', review)).status).toBe(403);
    expect((await post('zfj.legal', 'legal-reviews', review)).status).toBe(201);
    expect(missingOf((await act('lz.staff', referralId, 'conclude', conclusion)).body)).toEqual(['legalReview']);
    const approved = await post('zfj.legal', 'legal-reviews', {
      conclusion: 'approved',
      opinion: '事实清楚，证据确凿，适用法律正确，程序合法，裁量适当。',
    });
    expect(approved.status).toBe(201);
    expect(
      approved.body
        .filter((e) => /^matter\.(collective_discussion|legal_review)$/.test(e.action))
        .map((e) => [e.action, e.detail.conclusion]),
    ).toEqual([
      ['matter.collective_discussion', undefined],
      ['matter.legal_review', 'rejected'],
      ['matter.legal_review', 'approved'],
    ]);
    expect(approved.body.find((e) => e.action === 'matter.collective_discussion')?.detail).toMatchObject(discussion);

    expect((await act('lz.staff', referralId, 'conclude', conclusion)).body.state).toBe('concluded');
  });
});

describe('a suspected-crime transfer', () => {
  it('needs the bureau head’s sign-off, reaches public security, and keeps the procuratorate informed', async () => {
    const police = await listen('gaj.liaison');
    const procuratorate = await listen('jcy.prosecutor');
    const matter = await newMatter('zfj.officer', 'XZ-LZ', { suspectedCrime: true });
    const created = await app.http.post<ReferralView>(
      '/api/referrals',
      { matterId: matter.id, kind: 'suspected_crime_transfer' },
      await token('zfj.officer'),
    );
    expect(created.body).toMatchObject({ state: 'submitted', to: { code: 'GAJ' }, inform: [{ code: 'JCY' }] });
    expect((await act('zfj.officer', created.body.id, 'approve')).status).toBe(403);
    const approved = await act('zfj.head', created.body.id, 'approve');
    expect(approved.body.state).toBe('delivered');

    await police.next<ReferralChangedEvent>(SocketEvent.ReferralDelivered, (e) => e.referralId === created.body.id);
    const informed = await procuratorate.next<ReferralChangedEvent>(
      SocketEvent.ReferralChanged,
      (e) => e.referralId === created.body.id && e.state === 'delivered',
    );
    expect(informed.informAgencyIds).toEqual([id('JCY')]);
    // The procuratorate reads it (informed and flagged), but it is not a side and cannot act.
    expect((await app.http.get(`/api/referrals/${created.body.id}`, await token('jcy.prosecutor'))).status).toBe(200);
    expect((await act('jcy.prosecutor', created.body.id, 'sign')).status).toBe(403);
    const viewed = await app.http.get<MatterView>(`/api/matters/${matter.id}`, await token('gaj.liaison'));
    expect(viewed.body.agencies.map((a) => [a.code, a.role])).toEqual([
      ['ZFJ', 'origin'],
      ['GAJ', 'receiver'],
      ['JCY', 'informed'],
    ]);
  });
});

describe('creating', () => {
  it('honours Idempotency-Key: a retried POST returns the first referral and creates no second', async () => {
    const matter = await newMatter('zfj.officer', 'XZ-LZ');
    const send = () =>
      app.http.request<ReferralView>('POST', '/api/referrals', {
        token: tokens.get('zfj.officer') ?? '',
        body: { matterId: matter.id, kind: 'jurisdiction_transfer' },
        headers: { 'idempotency-key': `retry-${matter.id}` },
      });
    const [a, b] = await Promise.all([send(), send()]);
    const c = await send();
    expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);
    expect(new Set([a.body.id, b.body.id, c.body.id]).size).toBe(1);
    const rows = await query<{ n: string }>(app.databaseUrl, 'select count(*) n from referral where matter_id = $1', [
      matter.id,
    ]);
    expect(rows[0]?.n).toBe('1');
    const reused = await app.http.request('POST', '/api/referrals', {
      token: tokens.get('zfj.officer') ?? '',
      body: { matterId: matter.id, kind: 'police_assistance' },
      headers: { 'idempotency-key': `retry-${matter.id}` },
    });
    expect(reused.status).toBe(409);
  });

  it('answers each of many creates arriving together on its own: refused ones write nothing, the rest are delivered once each', async () => {
    const township = await listen('lz.staff');
    const matters = await Promise.all(Array.from({ length: 12 }, () => newMatter('zfj.officer', 'XZ-LZ')));
    const [shared, hidden] = [matters[0]!, await newMatter('cq.officer', 'XZ-LZ')];
    const officer = await token('zfj.officer');
    const post = (body: Record<string, unknown>) => app.http.post<ReferralView>('/api/referrals', body, officer);
    const good: Record<string, unknown>[] = [
      ...matters.map((m) => ({ matterId: m.id, kind: 'jurisdiction_transfer' })),
      // a second referral on the same matter, in the same moment: the township joins the matter once
      { matterId: shared.id, kind: 'jurisdiction_transfer', note: '同一案件的第二次移送' },
      { matterId: matters[1]!.id, kind: 'jurisdiction_transfer', submit: false },
    ];
    const bad: [Record<string, unknown>, number, string | null][] = [
      [{ matterId: '00000000-0000-4000-8000-000000000000', kind: 'jurisdiction_transfer' }, 404, null],
      [{ matterId: hidden.id, kind: 'jurisdiction_transfer' }, 404, null],
      [{ matterId: matters[2]!.id, kind: 'jurisdiction_transfer', toAgencyId: id('XZ-DH') }, 400, 'overrideReason'],
      [
        {
          matterId: matters[3]!.id,
          kind: 'jurisdiction_transfer',
          toAgencyId: id('ZFJ'),
          overrideReason: '理由充分说明',
        },
        400,
        'toAgencyId',
      ],
    ];
    const answers = await Promise.all([...good, ...bad.map(([body]) => body)].map(post));
    const created = answers.slice(0, good.length);
    expect(created.map((a) => a.status)).toEqual(good.map(() => 201));
    expect(created.map((a) => a.body.state)).toEqual(good.map((g) => (g.submit === false ? 'draft' : 'delivered')));
    expect(new Set(created.map((a) => a.body.id)).size).toBe(good.length);
    answers.slice(good.length).forEach((a, i) => {
      const [, status, field] = bad[i]!;
      expect(a.status).toBe(status);
      if (field)
        expect((a.body as unknown as { details: { field: string }[] }).details.map((d) => d.field)).toContain(field);
    });
    // Each answer is what a later read returns.
    for (const a of created)
      expect((await app.http.get<ReferralView>(`/api/referrals/${a.body.id}`, officer)).body).toEqual(a.body);

    const delivered = created.filter((a) => a.body.state === 'delivered').map((a) => a.body.id);
    for (const rid of delivered)
      await township.next<ReferralChangedEvent>(SocketEvent.ReferralDelivered, (e) => e.referralId === rid);
    await new Promise((r) => setTimeout(r, 300));
    const arrivals = (township.events.get(SocketEvent.ReferralDelivered) as ReferralChangedEvent[]).map(
      (e) => e.referralId,
    );
    for (const rid of delivered) expect(arrivals.filter((x) => x === rid)).toHaveLength(1);

    const rows = await query<{ matter_id: string; referrals: string; joins: string; entries: string }>(
      app.databaseUrl,
      `select m.id matter_id,
              (select count(*) from referral r where r.matter_id = m.id) referrals,
              (select count(*) from matter_agency a where a.matter_id = m.id and a.role = 'receiver') joins,
              (select count(*) from timeline_entry t where t.matter_id = m.id and t.referral_id is not null) entries
         from matter m where m.id = any($1::uuid[])`,
      [[...matters, hidden].map((m) => m.id)],
    );
    const byMatter = new Map(rows.map((r) => [r.matter_id, r]));
    expect(byMatter.get(shared.id)).toMatchObject({ referrals: '2', joins: '1', entries: '4' });
    expect(byMatter.get(matters[1]!.id)).toMatchObject({ referrals: '2', joins: '1', entries: '3' });
    // the refused creates wrote nothing
    expect(byMatter.get(hidden.id)).toMatchObject({ referrals: '0', joins: '0', entries: '0' });
    expect(byMatter.get(matters[2]!.id)).toMatchObject({ referrals: '1', entries: '2' });
    // every create that was stored has its audit entry
    const audited = await query<{ n: string }>(
      app.databaseUrl,
      `select count(*) n from (select object_id from audit_pending where action = 'referral.create'
                               union all select object_id from audit_entry where action = 'referral.create') a
        where object_id = any($1::text[])`,
      [created.map((a) => a.body.id)],
    );
    expect(audited[0]?.n).toBe(String(good.length));

    // Each delivery posted its system message on its matter's channel (the posts of the delivery
    // jobs running together share a statement): one per delivered referral, and every channel's
    // positions contiguous, the matter with two referrals included.
    const channels = () =>
      query<{ matter_id: string; posts: string; last_seq: number; seqs: string; last_change: number; changes: string }>(
        app.databaseUrl,
        `select c.matter_id,
                (select count(*) from channel_message m where m.channel_id = c.id and m.kind = 'system'
                    and m.system->>'state' = 'delivered') posts,
                c.last_seq, (select count(distinct seq) from channel_message m where m.channel_id = c.id) seqs,
                c.last_change_seq last_change,
                (select count(distinct change_seq) from channel_change h where h.channel_id = c.id) changes
           from channel c where c.matter_id = any($1::uuid[])`,
        [matters.map((m) => m.id)],
      );
    const expected = new Map(matters.map((m) => [m.id, m.id === shared.id ? '2' : '1']));
    expected.set(matters[1]!.id, '1');
    await until(
      'every delivered referral has its system message',
      async () => (await channels()).every((c) => c.posts === expected.get(c.matter_id)),
      10_000,
    );
    for (const c of await channels()) {
      expect(Number(c.seqs)).toBe(c.last_seq);
      expect(Number(c.changes)).toBe(c.last_change);
    }
  });

  it('requires a written reason to send somewhere other than the routing says, and records it', async () => {
    const matter = await newMatter('zfj.officer', 'XZ-LZ');
    const body = { matterId: matter.id, kind: 'jurisdiction_transfer', toAgencyId: id('XZ-DH') };
    const refused = await app.http.post('/api/referrals', body, await token('zfj.officer'));
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([{ field: 'overrideReason', message: expect.stringContaining('理由') }]);
    const ok = await app.http.post<ReferralView>(
      '/api/referrals',
      { ...body, overrideReason: '当事人经营场所实际位于东华街道' },
      await token('zfj.officer'),
    );
    expect(ok.body).toMatchObject({
      to: { code: 'XZ-DH' },
      routingRule: 'override',
      overrideReason: '当事人经营场所实际位于东华街道',
    });
  });

  it('names every bad field of a matter, and writes nothing', async () => {
    const before = await query<{ n: string }>(app.databaseUrl, 'select count(*) n from matter');
    const res = await app.http.post(
      '/api/matters',
      {
        itemCode: '',
        township: 'XZ-LZ',
        place: '',
        party: { kind: 'robot', name: '' },
        procedure: 'fast',
        summary: '',
      },
      await token('zfj.officer'),
    );
    expect(res.status).toBe(400);
    expect((res.body.details as { field: string }[]).map((d) => d.field).sort()).toEqual(
      ['itemCode', 'party.kind', 'party.name', 'place', 'procedure', 'summary'].sort(),
    );
    expect(await query<{ n: string }>(app.databaseUrl, 'select count(*) n from matter')).toEqual(before);
  });
});

describe('the matters my agency is on (GET /api/matters)', () => {
  const open = async (partyName: string): Promise<MatterView> => {
    const res = await app.http.post<MatterView>(
      '/api/matters',
      {
        itemCode: await delegatedItemCode(app.http, await token('zfj.officer')),
        township: 'XZ-LZ',
        place: '龙洲街道兴龙北路 18 号',
        party: { kind: 'company', name: partyName, idNumber: '91330825MA2DXXXX1X' },
        procedure: 'general',
        summary: '店招店牌设置不规范，限期整改未改。',
      },
      await token('zfj.officer'),
    );
    expect(res.status).toBe(201);
    return res.body;
  };
  const mine = async (username: string, q = '') =>
    (await app.http.get<MatterList>(`/api/matters${q}`, await token(username))).body;

  it('lists the origin’s matters and those an agency joined by a referral, newest first, searchable, and no one else’s', async () => {
    const kept = await open('龙游县蓝海广告有限公司');
    const referred = await open('龙游县青禾餐饮管理有限公司');
    const ids = (l: MatterList) => l.matters.map((m) => m.id);

    const bureau = await mine('zfj.officer');
    expect(ids(bureau).slice(0, 2)).toEqual([referred.id, kept.id]);
    expect(bureau.matters[0]).toMatchObject({ number: referred.number, partyName: '龙游县青禾餐饮管理有限公司' });
    // The township is on neither until a referral brings it in.
    expect(ids(await mine('lz.staff'))).not.toContain(referred.id);
    const sent = await app.http.post<ReferralView>(
      '/api/referrals',
      { matterId: referred.id, kind: 'jurisdiction_transfer' },
      await token('zfj.officer'),
    );
    expect(sent.status).toBe(201);
    const township = await mine('lz.staff');
    expect(ids(township)).toContain(referred.id);
    expect(ids(township)).not.toContain(kept.id);
    for (const outsider of ['dh.staff', 'gaj.liaison', 'jcy.prosecutor'])
      expect({ outsider, ids: ids(await mine(outsider)) }).toEqual({
        outsider,
        ids: expect.not.arrayContaining([kept.id, referred.id]) as unknown,
      });

    const byParty = await mine('zfj.officer', `?q=${encodeURIComponent('蓝海广告')}`);
    expect({ total: byParty.total, ids: ids(byParty) }).toEqual({ total: 1, ids: [kept.id] });
    const byNumber = await mine('zfj.officer', `?q=${encodeURIComponent(kept.number)}`);
    expect(ids(byNumber)).toEqual([kept.id]);
    // A wildcard typed by the user is a character, not a pattern.
    expect((await mine('zfj.officer', `?q=${encodeURIComponent('%')}`)).total).toBe(0);
    const paged = await mine('zfj.officer', '?limit=1&offset=1');
    expect(ids(paged)).toEqual([kept.id]);
    expect(paged.total).toBe(bureau.total);
  });

  it('names a bad paging field', async () => {
    const res = await app.http.get<{ details: { field: string }[] }>(
      '/api/matters?limit=0',
      await token('zfj.officer'),
    );
    expect(res.status).toBe(400);
    expect(res.body.details.map((d) => d.field)).toContain('limit');
  });
});
