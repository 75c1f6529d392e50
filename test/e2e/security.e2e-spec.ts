import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import {
  EditMessagePayload,
  MarkReadPayload,
  MessageRefPayload,
  PresencePayload,
  Role,
  SendMessagePayload,
  SocketEvent,
  SyncPayload,
  TypingPayload,
  type ChannelView,
  type ClientToServerEvents,
  type EnforcementView,
  type MatterView,
  type MessageAck,
  type ReferralView,
  type ServerToClientEvents,
  type SocketAck,
  type UserSummary,
} from '@xietong/shared';
import { io } from 'socket.io-client';
import type { z } from 'zod';
import { bootApp, connectSocket, DEMO_PASSWORD, nextEvent, type ClientSocket, type TestApp } from '../support/app.js';
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

beforeAll(async () => {
  // info: every request is logged, so the redaction test has something to read.
  // The fuzzers send hundreds of events from one socket as fast as acks come back: the per-socket
  // flood limit (tested in socket-flood.e2e-spec.ts) would answer them RATE_LIMITED.
  app = await bootApp({ env: { LOG_LEVEL: 'info', SOCKET_EVENT_RATE: '10000', SOCKET_EVENT_BURST: '10000' } });
});
afterAll(async () => {
  await app?.close();
});

/** One demo user per role (and a second case officer in an agency on none of the matters). */
const PEOPLE: { user: string; role: Role; agency: string }[] = [
  { user: 'zfj.liaison', role: Role.LiaisonOfficer, agency: 'ZFJ' },
  { user: 'zfj.officer', role: Role.CaseOfficer, agency: 'ZFJ' },
  { user: 'gaj.officer', role: Role.CaseOfficer, agency: 'GAJ' },
  { user: 'zfj.head', role: Role.AgencyHead, agency: 'ZFJ' },
  { user: 'zfj.legal', role: Role.LegalReviewer, agency: 'ZFJ' },
  { user: 'zfj.discipline', role: Role.DisciplineContact, agency: 'ZFJ' },
  { user: 'lz.staff', role: Role.TownshipStaff, agency: 'XZ-LZ' },
  { user: 'jcy.prosecutor', role: Role.Prosecutor, agency: 'JCY' },
  { user: 'fy.clerk', role: Role.CourtClerk, agency: 'FY' },
  { user: 'zdb.arbiter', role: Role.GuidanceArbiter, agency: 'ZDB' },
  { user: 'zfj.admin', role: Role.AgencyAdmin, agency: 'ZFJ' },
  { user: 'sysadmin', role: Role.SystemAdmin, agency: 'ZFJ' },
  { user: 'auditor', role: Role.Auditor, agency: 'ZFJ' },
];

type Relation = 'own' | 'other party' | 'unrelated';
interface Fixture {
  label: string;
  origin: string;
  parties: string[];
  flagged: boolean;
  matter?: MatterView;
  referral?: ReferralView;
  /** the matter's channel, and a message its opener posted there */
  channelId?: string;
  messageId?: string;
  /** an enforcement application drafted on it (the bureau's own matter only: it applies to the court) */
  enforcement?: EnforcementView;
}
/**
 * The matters of the matrix: opened by the bureau and referred to 龙洲街道; opened by 龙洲街道 and
 * referred to the bureau; two of 湖镇镇's own, one flagged for the procuratorate.
 */
const FIXTURES: Fixture[] = [
  { label: 'ZFJ→XZ-LZ', origin: 'ZFJ', parties: ['ZFJ', 'XZ-LZ'], flagged: false },
  { label: 'XZ-LZ→ZFJ', origin: 'XZ-LZ', parties: ['XZ-LZ', 'ZFJ'], flagged: false },
  { label: 'XZ-HZ flagged', origin: 'XZ-HZ', parties: ['XZ-HZ'], flagged: true },
  { label: 'XZ-HZ', origin: 'XZ-HZ', parties: ['XZ-HZ'], flagged: false },
];
const OPENER: Record<string, string> = { ZFJ: 'zfj.officer', 'XZ-LZ': 'lz.staff', 'XZ-HZ': 'hz.staff' };

const relation = (agency: string, f: Fixture): Relation =>
  f.origin === agency ? 'own' : f.parties.includes(agency) ? 'other party' : 'unrelated';

/** The expected answer, written from the rules in words, not read from the policy table. */
const mayReadMatter = (p: (typeof PEOPLE)[number], f: Fixture): boolean =>
  relation(p.agency, f) !== 'unrelated' ||
  p.role === Role.SystemAdmin ||
  p.role === Role.Auditor ||
  (p.role === Role.Prosecutor && f.flagged);

beforeAll(async () => {
  const agencies = (await app.http.get<{ id: string; code: string }[]>('/api/agencies', await token('sysadmin'))).body;
  const id = (code: string) => agencies.find((a) => a.code === code)?.id ?? '';
  const itemCode = await delegatedItemCode(app.http, await token('zfj.officer'));
  for (const f of FIXTURES) {
    const opener = await token(OPENER[f.origin] ?? '');
    const m = await app.http.post<MatterView>(
      '/api/matters',
      {
        itemCode,
        township: f.origin === 'XZ-HZ' ? 'XZ-HZ' : 'XZ-LZ',
        place: '矩阵测试地点',
        party: { kind: 'company', name: '龙游县测试有限公司' },
        procedure: 'general',
        flags: { majorDifficult: f.flagged },
        summary: '授权矩阵测试案件。',
      },
      opener,
    );
    expect(m.status).toBe(201);
    f.matter = m.body;
    const to = f.parties.find((p) => p !== f.origin);
    if (to) {
      const r = await app.http.post<ReferralView>(
        '/api/referrals',
        {
          matterId: m.body.id,
          kind: 'jurisdiction_transfer',
          toAgencyId: id(to),
          overrideReason: '授权矩阵测试指定接收单位',
        },
        opener,
      );
      expect(r.status).toBe(201);
      expect(r.body.state).toBe('delivered');
      f.referral = r.body;
    }
    const channel = await app.http.get<ChannelView>(`/api/matters/${m.body.id}/channel`, opener);
    expect(channel.status).toBe(200);
    f.channelId = channel.body.id;
    const socket = await connectSocket(app.url, opener);
    const sent = await emit<MessageAck>(socket, SocketEvent.ChannelSend, {
      channelId: f.channelId,
      clientId: randomUUID(),
      text: '矩阵测试消息：请各单位核实现场情况。',
    });
    socket.close();
    if (!sent.ok) throw new Error(JSON.stringify(sent.error));
    f.messageId = sent.data.id;
  }
  const f = FIXTURES[0] as Fixture;
  const e = await app.http.post<EnforcementView>(
    '/api/enforcements',
    { matterId: f.matter?.id, decisionNumber: '龙综执罚决字〔2026〕第 9 号' },
    await token('zfj.officer'),
  );
  expect(e.status).toBe(201);
  f.enforcement = e.body;
});

/** An event with its ack, as the web client sends it. */
const emit = async <T>(socket: ClientSocket, event: string, payload: unknown): Promise<SocketAck<T>> =>
  (await (socket.timeout(10_000) as unknown as ClientSocket).emitWithAck(
    event as typeof SocketEvent.Ping,
    payload,
  )) as unknown as SocketAck<T>;

/** A socket answer as the HTTP status the same refusal has over REST. */
const ackStatus = (ack: SocketAck<unknown>): number => {
  if (ack.ok) return 200;
  const codes: Record<string, number> = { Unauthorized: 401, Forbidden: 403, 'Not Found': 404, Conflict: 409 };
  return ack.error.code === 'Internal Server Error' ? 500 : (codes[ack.error.code] ?? 400);
};

const allowed = (status: number) => status !== 401 && status !== 403 && status !== 404;

describe('authorization matrix: role × object endpoint × own / other party / unrelated', () => {
  const OBJECT_ENDPOINTS: {
    name: string;
    /** the route or socket event whose object cells this row checks (the coverage test reads it) */
    route: string;
    call: (f: Fixture, t: string, socket: ClientSocket) => Promise<number> | null;
    /** who may, when it is not "those who may read the matter" */
    expected?: (p: (typeof PEOPLE)[number], f: Fixture) => boolean;
  }[] = [
    {
      name: 'GET matter',
      route: 'GET /api/matters/{matterId}',
      call: (f, t) => app.http.get(`/api/matters/${f.matter?.id}`, t).then((r) => r.status),
    },
    {
      name: 'GET timeline',
      route: 'GET /api/matters/{matterId}/timeline',
      call: (f, t) => app.http.get(`/api/matters/${f.matter?.id}/timeline`, t).then((r) => r.status),
    },
    {
      name: 'GET referral',
      route: 'GET /api/referrals/{referralId}',
      call: (f, t) => (f.referral ? app.http.get(`/api/referrals/${f.referral.id}`, t).then((r) => r.status) : null),
    },
    {
      name: 'GET attachments',
      route: 'GET /api/matters/{matterId}/attachments',
      call: (f, t) => app.http.get(`/api/matters/${f.matter?.id}/attachments`, t).then((r) => r.status),
    },
    {
      name: 'POST interference record from the matter',
      route: 'POST /api/interference-records',
      call: (f, t) =>
        app.http
          .post(
            '/api/interference-records',
            {
              matterId: f.matter?.id,
              personName: '某某',
              personPosition: '某单位负责人',
              occurredAt: '2026-11-30T10:00:00+08:00',
              method: 'in_person',
              content: '矩阵测试',
            },
            t,
          )
          .then((r) => r.status),
    },
    {
      name: 'GET enforcement application',
      route: 'GET /api/enforcements/{applicationId}',
      call: (f, t) =>
        f.enforcement ? app.http.get(`/api/enforcements/${f.enforcement.id}`, t).then((r) => r.status) : null,
    },
    {
      name: 'GET the matter channel',
      route: 'GET /api/matters/{matterId}/channel',
      call: (f, t) => app.http.get(`/api/matters/${f.matter?.id}/channel`, t).then((r) => r.status),
    },
    {
      name: 'GET channel',
      route: 'GET /api/channels/{channelId}',
      call: (f, t) => app.http.get(`/api/channels/${f.channelId}`, t).then((r) => r.status),
    },
    {
      name: 'GET channel history',
      route: 'GET /api/channels/{channelId}/messages',
      call: (f, t) => app.http.get(`/api/channels/${f.channelId}/messages`, t).then((r) => r.status),
    },
    {
      name: 'GET read receipts',
      route: 'GET /api/channels/{channelId}/messages/{messageId}/readers',
      call: (f, t) =>
        app.http.get(`/api/channels/${f.channelId}/messages/${f.messageId}/readers`, t).then((r) => r.status),
    },
    {
      name: 'GET message versions',
      route: 'GET /api/channels/{channelId}/messages/{messageId}/versions',
      call: (f, t) =>
        app.http.get(`/api/channels/${f.channelId}/messages/${f.messageId}/versions`, t).then((r) => r.status),
      // every version: the sender, and the oversight roles of the record (never other members)
      expected: (p, f) => p.user === OPENER[f.origin] || p.role === Role.Auditor || p.role === Role.SystemAdmin,
    },
    {
      name: 'rename the matter channel',
      route: 'PATCH /api/channels/{channelId}',
      call: (f, t) =>
        app.http.patch(`/api/channels/${f.channelId}`, { title: '矩阵测试改名' }, t).then((r) => r.status),
      // A matter channel has no creator and no member agencies of its own (they follow the matter):
      // only a system admin manages it.
      expected: (p) => p.role === Role.SystemAdmin,
    },
    {
      name: 'socket channel.sync',
      route: SocketEvent.ChannelSync,
      call: async (f, _t, socket) => {
        const ack = await emit<{ denied: string[] }>(socket, SocketEvent.ChannelSync, {
          cursors: [{ channelId: f.channelId, after: 0 }],
        });
        return ack.ok && ack.data.denied.length > 0 ? 404 : ackStatus(ack);
      },
    },
    {
      name: 'socket channel.send',
      route: SocketEvent.ChannelSend,
      call: async (f, _t, socket) =>
        ackStatus(
          await emit(socket, SocketEvent.ChannelSend, { channelId: f.channelId, clientId: randomUUID(), text: '矩阵' }),
        ),
      // members post; oversight reads only
      expected: (p, f) => relation(p.agency, f) !== 'unrelated',
    },
    {
      name: 'socket channel.read',
      route: SocketEvent.ChannelRead,
      call: async (f, _t, socket) =>
        ackStatus(await emit(socket, SocketEvent.ChannelRead, { channelId: f.channelId, seq: 1 })),
      expected: (p, f) => relation(p.agency, f) !== 'unrelated',
    },
    {
      name: 'socket channel.edit of the opener’s message',
      route: SocketEvent.ChannelEdit,
      call: async (f, _t, socket) =>
        ackStatus(
          await emit(socket, SocketEvent.ChannelEdit, {
            messageId: f.messageId,
            text: `矩阵测试消息（${randomUUID().slice(0, 8)} 修改）`,
          }),
        ),
      expected: (p, f) => p.user === OPENER[f.origin],
    },
    {
      name: 'socket channel.ack.close of the opener’s message (it asked for none: 400 for the sender)',
      route: SocketEvent.ChannelCloseAck,
      call: async (f, _t, socket) =>
        ackStatus(await emit(socket, SocketEvent.ChannelCloseAck, { messageId: f.messageId })),
      expected: (p, f) => p.user === OPENER[f.origin],
    },
    {
      name: 'socket channel.acknowledge (nobody was asked)',
      route: SocketEvent.ChannelAcknowledge,
      call: async (f, _t, socket) =>
        ackStatus(await emit(socket, SocketEvent.ChannelAcknowledge, { messageId: f.messageId })),
      expected: () => false,
    },
  ];

  for (const p of PEOPLE) {
    it(`${p.role} (${p.user})`, async () => {
      const t = await token(p.user);
      const socket = await connectSocket(app.url, t);
      const unexpected: string[] = [];
      for (const f of FIXTURES) {
        for (const e of OBJECT_ENDPOINTS) {
          const status = await e.call(f, t, socket);
          if (status === null) continue;
          expect(status).toBeLessThan(500);
          const expected = (e.expected ?? mayReadMatter)(p, f);
          if (allowed(status) !== expected)
            unexpected.push(
              `${e.name} on ${f.label} (${relation(p.agency, f)}): ${status}, expected ${expected ? 'allow' : 'deny'}`,
            );
        }
      }
      socket.close();
      expect(unexpected).toEqual([]);
    });
  }

  /**
   * Every REST route, with who may attempt it at all (the role gate), written from the rules in
   * words. Routes whose answer then depends on the object name the matrix that checks their cells
   * (above, or the capability's own spec for lifecycle actions that need a workflow in a given state).
   */
  const HEADS = [Role.CaseOfficer, Role.LiaisonOfficer, Role.TownshipStaff, Role.AgencyHead];
  const STATS = [Role.AgencyHead, Role.GuidanceArbiter, Role.SystemAdmin, Role.Auditor];
  const ROUTES: Record<string, { who: 'public' | 'signed-in' | Role[]; cells?: string }> = {
    'GET /api/health': { who: 'public' },
    'GET /api/metrics': { who: 'public' },
    'POST /api/auth/login': { who: 'public' },
    'POST /api/auth/refresh': { who: 'public' },
    'POST /api/auth/logout': { who: 'signed-in' },
    'GET /api/me': { who: 'signed-in' },
    'POST /api/auth/dashboard-session': { who: [Role.SystemAdmin] },
    'GET /api/agencies': { who: 'signed-in' },
    'GET /api/agencies/{agencyId}/users': {
      who: [Role.AgencyAdmin, Role.SystemAdmin, Role.Auditor],
      cells: 'users-policy.e2e-spec.ts',
    },
    'POST /api/agencies/{agencyId}/users': {
      who: [Role.AgencyAdmin, Role.SystemAdmin],
      cells: 'users-policy.e2e-spec.ts',
    },
    'PATCH /api/users/{userId}': { who: [Role.AgencyAdmin, Role.SystemAdmin], cells: 'users-policy.e2e-spec.ts' },
    'GET /api/catalogue/items': { who: 'signed-in' },
    'GET /api/catalogue/items/{code}': { who: 'signed-in' },
    'GET /api/catalogue/items/{code}/responsibility': { who: 'signed-in' },
    'GET /api/catalogue/items/{code}/route': { who: 'signed-in' },
    'POST /api/catalogue/items/{code}/versions': { who: [Role.GuidanceArbiter, Role.SystemAdmin] },
    'POST /api/catalogue/items/{code}/delegations': { who: [Role.GuidanceArbiter, Role.SystemAdmin] },
    'GET /api/catalogue/blind-spots': { who: 'signed-in' },
    'POST /api/catalogue/import': { who: [Role.GuidanceArbiter, Role.SystemAdmin] },
    'GET /api/catalogue/export': { who: 'signed-in' },
    'GET /api/calendar/years': { who: 'signed-in' },
    'PUT /api/calendar/years': { who: [Role.SystemAdmin, Role.GuidanceArbiter] },
    'GET /api/clocks/rules': { who: 'signed-in' },
    'PUT /api/clocks/rules/{code}': { who: [Role.SystemAdmin, Role.GuidanceArbiter] },
    'POST /api/referrals/{referralId}/clocks/{clockId}/extension-request': {
      who: 'signed-in',
      cells: 'clocks.e2e-spec.ts',
    },
    'POST /api/referrals/{referralId}/clocks/{clockId}/extension-decision': {
      who: 'signed-in',
      cells: 'clocks.e2e-spec.ts',
    },
    'POST /api/matters': { who: HEADS },
    'GET /api/matters': { who: 'signed-in', cells: 'referrals.e2e-spec.ts' },
    'GET /api/matters/{matterId}': { who: 'signed-in', cells: 'matrix' },
    'GET /api/matters/{matterId}/timeline': { who: 'signed-in', cells: 'matrix' },
    'POST /api/matters/{matterId}/attachments': { who: 'signed-in', cells: 'attachments.e2e-spec.ts' },
    'GET /api/matters/{matterId}/attachments': { who: 'signed-in', cells: 'matrix' },
    'POST /api/matters/{matterId}/collective-discussions': {
      who: [Role.AgencyHead, Role.CaseOfficer, Role.LiaisonOfficer, Role.TownshipStaff],
      cells: 'referrals.e2e-spec.ts',
    },
    'POST /api/matters/{matterId}/legal-reviews': { who: [Role.LegalReviewer], cells: 'referrals.e2e-spec.ts' },
    'GET /api/attachments/{attachmentId}': { who: 'signed-in', cells: 'attachments.e2e-spec.ts' },
    'POST /api/referrals': { who: HEADS },
    'GET /api/referrals/inbox': { who: 'signed-in' },
    'GET /api/referrals/outbox': { who: 'signed-in' },
    'GET /api/referrals/{referralId}': { who: 'signed-in', cells: 'matrix' },
    'POST /api/referrals/{referralId}/actions/{action}': { who: 'signed-in', cells: 'matrix (acting on a referral)' },
    'POST /api/disputes': { who: HEADS, cells: 'disputes.e2e-spec.ts' },
    'GET /api/disputes': { who: 'signed-in' },
    'GET /api/disputes/stats': { who: [Role.GuidanceArbiter, Role.AgencyHead, Role.Auditor, Role.SystemAdmin] },
    'GET /api/disputes/{disputeId}': { who: 'signed-in', cells: 'disputes.e2e-spec.ts' },
    'POST /api/disputes/{disputeId}/actions/{action}': { who: 'signed-in', cells: 'disputes.e2e-spec.ts' },
    'GET /api/reviews/queue': { who: [Role.Prosecutor] },
    'POST /api/matters/{matterId}/reviews': { who: [Role.Prosecutor], cells: 'reviews.e2e-spec.ts' },
    'GET /api/reviews': { who: 'signed-in' },
    'GET /api/reviews/{reviewId}': { who: 'signed-in', cells: 'reviews.e2e-spec.ts' },
    'POST /api/reviews/{reviewId}/actions/{action}': { who: 'signed-in', cells: 'reviews.e2e-spec.ts' },
    'POST /api/enforcements': { who: [Role.CaseOfficer, Role.LiaisonOfficer, Role.AgencyHead] },
    'GET /api/enforcements': { who: 'signed-in' },
    'GET /api/enforcements/{applicationId}': { who: 'signed-in', cells: 'matrix' },
    'POST /api/enforcements/{applicationId}/actions/{action}': { who: 'signed-in', cells: 'enforcement.e2e-spec.ts' },
    'POST /api/interviews': { who: HEADS, cells: 'interviews.e2e-spec.ts' },
    'GET /api/interviews': { who: 'signed-in' },
    'GET /api/interviews/{interviewId}': { who: 'signed-in', cells: 'interviews.e2e-spec.ts' },
    'GET /api/interviews/{interviewId}/invitation.ics': { who: 'signed-in', cells: 'interviews.e2e-spec.ts' },
    'POST /api/interviews/{interviewId}/actions/{action}': { who: 'signed-in', cells: 'interviews.e2e-spec.ts' },
    'GET /api/notifications': { who: 'signed-in' },
    'POST /api/notifications/{notificationId}/read': { who: 'signed-in', cells: 'notifications.e2e-spec.ts' },
    'POST /api/webhooks': { who: [Role.AgencyAdmin, Role.SystemAdmin] },
    'GET /api/webhooks': { who: [Role.AgencyAdmin, Role.SystemAdmin] },
    'GET /api/webhooks/{webhookId}/deliveries': {
      who: [Role.AgencyAdmin, Role.SystemAdmin],
      cells: 'notifications.e2e-spec.ts',
    },
    'GET /api/audit/verify': { who: [Role.Auditor] },
    'GET /api/audit/entries': { who: [Role.Auditor] },
    'GET /api/audit/export': { who: [Role.Auditor] },
    'POST /api/interference-records': { who: 'signed-in', cells: 'matrix' },
    'GET /api/interference-records': { who: [Role.DisciplineContact, Role.Auditor] },
    'GET /api/interference-records/reports/quarterly': { who: [Role.DisciplineContact, Role.Auditor] },
    'GET /api/interference-records/{id}': { who: [Role.DisciplineContact, Role.Auditor], cells: 'record.e2e-spec.ts' },
    'GET /api/disclosures': {
      who: [Role.LegalReviewer, Role.AgencyHead, Role.AgencyAdmin, Role.SystemAdmin, Role.Auditor],
    },
    'POST /api/disclosures/{id}/publish': {
      who: [Role.LegalReviewer, Role.AgencyHead, Role.AgencyAdmin, Role.SystemAdmin],
      cells: 'record.e2e-spec.ts',
    },
    'POST /api/disclosures/{id}/withdraw': {
      who: [Role.LegalReviewer, Role.AgencyHead, Role.AgencyAdmin, Role.SystemAdmin],
      cells: 'record.e2e-spec.ts',
    },
    'GET /api/public/disclosures': { who: 'public' },
    'GET /api/public/disclosures/page': { who: 'public' },
    'GET /api/statistics': { who: STATS, cells: 'statistics.e2e-spec.ts' },
    'POST /api/statistics/refresh': { who: [Role.SystemAdmin, Role.GuidanceArbiter] },
    'GET /api/reports/annual': { who: STATS, cells: 'statistics.e2e-spec.ts' },
    'GET /api/channels': { who: 'signed-in' },
    'POST /api/channels': { who: 'signed-in', cells: 'channels.e2e-spec.ts (CREATE_ROLES per kind)' },
    'GET /api/channels/search': { who: 'signed-in' },
    'GET /api/matters/{matterId}/channel': { who: 'signed-in', cells: 'matrix' },
    'GET /api/channels/{channelId}': { who: 'signed-in', cells: 'matrix' },
    'PATCH /api/channels/{channelId}': { who: 'signed-in', cells: 'matrix' },
    'POST /api/channels/{channelId}/members': { who: 'signed-in', cells: 'channels.e2e-spec.ts' },
    'GET /api/channels/{channelId}/messages': { who: 'signed-in', cells: 'matrix' },
    'GET /api/channels/{channelId}/messages/{messageId}/readers': { who: 'signed-in', cells: 'matrix' },
    'GET /api/channels/{channelId}/messages/{messageId}/versions': { who: 'signed-in', cells: 'matrix' },
  };
  /** Every client→server socket event (the compiler holds this to the event map), and the matrix row that checks it. */
  const SOCKET_EVENTS: Record<keyof ClientToServerEvents, { cells: string }> = {
    [SocketEvent.Ping]: { cells: 'every role (below)' },
    [SocketEvent.ChannelSend]: { cells: 'matrix' },
    [SocketEvent.ChannelEdit]: { cells: 'matrix' },
    [SocketEvent.ChannelRetract]: { cells: 'channels.e2e-spec.ts (sender only, as edit)' },
    [SocketEvent.ChannelRead]: { cells: 'matrix' },
    [SocketEvent.ChannelAcknowledge]: { cells: 'matrix' },
    [SocketEvent.ChannelCloseAck]: { cells: 'matrix' },
    [SocketEvent.ChannelSync]: { cells: 'matrix' },
    [SocketEvent.ChannelTyping]: { cells: 'fuzzing (below): a channel one may not read answers 404' },
    [SocketEvent.PresenceSet]: { cells: 'one’s own presence: no object' },
  };
  /** Server→client only: a client emitting them reaches no handler. */
  const SERVER_EVENTS: Record<Exclude<keyof ServerToClientEvents, keyof ClientToServerEvents>, true> = {
    [SocketEvent.Welcome]: true,
    [SocketEvent.SessionRevoked]: true,
    [SocketEvent.SessionResync]: true,
    [SocketEvent.CatalogueChanged]: true,
    [SocketEvent.CatalogueImportProgress]: true,
    [SocketEvent.ReferralChanged]: true,
    [SocketEvent.ReferralDelivered]: true,
    [SocketEvent.DisputeOpened]: true,
    [SocketEvent.ClockChanged]: true,
    [SocketEvent.DisputeChanged]: true,
    [SocketEvent.ReviewChanged]: true,
    [SocketEvent.EnforcementChanged]: true,
    [SocketEvent.InterviewChanged]: true,
    [SocketEvent.WorkflowClockChanged]: true,
    [SocketEvent.ChannelChange]: true,
    [SocketEvent.PresenceChanged]: true,
  };

  it('lists every REST route the app serves and every socket event, and nothing that is not served', async () => {
    const doc = await app.http.get<{ paths: Record<string, Record<string, unknown>> }>('/api/docs-json');
    expect(doc.status).toBe(200);
    const served = Object.entries(doc.body.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    // The Prometheus scrape is the one controller kept out of the API document (@ApiExcludeController).
    served.push('GET /api/metrics');
    expect({ notInTheMatrix: served.filter((r) => !(r in ROUTES)) }).toEqual({ notInTheMatrix: [] });
    expect({ notServed: Object.keys(ROUTES).filter((r) => !served.includes(r)) }).toEqual({ notServed: [] });
    // Each object-scoped cell named "matrix" is one the matrix above actually runs.
    const inMatrix = new Set(OBJECT_ENDPOINTS.map((e) => e.route));
    const claimed = [...Object.entries(ROUTES), ...Object.entries(SOCKET_EVENTS)].filter(
      ([, r]) => r.cells === 'matrix',
    );
    expect(claimed.map(([k]) => k).filter((k) => !inMatrix.has(k))).toEqual([]);
    // Every event name of the contract is either handled (client→server) or server→client only.
    const events = Object.values(SocketEvent);
    expect(events.filter((e) => !(e in SOCKET_EVENTS) && !(e in SERVER_EVENTS))).toEqual([]);
  });

  const probe = (route: string): { method: string; path: string } => {
    const [method = 'GET', path = ''] = route.split(' ');
    return {
      method,
      path: path.replace(/\{(\w+)\}/g, (_, name: string) =>
        name === 'code' ? 'NONE' : name === 'action' ? 'close' : '00000000-0000-4000-8000-000000000000',
      ),
    };
  };

  it.each(Object.keys(ROUTES))(
    '%s: the role gate lets exactly the listed roles try, nobody without a session',
    async (route) => {
      const rule = ROUTES[route] as (typeof ROUTES)[string];
      const { method, path } = probe(route);
      const body = method === 'GET' ? {} : { body: {} };
      const unexpected: string[] = [];
      if (rule.who !== 'public') {
        for (const p of PEOPLE) {
          // Signing out ends the session: a fresh one, not the shared token.
          const t =
            route === 'POST /api/auth/logout' ? (await app.http.login(p.user)).accessToken : await token(p.user);
          const res = await app.http.request(method, path, { token: t, ...body });
          expect({ route, user: p.user, status: res.status < 500 }).toEqual({ route, user: p.user, status: true });
          const expected = rule.who === 'signed-in' || rule.who.includes(p.role);
          const got = res.status !== 401 && res.status !== 403;
          if (got !== expected) unexpected.push(`${p.user}: ${res.status}`);
        }
      }
      expect(unexpected).toEqual([]);
      const anonymous = await app.http.request(method, path, body);
      if (rule.who === 'public') expect(anonymous.status).not.toBe(401);
      else expect(anonymous.status).toBe(401);
    },
  );

  it('acting on a referral: no agency off it gets past authorization, oversight roles included', async () => {
    const f = FIXTURES[0] as Fixture;
    const unexpected: string[] = [];
    for (const p of PEOPLE) {
      for (const action of ['conclude', 'close', 'accept']) {
        // All illegal in 'delivered' or for most roles: the sides get 409 or 403, never a change.
        const res = await app.http.post(
          `/api/referrals/${f.referral?.id}/actions/${action}`,
          { outcome: 'other', outcomeText: '矩阵测试' },
          await token(p.user),
        );
        expect(res.status).toBeLessThan(500);
        const side = relation(p.agency, f) !== 'unrelated';
        if (!side && allowed(res.status)) unexpected.push(`${p.user} ${action}: ${res.status}`);
        if (side && res.status === 404) unexpected.push(`${p.user} ${action}: 404 for a side`);
      }
    }
    expect(unexpected).toEqual([]);
    const after = await app.http.get<ReferralView>(`/api/referrals/${f.referral?.id}`, await token('zfj.officer'));
    expect(after.body.state).toBe('delivered');
  });

  /** Role-level endpoints: who may attempt them at all (an invalid body then answers 400, not 403). */
  const ROLE_ENDPOINTS: { method: string; path: string; body?: unknown; roles: Role[] | 'all' }[] = [
    { method: 'GET', path: '/api/audit/verify', roles: [Role.Auditor] },
    { method: 'GET', path: '/api/audit/entries?limit=1', roles: [Role.Auditor] },
    { method: 'GET', path: '/api/audit/export?from=2026-12-01&to=2026-12-01&format=csv', roles: [Role.Auditor] },
    { method: 'GET', path: '/api/interference-records', roles: [Role.DisciplineContact, Role.Auditor] },
    {
      method: 'GET',
      path: '/api/interference-records/reports/quarterly?year=2026&quarter=4',
      roles: [Role.DisciplineContact, Role.Auditor],
    },
    {
      method: 'GET',
      path: '/api/disclosures',
      roles: [Role.LegalReviewer, Role.AgencyHead, Role.AgencyAdmin, Role.SystemAdmin, Role.Auditor],
    },
    {
      method: 'POST',
      path: '/api/matters',
      body: {},
      roles: [Role.CaseOfficer, Role.LiaisonOfficer, Role.TownshipStaff, Role.AgencyHead],
    },
    {
      method: 'POST',
      path: '/api/referrals',
      body: {},
      roles: [Role.CaseOfficer, Role.LiaisonOfficer, Role.TownshipStaff, Role.AgencyHead],
    },
    {
      method: 'POST',
      path: '/api/catalogue/items/NONE/versions',
      body: {},
      roles: [Role.GuidanceArbiter, Role.SystemAdmin],
    },
    { method: 'PUT', path: '/api/calendar/years', body: {}, roles: [Role.SystemAdmin, Role.GuidanceArbiter] },
    { method: 'POST', path: '/api/webhooks', body: {}, roles: [Role.AgencyAdmin, Role.SystemAdmin] },
    { method: 'POST', path: '/api/auth/dashboard-session', roles: [Role.SystemAdmin] },
    { method: 'GET', path: '/api/agencies', roles: 'all' },
    { method: 'GET', path: '/api/catalogue/items?limit=1', roles: 'all' },
    { method: 'GET', path: '/api/notifications', roles: 'all' },
  ];

  it.each(ROLE_ENDPOINTS)('$method $path', async (e) => {
    const unexpected: string[] = [];
    for (const p of PEOPLE) {
      const res = await app.http.request(e.method, e.path, {
        token: await token(p.user),
        ...(e.body ? { body: e.body } : {}),
      });
      expect(res.status).toBeLessThan(500);
      const expected = e.roles === 'all' || e.roles.includes(p.role);
      const got = res.status !== 401 && res.status !== 403;
      if (got !== expected) unexpected.push(`${p.user}: ${res.status}`);
    }
    expect(unexpected).toEqual([]);
    // And nobody without a session.
    expect((await app.http.request(e.method, e.path, e.body ? { body: e.body } : {})).status).toBe(401);
  });

  it('socket events: every signed-in role may ping, a socket without a session never connects', async () => {
    for (const p of PEOPLE) {
      const socket = await connectSocket(app.url, await token(p.user));
      const ack = await new Promise<{ ok: boolean }>((resolve) => socket.emit('session.ping', {}, resolve));
      socket.close();
      expect({ user: p.user, ok: ack.ok }).toEqual({ user: p.user, ok: true });
    }
    await expect(connectSocket(app.url)).rejects.toThrow();
    await expect(connectSocket(app.url, 'not-a-token')).rejects.toThrow();
  });
});

describe('revoked access ends open sockets', () => {
  it.each([
    ['a role change', { roles: ['liaison_officer', 'case_officer'] }],
    ['disabling the account', { active: false }],
  ])('%s disconnects the user’s sockets (within the 5 s an event may take)', async (_, change) => {
    const sys = await token('sysadmin');
    const gaj = (await app.http.get<{ id: string; code: string }[]>('/api/agencies', sys)).body.find(
      (a) => a.code === 'GAJ',
    );
    const users = await app.http.get<UserSummary[]>(`/api/agencies/${gaj?.id}/users`, sys);
    const target = users.body.find((u) => u.username === 'gaj.liaison');
    const pair = await app.http.login('gaj.liaison');
    const socket = await connectSocket(app.url, pair.accessToken);
    const revoked = nextEvent<{ reason: string }>(socket, SocketEvent.SessionRevoked, 5_000);
    const gone = new Promise<string>((ok) => socket.once('disconnect', (reason) => ok(reason)));
    expect((await app.http.patch(`/api/users/${target?.id}`, change, sys)).status).toBe(200);
    expect(await revoked).toEqual({ reason: 'access_changed' });
    expect(await gone).toBe('io server disconnect');
    // The old token no longer opens a socket or a request.
    await expect(connectSocket(app.url, pair.accessToken)).rejects.toThrow();
    expect((await app.http.get('/api/me', pair.accessToken)).status).toBe(401);
    if ('active' in change) await app.http.patch(`/api/users/${target?.id}`, { active: true }, sys);
  });
});

describe('removed from a channel: the open socket leaves the room, a reconnect does not get it back', () => {
  it('stops delivery within 5 s, and the reconnected socket (no state recovery) is denied the room; all of it audited', async () => {
    const userIdOf = async (username: string) => (await app.http.login(username)).user.id;
    const [hostId, memberId, stayId] = [
      await userIdOf('zfj.liaison'),
      await userIdOf('zjj.liaison'),
      await userIdOf('jcy.liaison'),
    ];
    const created = await app.http.post<ChannelView>(
      '/api/channels',
      {
        kind: 'joint_meeting',
        title: '龙游县燃气安全联合检查联席会议',
        topic: '安排城区餐饮场所燃气安全联合检查',
        userIds: [memberId, stayId],
      },
      await token('zfj.liaison'),
    );
    expect(created.status).toBe(201);
    const channelId = created.body.id;
    const host = await connectSocket(app.url, await token('zfj.liaison'));
    // The web client's socket: it reconnects by itself.
    const member = io(app.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: 50,
      auth: { token: await token('zjj.liaison') },
    }) as unknown as ClientSocket;
    await new Promise<void>((ok) => member.once('connect', () => ok()));
    const seen: string[] = [];
    member.on(SocketEvent.ChannelChange, (c) => {
      if (c.message) seen.push(c.message.id);
    });
    const joined = await emit<{ denied: string[] }>(member, SocketEvent.ChannelSync, {
      cursors: [{ channelId, after: 0 }],
    });
    expect(joined).toMatchObject({ ok: true, data: { denied: [] } });
    const post = async (text: string) => {
      const ack = await emit<MessageAck>(host, SocketEvent.ChannelSend, { channelId, clientId: randomUUID(), text });
      if (!ack.ok) throw new Error(JSON.stringify(ack.error));
      return ack.data.id;
    };
    const first = await post('请各单位于周四前报送检查人员名单。');
    await until('the member received it', () => seen.includes(first));
    const edited = await emit(host, SocketEvent.ChannelEdit, {
      messageId: first,
      text: '请各单位于周五前报送检查人员名单。',
    });
    expect(edited).toMatchObject({ ok: true });

    const removed = await app.http.post<ChannelView>(
      `/api/channels/${channelId}/members`,
      { remove: { userIds: [memberId] } },
      await token('zfj.liaison'),
    );
    expect(removed.status).toBe(201);
    // Poll (bounded by the 5 s of the rule): a message posted now no longer reaches the open socket.
    let probe = '';
    await until(
      'the removed member’s open socket gets nothing more',
      async () => {
        probe = await post('（检查分工另行通知）');
        await emit(member, SocketEvent.Ping, {});
        return !seen.includes(probe);
      },
      5_000,
    );
    // The connection drops; the client reconnects on its own. Without state recovery it is a fresh
    // session that has joined no channel room, and asking for the room again is refused.
    const reconnected = new Promise<void>((ok) => member.once('connect', () => ok()));
    (member.io as unknown as { engine: { close(): void } }).engine.close();
    await reconnected;
    expect(member.recovered).toBeFalsy(); // the server offers no session id to recover (undefined)
    const again = await emit<{ denied: string[] }>(member, SocketEvent.ChannelSync, {
      cursors: [{ channelId, after: 0 }],
    });
    expect(again).toMatchObject({ ok: true, data: { denied: [channelId] } });
    const after = await post('检查结果请在本群汇总。');
    await emit(member, SocketEvent.Ping, {});
    expect(seen).not.toContain(after);
    expect(seen).not.toContain(probe);
    const retracted = await emit(host, SocketEvent.ChannelRetract, { messageId: after });
    expect(retracted).toMatchObject({ ok: true });
    host.close();
    member.close();

    // Channel writes are raw SQL: each one appended its audit entry, in its own transaction, by its
    // actor. Verifying links everything committed into the chain first, so the rows below are all there.
    const verify = await app.http.get<{ ok: boolean; pending: number }>('/api/audit/verify', await token('auditor'));
    expect(verify.body.ok).toBe(true);
    const rows = await query<{ action: string; object_id: string; actor_id: string | null }>(
      app.databaseUrl,
      `select action, object_id, actor_id from audit_entry where object_id = any($1::text[]) or after->>'channelId' = $2 order by seq`,
      [[channelId, first, after], channelId],
    );
    const of = (action: string, objectId: string) =>
      rows.filter((r) => r.action === action && r.object_id === objectId);
    expect(of('channel.created', channelId)).toHaveLength(1);
    expect(of('channel.member.added', channelId)).toHaveLength(3);
    expect(of('channel.member.removed', channelId)).toHaveLength(1);
    expect(of('channel.message.created', first)).toHaveLength(1);
    expect(of('channel.message.edited', first)).toHaveLength(1);
    expect(of('channel.message.retracted', after)).toHaveLength(1);
    expect(new Set(rows.map((r) => r.actor_id))).toEqual(new Set([hostId]));
  });
});

describe('fuzzed socket payloads: an error ack naming a field, never a crash, a disconnect or a row', () => {
  /** Every client→server event with a payload schema (ping takes anything). */
  const SCHEMAS: Record<Exclude<keyof ClientToServerEvents, typeof SocketEvent.Ping>, z.ZodType> = {
    [SocketEvent.ChannelSend]: SendMessagePayload,
    [SocketEvent.ChannelEdit]: EditMessagePayload,
    [SocketEvent.ChannelRetract]: MessageRefPayload,
    [SocketEvent.ChannelRead]: MarkReadPayload,
    [SocketEvent.ChannelAcknowledge]: MessageRefPayload,
    [SocketEvent.ChannelCloseAck]: MessageRefPayload,
    [SocketEvent.ChannelSync]: SyncPayload,
    [SocketEvent.ChannelTyping]: TypingPayload,
    [SocketEvent.PresenceSet]: PresencePayload,
  };
  const CHANNEL_TABLES = [
    'channel',
    'channel_member',
    'channel_message',
    'channel_message_version',
    'channel_change',
    'channel_read',
    'channel_ack',
  ];
  const counts = async () =>
    Promise.all(
      CHANNEL_TABLES.map(
        async (t) => `${t}=${(await query<{ n: string }>(app.databaseUrl, `select count(*) n from ${t}`))[0]?.n}`,
      ),
    );
  const hostile = fc.oneof(
    fc.anything({ maxDepth: 2 }),
    fc.constantFrom("' or 1=1 --", '\u0000', '', ' ', 'x'.repeat(20_001), '00000000-0000-0000-0000-00000000000g'),
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
  );
  /** A valid payload of the matter channel, with fields replaced by hostile values or dropped. */
  const near = (base: Record<string, unknown>) =>
    fc
      .record(Object.fromEntries(Object.keys(base).map((k) => [k, fc.option(hostile, { nil: undefined })])), {
        requiredKeys: [],
      })
      .map((over) => ({ ...base, ...over }));

  it.each(Object.keys(SCHEMAS) as (keyof typeof SCHEMAS)[])('%s', async (event) => {
    const f = FIXTURES[0] as Fixture;
    const base: Record<string, unknown> = {
      channelId: f.channelId,
      clientId: randomUUID(),
      messageId: f.messageId,
      text: '正常内容',
      mentions: { userIds: [], agencyIds: [] },
      seq: 1,
      cursors: [{ channelId: f.channelId, after: 0 }],
      state: 'online',
      requiresAck: false,
    };
    const socket = await connectSocket(app.url, await token('zfj.officer'));
    const bystander = await connectSocket(app.url, await token('lz.staff'));
    let bystanderDropped = false;
    bystander.on('disconnect', () => (bystanderDropped = true));
    const before = await counts();
    const schema = SCHEMAS[event];
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostile, near(base)), async (payload) => {
        // What reaches the server is JSON: judge that, not the JS value.
        const wire: unknown = JSON.parse(JSON.stringify(payload) ?? 'null');
        fc.pre(!schema.safeParse(wire).success);
        const ack = await emit(socket, event, wire);
        expect(ack.ok).toBe(false);
        if (ack.ok) return;
        expect(ack.error.code).toBe('Bad Request');
        expect(ack.error.details?.length).toBeGreaterThan(0);
        for (const d of ack.error.details ?? []) expect(typeof d.field).toBe('string');
      }),
      { numRuns: 60 },
    );
    // Still connected, both of them, and the server still answers.
    expect((await emit(socket, SocketEvent.Ping, {})).ok).toBe(true);
    expect((await emit(bystander, SocketEvent.Ping, {})).ok).toBe(true);
    expect(bystanderDropped).toBe(false);
    socket.close();
    bystander.close();
    expect(await counts()).toEqual(before);
  });
});

describe('fuzzed bodies: malformed values never cause a 5xx or a partial write', () => {
  const TABLES = [
    'matter',
    'referral',
    'interference_record',
    'app_user',
    'disclosure',
    'webhook_subscription',
    'responsibility_dispute',
    'dispute_position',
    'procuratorate_review',
    'enforcement_application',
    'joint_interview',
    'channel',
    'channel_member',
    'channel_change',
  ];
  const counts = async (): Promise<Record<string, string | undefined>> =>
    Object.fromEntries(
      await Promise.all(
        TABLES.map(async (t): Promise<[string, string | undefined]> => [
          t,
          (await query<{ n: string }>(app.databaseUrl, `select count(*) n from ${t}`))[0]?.n,
        ]),
      ),
    );
  const ENDPOINTS: { user: string; method: string; path: () => string; name: string }[] = [
    { name: 'matters', user: 'zfj.officer', method: 'POST', path: () => '/api/matters' },
    { name: 'referrals', user: 'zfj.officer', method: 'POST', path: () => '/api/referrals' },
    {
      name: 'referral return',
      user: 'lz.staff',
      method: 'POST',
      path: () => `/api/referrals/${FIXTURES[0]?.referral?.id}/actions/return`,
    },
    { name: 'interference', user: 'zfj.officer', method: 'POST', path: () => '/api/interference-records' },
    {
      name: 'disclosure withdraw',
      user: 'zfj.head',
      method: 'POST',
      path: () => '/api/disclosures/00000000-0000-4000-8000-000000000000/withdraw',
    },
    { name: 'webhooks', user: 'zfj.admin', method: 'POST', path: () => '/api/webhooks' },
    { name: 'calendar years', user: 'sysadmin', method: 'PUT', path: () => '/api/calendar/years' },
    { name: 'disputes', user: 'zfj.officer', method: 'POST', path: () => '/api/disputes' },
    {
      name: 'dispute action',
      user: 'zfj.officer',
      method: 'POST',
      path: () => '/api/disputes/00000000-0000-4000-8000-000000000000/actions/rule',
    },
    {
      name: 'review action',
      user: 'jcy.prosecutor',
      method: 'POST',
      path: () => '/api/reviews/00000000-0000-4000-8000-000000000000/actions/conclude',
    },
    { name: 'enforcements', user: 'zfj.officer', method: 'POST', path: () => '/api/enforcements' },
    {
      name: 'enforcement action',
      user: 'zfj.officer',
      method: 'POST',
      path: () => `/api/enforcements/${FIXTURES[0]?.enforcement?.id}/actions/record_demand`,
    },
    { name: 'interviews', user: 'zfj.officer', method: 'POST', path: () => '/api/interviews' },
    { name: 'channels', user: 'zfj.liaison', method: 'POST', path: () => '/api/channels' },
    {
      name: 'user update',
      user: 'zfj.admin',
      method: 'PATCH',
      path: () => '/api/users/00000000-0000-4000-8000-000000000000',
    },
  ];
  const INJECTION = [
    "' or 1=1 --",
    "'; drop table matter; --",
    '"); delete from referral; --',
    '\u0000',
    '𠀀'.repeat(3),
  ];
  const hostile = fc.oneof(
    fc.anything({ maxDepth: 3 }),
    fc.constantFrom(...INJECTION),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.integer(),
    fc.double(),
  );
  const body = fc.oneof(
    hostile,
    fc.dictionary(
      fc.constantFrom(
        'itemCode',
        'township',
        'place',
        'party',
        'matterId',
        'kind',
        'reasonCode',
        'reasonText',
        'personName',
        'occurredAt',
        'method',
        'content',
        'reason',
        'url',
        'year',
        'roles',
        'active',
        'summary',
        'otherAgencyId',
        'pattern',
        'position',
        'decisionNumber',
        'amountYuan',
        'demandNoticeOn',
        'invitedAgencyIds',
        'agenda',
        'title',
        'topic',
        'userIds',
      ),
      hostile,
    ),
  );

  it.each(ENDPOINTS)('$method $name', async (e) => {
    const t = await token(e.user);
    const before = await counts();
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const raw = JSON.stringify(b) ?? 'null';
        const res = await app.http.request(e.method, e.path(), { token: t, raw });
        expect(res.status).toBeLessThan(500);
        expect(res.status).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: 40 },
    );
    expect(await counts()).toEqual(before);
  });

  it('SQL in search and filters changes nothing and finds nothing', async () => {
    const before = await counts();
    for (const s of INJECTION.slice(0, 3)) {
      for (const path of [
        `/api/catalogue/items?q=${encodeURIComponent(s)}`,
        `/api/public/disclosures?q=${encodeURIComponent(s)}`,
        `/api/referrals/inbox?township=${encodeURIComponent(s)}`,
        `/api/audit/entries?objectId=${encodeURIComponent(s)}`,
      ]) {
        const res = await app.http.get<{ total?: number; items?: unknown[] } | unknown[]>(path, await token('auditor'));
        expect({ path, status: res.status < 500 }).toEqual({ path, status: true });
      }
    }
    expect(await counts()).toEqual(before);
    expect(
      (await app.http.get<{ total: number }>(`/api/public/disclosures?q=${encodeURIComponent("' or 1=1 --")}`)).body
        .total,
    ).toBe(0);
  });
});

describe('HTTP hardening', () => {
  it('sends security headers (helmet) and hides the framework', async () => {
    for (const path of ['/api/health', '/api/public/disclosures', '/api/public/disclosures/page']) {
      const res = await app.http.get(path);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('allows browser origins from the allowlist only', async () => {
    const good = await app.http.request('OPTIONS', '/api/me', {
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'GET' },
    });
    expect(good.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    const bad = await app.http.request('OPTIONS', '/api/me', {
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(bad.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('limits failed sign-ins per address across accounts, on top of the per-account lock', async () => {
    const from = (address: string, username: string, password: string) =>
      app.http.request('POST', '/api/auth/login', {
        body: { username, password },
        headers: { 'x-forwarded-for': address },
      });
    // 30 wrong passwords from one address, each for a different (unknown) account: no account locks.
    for (let i = 0; i < 30; i++) expect((await from('203.0.113.7', `nobody${i}`, 'guess-password')).status).toBe(401);
    const blocked = await from('203.0.113.7', 'zfj.officer', DEMO_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await from('198.51.100.9', 'zfj.officer', DEMO_PASSWORD)).status).toBe(200);
  });

  it('never writes passwords or tokens to the log', async () => {
    const secretPassword = 'Leak-Check-Password-42';
    await app.http.post('/api/auth/login', { username: 'zfj.liaison', password: secretPassword });
    const pair = await app.http.login('zfj.liaison');
    await app.http.get('/api/me', pair.accessToken);
    await app.http.post('/api/auth/refresh', { refreshToken: pair.refreshToken });
    const log = app.output();
    expect(log).toContain('/api/me');
    expect(log).toContain('[redacted]');
    for (const secret of [secretPassword, DEMO_PASSWORD, pair.accessToken, pair.refreshToken]) {
      expect(log).not.toContain(secret);
    }
  });
});
