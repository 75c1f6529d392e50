import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  SocketEvent,
  type AgencySummary,
  type ChannelChange,
  type ChannelView,
  type HistoryPage,
  type MatterView,
  type MessageAck,
  type MessageVersionView,
  type MessageView,
  type NotificationList,
  type ReadersView,
  type SearchHit,
  type SocketAck,
  type SyncResult,
  type UserSummary,
} from '@xietong/shared';
import { bootApp, connectSocket, type ClientSocket, type TestApp } from '../support/app.js';
import { query } from '../support/database.js';
import { delegatedItemCode, until } from '../support/fixtures.js';

let app: TestApp;
let agencies: Map<string, AgencySummary>;
const tokens = new Map<string, string>();
const users = new Map<string, UserSummary>();
const sockets: ClientSocket[] = [];

const token = async (username: string): Promise<string> => {
  let t = tokens.get(username);
  if (!t) {
    const pair = await app.http.login(username);
    t = pair.accessToken;
    tokens.set(username, t);
    users.set(username, pair.user);
  }
  return t;
};
const userId = async (username: string): Promise<string> => {
  await token(username);
  return users.get(username)?.id ?? '';
};
const agencyId = (code: string): string => agencies.get(code)?.id ?? '';

/** A liaison officer's client: a real socket that keeps every change it receives, and syncs like the web app. */
interface Client {
  socket: ClientSocket;
  changes: ChannelChange[];
  emit<T>(event: string, payload: unknown): Promise<SocketAck<T>>;
  sync(cursors: { channelId: string; after: number }[]): Promise<SyncResult>;
  /** a round trip: everything the server sent this socket before it has arrived */
  settle(): Promise<void>;
}

async function client(username: string): Promise<Client> {
  const socket = await connectSocket(app.url, await token(username));
  sockets.push(socket);
  const changes: ChannelChange[] = [];
  socket.on(SocketEvent.ChannelChange, (c: ChannelChange) => changes.push(c));
  const emit = async <T>(event: string, payload: unknown) =>
    (await (socket.timeout(10_000) as unknown as ClientSocket).emitWithAck(
      event as typeof SocketEvent.Ping,
      payload,
    )) as unknown as SocketAck<T>;
  return {
    socket,
    changes,
    emit,
    async sync(cursors) {
      const ack = await emit<SyncResult>(SocketEvent.ChannelSync, { cursors });
      if (!ack.ok) throw new Error(`sync failed: ${JSON.stringify(ack.error)}`);
      return ack.data;
    },
    async settle() {
      await emit(SocketEvent.Ping, {});
    },
  };
}

async function send(c: Client, channelId: string, text: string, extra: Record<string, unknown> = {}) {
  const ack = await c.emit<MessageAck>(SocketEvent.ChannelSend, { channelId, clientId: randomUUID(), text, ...extra });
  if (!ack.ok) throw new Error(`send failed: ${JSON.stringify(ack.error)}`);
  return ack.data;
}

async function channels(username: string): Promise<ChannelView[]> {
  return (await app.http.get<ChannelView[]>('/api/channels', await token(username))).body;
}

async function channelNamed(username: string, title: string): Promise<ChannelView> {
  const found = (await channels(username)).find((c) => c.title === title);
  if (!found) throw new Error(`${username} has no channel ${title}`);
  return found;
}

beforeAll(async () => {
  app = await bootApp({ env: { CHANNEL_SEND_LIMIT: '25', CHANNEL_ACK_REMIND_SECONDS: '2' } });
  const list = await app.http.get<AgencySummary[]>('/api/agencies', await token('zfj.liaison'));
  agencies = new Map(list.body.map((a) => [a.code, a]));
});
afterAll(async () => {
  if (process.env.XT_DEBUG) console.log(app.output());
  sockets.forEach((s) => s.close());
  await app?.close();
});

const LIAISON = '执法局—公安局联络群';

describe('standing liaison channels', () => {
  it('are seeded between agencies and listed for their members only', async () => {
    const zfj = await channelNamed('zfj.liaison', LIAISON);
    expect(zfj).toMatchObject({ kind: 'liaison', member: true, canPost: true, archived: false });
    expect(new Set(zfj.memberAgencyIds)).toEqual(new Set([agencyId('ZFJ'), agencyId('GAJ')]));
    expect((await channels('gaj.officer')).map((c) => c.title)).toContain(LIAISON);
    expect((await channels('zjj.liaison')).map((c) => c.title)).not.toContain(LIAISON);
    const hidden = await app.http.get(`/api/channels/${zfj.id}`, await token('zjj.liaison'));
    expect(hidden.status).toBe(404);
  });
});

describe('sending', () => {
  it('stores a resent message once and acks it the same way; order is the seq order for everyone', async () => {
    const channel = await channelNamed('zfj.liaison', LIAISON);
    const a = await client('zfj.liaison');
    const b = await client('gaj.liaison');
    await a.sync([{ channelId: channel.id, after: channel.lastChangeSeq }]);
    await b.sync([{ channelId: channel.id, after: channel.lastChangeSeq }]);

    const clientId = randomUUID();
    const payload = { channelId: channel.id, clientId, text: '明早九点联合检查荣昌大道夜市，请公安派两名民警配合。' };
    const first = await a.emit<MessageAck>(SocketEvent.ChannelSend, payload);
    const again = await a.emit<MessageAck>(SocketEvent.ChannelSend, payload);
    expect(first.ok).toBe(true);
    expect(again).toEqual(first);
    const stored = await query<{ n: string }>(
      app.databaseUrl,
      'select count(*) n from channel_message where client_id = $1',
      [clientId],
    );
    expect(stored[0]?.n).toBe('1');

    // Both sides post at once: seqs are unique and gap-free, and both clients see the same order.
    const acks = await Promise.all([
      ...[1, 2, 3, 4].map((i) => send(a, channel.id, `执法局消息 ${i}`)),
      ...[1, 2, 3, 4].map((i) => send(b, channel.id, `公安局消息 ${i}`)),
    ]);
    const seqs = acks.map((x) => x.seq).sort((x, y) => x - y);
    const base = first.ok ? first.data.seq : 0;
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((i) => base + i));
    await until('both clients have every message', () =>
      [a, b].every((c) => c.changes.filter((x) => x.type === 'message.created').length >= 9),
    );
    const order = (c: Client) =>
      c.changes
        .filter((x) => x.type === 'message.created')
        .sort((x, y) => x.changeSeq - y.changeSeq)
        .map((x) => x.message?.seq);
    expect(order(a)).toEqual(order(b));
    expect(order(a)).toEqual([...order(a)].sort((x, y) => (x ?? 0) - (y ?? 0)));
  });

  it('stores a burst of concurrent sends in fewer writes than messages, with consecutive seqs, each acked once', async () => {
    const channel = await channelNamed('zfj.legal', LIAISON);
    const a = await client('zfj.legal');
    const b = await client('gaj.officer');
    const repeated = { channelId: channel.id, clientId: randomUUID(), text: '重复发送的一条' };
    const acks = await Promise.all([
      ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) =>
        a.emit<MessageAck>(SocketEvent.ChannelSend, {
          channelId: channel.id,
          clientId: randomUUID(),
          text: `执法局并发 ${i}`,
        }),
      ),
      ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) =>
        b.emit<MessageAck>(SocketEvent.ChannelSend, {
          channelId: channel.id,
          clientId: randomUUID(),
          text: `公安局并发 ${i}`,
        }),
      ),
      a.emit<MessageAck>(SocketEvent.ChannelSend, repeated),
      a.emit<MessageAck>(SocketEvent.ChannelSend, repeated),
    ]);
    const ok = acks.map((x) => (x.ok ? x.data : undefined));
    expect(ok.every(Boolean)).toBe(true);
    // The two sends of one client id got one message, acked the same way.
    expect(ok[20]).toEqual(ok[21]);
    const seqs = [...new Set(ok.map((x) => x?.seq ?? 0))].sort((x, y) => x - y);
    expect(seqs).toHaveLength(21);
    expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] ?? 0) + i));
    const rows = await query<{ n: string; writes: string }>(
      app.databaseUrl,
      // Rows written by one statement share its transaction id: fewer ids than rows means batched writes.
      `select count(*) n, count(distinct xmin::text) writes from channel_message where channel_id = $1 and seq between $2 and $3`,
      [channel.id, seqs[0], seqs[20]],
    );
    expect(rows[0]?.n).toBe('21');
    expect(Number(rows[0]?.writes)).toBeLessThan(21);
  });

  it('answers malformed events with an error ack naming the field, and disconnects nobody', async () => {
    const channel = await channelNamed('zfj.liaison', LIAISON);
    const a = await client('zfj.liaison');
    const other = await client('gaj.liaison');
    const noId = await a.emit(SocketEvent.ChannelSend, { channelId: channel.id, text: '缺少编号' });
    expect(noId).toMatchObject({ ok: false, error: { code: 'Bad Request', details: [{ field: 'clientId' }] } });
    const tooLong = await a.emit(SocketEvent.ChannelSend, {
      channelId: channel.id,
      clientId: randomUUID(),
      text: '长'.repeat(4001),
    });
    expect(tooLong).toMatchObject({ ok: false, error: { details: [{ field: 'text' }] } });
    const garbage = await a.emit(SocketEvent.ChannelSend, 'not an object');
    expect(garbage).toMatchObject({ ok: false, error: { code: 'Bad Request' } });
    const badRead = await a.emit(SocketEvent.ChannelRead, { channelId: 'x', seq: -1 });
    expect(badRead.ok).toBe(false);
    if (!badRead.ok) expect(badRead.error.details?.map((d) => d.field).sort()).toEqual(['channelId', 'seq']);
    const unknown = await a.emit(SocketEvent.ChannelSend, {
      channelId: randomUUID(),
      clientId: randomUUID(),
      text: '无此群',
    });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'Not Found' } });
    expect(a.socket.connected && other.socket.connected).toBe(true);
    expect((await send(a, channel.id, '格式正确的消息照常送达')).seq).toBeGreaterThan(0);
  });

  it('refuses a sender over the rate limit with an error ack saying when to retry', async () => {
    const channel = await channelNamed('scjg.liaison', '县综合执法协同联络群');
    const c = await client('scjg.liaison');
    const first = { channelId: channel.id, clientId: randomUUID(), text: '市场监管局通报 1' };
    const stored = await c.emit<MessageAck>(SocketEvent.ChannelSend, first);
    expect(stored.ok).toBe(true);
    // A resend is not counted (its slot in Redis is given back): 24 more new messages fit.
    expect(await c.emit<MessageAck>(SocketEvent.ChannelSend, first)).toEqual(stored);
    for (let i = 1; i < 25; i++) await send(c, channel.id, `市场监管局通报 ${i + 1}`);
    const over = await c.emit(SocketEvent.ChannelSend, {
      channelId: channel.id,
      clientId: randomUUID(),
      text: '超出限额的一条',
    });
    expect(over).toMatchObject({
      ok: false,
      error: {
        code: 'Too Many Requests',
        message: expect.stringContaining('发送过于频繁'),
        details: [{ field: 'retryAfterMs' }],
      },
    });
    expect(c.socket.connected).toBe(true);
  });
});

describe('catch-up after a disconnect', () => {
  it('gives exactly the gap: new messages and the edits, retractions and receipts of older ones, in order', async () => {
    const channel = await channelNamed('zfj.liaison', LIAISON);
    const a = await client('zfj.liaison');
    const readerB = await client('gaj.officer');
    await a.sync([{ channelId: channel.id, after: 0 }]);
    const early1 = await send(a, channel.id, '请核实当事人张三的户籍信息');
    const early2 = await send(a, channel.id, '此条稍后撤回');

    const away = await client('gaj.liaison');
    const seen = await away.sync([{ channelId: channel.id, after: 0 }]);
    const page = seen.channels[0];
    if (!page) throw new Error('no sync page');
    const cursor = page.changes.at(-1)?.changeSeq ?? 0;
    expect(cursor).toBe(page.lastChangeSeq);
    away.socket.disconnect();

    const later = await send(a, channel.id, '断线期间的新消息');
    const edited = await a.emit<MessageView>(SocketEvent.ChannelEdit, {
      messageId: early1.id,
      text: '请核实当事人张三的户籍信息和联系电话',
    });
    expect(edited).toMatchObject({ ok: true, data: { version: 2 } });
    const retracted = await a.emit<MessageView>(SocketEvent.ChannelRetract, { messageId: early2.id });
    expect(retracted).toMatchObject({ ok: true, data: { retracted: true } });
    await readerB.sync([{ channelId: channel.id, after: cursor }]);
    expect((await readerB.emit(SocketEvent.ChannelRead, { channelId: channel.id, seq: later.seq })).ok).toBe(true);

    const back = await client('gaj.liaison');
    const gap = await back.sync([{ channelId: channel.id, after: cursor }]);
    const changes = gap.channels[0]?.changes ?? [];
    const [{ n: expected } = { n: '0' }] = await query<{ n: string }>(
      app.databaseUrl,
      'select count(*) n from channel_change where channel_id = $1 and change_seq > $2',
      [channel.id, cursor],
    );
    expect(changes).toHaveLength(Number(expected));
    expect(changes.map((c) => c.changeSeq)).toEqual(changes.map((_, i) => cursor + 1 + i));
    const types = changes.map((c) => c.type);
    expect(types).toEqual(expect.arrayContaining(['message.created', 'message.edited', 'message.retracted', 'read']));
    expect(changes.find((c) => c.type === 'message.created' && c.message?.id === later.id)).toBeDefined();
    expect(changes.find((c) => c.type === 'message.edited')?.message).toMatchObject({
      id: early1.id,
      body: '请核实当事人张三的户籍信息和联系电话',
      version: 2,
    });
    expect(changes.find((c) => c.type === 'message.retracted')?.message).toMatchObject({
      id: early2.id,
      body: null,
      retracted: true,
      original: null,
    });
    expect(changes.find((c) => c.type === 'read')).toMatchObject({
      userId: await userId('gaj.officer'),
      data: { seq: later.seq },
    });
    expect(gap.channels[0]?.hasMore).toBe(false);
  });

  it('keeps every version and the retracted text for the record: auditors read them, members do not', async () => {
    const channel = await channelNamed('zfj.liaison', LIAISON);
    const a = await client('zfj.liaison');
    const m = await send(a, channel.id, '初稿：周五上午会商');
    await a.emit(SocketEvent.ChannelEdit, { messageId: m.id, text: '改为：周五下午会商' });
    await a.emit(SocketEvent.ChannelRetract, { messageId: m.id });
    const memberView = await app.http.get<HistoryPage>(
      `/api/channels/${channel.id}/messages?after=${m.seq - 1}&limit=1`,
      await token('gaj.liaison'),
    );
    expect(memberView.body.messages[0]).toMatchObject({ id: m.id, retracted: true, body: null, original: null });
    const auditorView = await app.http.get<HistoryPage>(
      `/api/channels/${channel.id}/messages?after=${m.seq - 1}&limit=1`,
      await token('auditor'),
    );
    expect(auditorView.body.messages[0]).toMatchObject({ retracted: true, original: '改为：周五下午会商' });
    const versions = await app.http.get<MessageVersionView[]>(
      `/api/channels/${channel.id}/messages/${m.id}/versions`,
      await token('auditor'),
    );
    expect(versions.body.map((v) => [v.version, v.body])).toEqual([
      [1, '初稿：周五上午会商'],
      [2, '改为：周五下午会商'],
    ]);
    const member = await app.http.get(
      `/api/channels/${channel.id}/messages/${m.id}/versions`,
      await token('gaj.liaison'),
    );
    expect(member.status).toBe(403);
    const editRetracted = await a.emit(SocketEvent.ChannelEdit, { messageId: m.id, text: '再改' });
    expect(editRetracted).toMatchObject({ ok: false, error: { code: 'Conflict' } });
  });
});

describe('read receipts and acknowledgement requests', () => {
  it('shows who has read a message, counts unread and mentions, and reminds until acknowledged', async () => {
    const channel = await channelNamed('zfj.liaison', '县综合执法协同联络群');
    const sender = await client('zfj.liaison');
    const zjj = await client('zjj.liaison');
    await zjj.sync([{ channelId: channel.id, after: channel.lastChangeSeq }]);
    const notice = await send(sender, channel.id, '@住建局 请于本周五前报送违法建设台账，收到请确认。', {
      mentions: { agencyIds: [agencyId('ZJJ')] },
      requiresAck: true,
    });
    const before = (await channels('zjj.liaison')).find((c) => c.id === channel.id);
    expect(before?.unread).toBeGreaterThanOrEqual(1);
    expect(before?.mentions).toBeGreaterThanOrEqual(1);
    const mentioned = await app.http.get<NotificationList>('/api/notifications', await token('zjj.liaison'));
    expect(mentioned.body.notifications.map((n) => n.kind)).toContain('channel.mention');

    expect(await zjj.emit(SocketEvent.ChannelRead, { channelId: channel.id, seq: notice.seq })).toEqual({
      ok: true,
      data: { readSeq: notice.seq },
    });
    const after = (await channels('zjj.liaison')).find((c) => c.id === channel.id);
    expect(after).toMatchObject({ readSeq: notice.seq, unread: 0, mentions: 0 });
    // Moving back is not a change.
    expect(await zjj.emit(SocketEvent.ChannelRead, { channelId: channel.id, seq: 1 })).toEqual({
      ok: true,
      data: { readSeq: notice.seq },
    });

    const ack = await zjj.emit<{ ackedAt: string }>(SocketEvent.ChannelAcknowledge, { messageId: notice.id });
    expect(ack.ok).toBe(true);
    const readers = await app.http.get<ReadersView>(
      `/api/channels/${channel.id}/messages/${notice.id}/readers`,
      await token('zfj.liaison'),
    );
    expect(readers.body.read.map((r) => r.userId)).toContain(await userId('zjj.liaison'));
    expect(readers.body.unread.map((r) => r.userId)).toContain(await userId('sthj.liaison'));
    const acks = new Map(readers.body.acknowledgements.map((a) => [a.userId, a.ackedAt]));
    expect(acks.get(await userId('zjj.liaison'))).toEqual(expect.any(String));
    expect(acks.get(await userId('sthj.liaison'))).toBeNull();

    // The unacknowledged are reminded through the notification queue; the acknowledged are not.
    const reminders = async (username: string) =>
      (await app.http.get<NotificationList>('/api/notifications', await token(username))).body.notifications.filter(
        (n) => n.kind === 'channel.ack_reminder' && n.link.messageId === notice.id,
      );
    await until(
      'a reminder reaches an unacknowledged recipient',
      async () => (await reminders('sthj.liaison')).length > 0,
    );
    expect(await reminders('zjj.liaison')).toEqual([]);

    // Once the sender closes it, acknowledging is refused and the change reaches members.
    const closed = await sender.emit<MessageView>(SocketEvent.ChannelCloseAck, { messageId: notice.id });
    expect(closed).toMatchObject({ ok: true, data: { ackClosed: true } });
    const late = await (await client('sthj.liaison')).emit(SocketEvent.ChannelAcknowledge, { messageId: notice.id });
    expect(late).toMatchObject({ ok: false, error: { code: 'Conflict' } });
    await until('the closing reaches members', () =>
      zjj.changes.some((c) => c.type === 'message.ack_closed' && c.message?.id === notice.id),
    );
  });
});

async function newMatter(username: string): Promise<MatterView> {
  const res = await app.http.post<MatterView>(
    '/api/matters',
    {
      itemCode: await delegatedItemCode(app.http, await token('zfj.officer')),
      township: 'XZ-LZ',
      place: '龙洲街道荣昌大道与龙翔路交叉口',
      party: { kind: 'person', name: '张三', idNumber: '330825199001011234' },
      procedure: 'general',
      summary: '当事人在人行道上摆摊设点，经劝导拒不改正。',
    },
    await token(username),
  );
  if (res.status !== 201) throw new Error(`matter: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

describe('matter channels', () => {
  it('follow the agencies on the matter: a referral admits the receiver live, outsiders cannot join, read or search', async () => {
    const matter = await newMatter('zfj.officer');
    const ch = await app.http.get<ChannelView>(`/api/matters/${matter.id}/channel`, await token('zfj.officer'));
    expect(ch.status).toBe(200);
    expect(ch.body).toMatchObject({
      kind: 'matter',
      matterId: matter.id,
      member: true,
      memberAgencyIds: [agencyId('ZFJ')],
    });
    const channelId = ch.body.id;
    const bureau = await client('zfj.officer');
    await bureau.sync([{ channelId, after: 0 }]);
    const first = await send(bureau, channelId, '现场已取证，拟移送龙洲街道办理（占道经营）。');
    const file = await app.http.upload<{ id: string }>(
      `/api/matters/${matter.id}/attachments`,
      Buffer.from('现场检查笔录：当事人在人行道摆摊。\n'),
      '现场检查笔录.txt',
      await token('zfj.officer'),
    );
    expect(file.status).toBe(201);
    const reply = await send(bureau, channelId, '笔录见附件', { replyTo: first.id, attachmentIds: [file.body.id] });
    const stranger = await bureau.emit(SocketEvent.ChannelSend, {
      channelId,
      clientId: randomUUID(),
      text: '别的频道的回复',
      replyTo: randomUUID(),
      attachmentIds: [randomUUID()],
    });
    expect(stranger).toMatchObject({ ok: false, error: { code: 'Bad Request' } });
    if (!stranger.ok) expect(stranger.error.details?.map((d) => d.field)).toEqual(['replyTo']);

    // The township is not on the matter yet: no joining, no history, no search hits.
    const township = await client('lz.staff');
    expect((await township.sync([{ channelId, after: 0 }])).denied).toEqual([channelId]);
    expect((await app.http.get(`/api/channels/${channelId}/messages`, await token('lz.staff'))).status).toBe(404);
    const outsider = await app.http.get<SearchHit[]>(
      `/api/channels/search?q=${encodeURIComponent('占道经营')}`,
      await token('lz.staff'),
    );
    expect(outsider.body.filter((h) => h.message.channelId === channelId)).toEqual([]);
    const insider = await app.http.get<SearchHit[]>(
      `/api/channels/search?q=${encodeURIComponent('占道经营')}`,
      await token('zfj.officer'),
    );
    expect(insider.body.map((h) => h.message.channelId)).toContain(channelId);

    // Delivery admits the township: its live socket joins the room and gets the system message.
    const referral = await app.http.post<{ id: string; state: string }>(
      '/api/referrals',
      { matterId: matter.id, kind: 'jurisdiction_transfer', note: '该事项已赋权龙洲街道' },
      await token('zfj.officer'),
    );
    expect(referral.status).toBe(201);
    await until('the township sees the system message live', () =>
      township.changes.some((c) => c.type === 'message.created' && c.message?.kind === 'system'),
    );
    const system = township.changes.find((c) => c.message?.kind === 'system')?.message;
    expect(system?.body).toContain(matter.number);
    expect(system?.system).toMatchObject({ type: 'referral.changed', referralId: referral.body.id });
    const history = await app.http.get<HistoryPage>(`/api/channels/${channelId}/messages`, await token('lz.staff'));
    expect(history.status).toBe(200);
    expect(history.body.messages.map((m) => m.kind)).toEqual(expect.arrayContaining(['user', 'system']));
    expect(history.body.messages.find((m) => m.id === reply.id)).toMatchObject({
      replyTo: first.id,
      attachmentIds: [file.body.id],
    });
    // The township, now on the matter, downloads the attachment like any matter document.
    expect((await app.http.download(`/api/attachments/${file.body.id}`, await token('lz.staff'))).status).toBe(200);
    // A second return as not ours opens a responsibility dispute: that is posted too, once.
    const act = async (username: string, action: string, body: Record<string, unknown> = {}) => {
      const res = await app.http.post(
        `/api/referrals/${referral.body.id}/actions/${action}`,
        body,
        await token(username),
      );
      if (res.status !== 200) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`);
    };
    const notOurs = {
      reasonCode: 'not_our_jurisdiction',
      reasonText: '不属本街道管辖',
      boundaryClause: '赋权目录第 3 项',
    };
    await act('lz.staff', 'sign');
    await act('lz.staff', 'return', notOurs);
    await act('zfj.officer', 'reroute', { note: '经核实地块在赋权范围内' });
    await act('lz.staff', 'sign');
    await act('lz.staff', 'return', notOurs);
    await until('the dispute is posted on the matter channel', () =>
      township.changes.some((c) => c.message?.system?.type === 'dispute.opened'),
    );
    expect(township.changes.find((c) => c.message?.system?.type === 'dispute.opened')?.message?.body).toContain(
      '争着推',
    );
    await until('every outbox message of the matter is posted once', async () => {
      const [counts] = await query<{ posted: string; events: string }>(
        app.databaseUrl,
        `select (select count(*) from channel_message where channel_id = $1 and kind = 'system') posted,
                (select count(*) from outbox_message where topic in ('referral.changed', 'dispute.opened')
                   and payload->>'matterId' = $2) events`,
        [channelId, matter.id],
      );
      return counts !== undefined && counts.posted === counts.events;
    });

    // The public security bureau is not on it.
    const police = await client('gaj.liaison');
    expect((await police.sync([{ channelId, after: 0 }])).denied).toEqual([channelId]);
    const post = await police.emit(SocketEvent.ChannelSend, { channelId, clientId: randomUUID(), text: '试图发言' });
    expect(post).toMatchObject({ ok: false, error: { code: 'Not Found' } });
  });
});

describe('joint meetings and membership', () => {
  it('stops delivering to a removed member at once, and an archived channel is read-only', async () => {
    const created = await app.http.post<ChannelView>(
      '/api/channels',
      {
        kind: 'joint_meeting',
        title: '龙游县违法建设整治联席会议',
        topic: '研究东华街道违法建设集中整治分工',
        userIds: [await userId('gaj.liaison'), await userId('jcy.liaison')],
      },
      await token('zfj.liaison'),
    );
    expect(created.status).toBe(201);
    const channelId = created.body.id;
    const host = await client('zfj.liaison');
    const police = await client('gaj.liaison');
    const procuratorate = await client('jcy.liaison');
    for (const c of [host, police, procuratorate]) await c.sync([{ channelId, after: 0 }]);
    const hello = await send(host, channelId, '各位好，会议材料已上传。');
    await until('both members received it', () =>
      [police, procuratorate].every((c) => c.changes.some((x) => x.message?.id === hello.id)),
    );
    // The procuratorate's socket has posted here: it holds a grant to post, which removal must end.
    const notedId = randomUUID();
    const notedAck = await procuratorate.emit<MessageAck>(SocketEvent.ChannelSend, {
      channelId,
      clientId: notedId,
      text: '收到，检察院已阅。',
    });
    if (!notedAck.ok) throw new Error(`send failed: ${JSON.stringify(notedAck.error)}`);
    const noted = notedAck.data;

    const removed = await app.http.post<ChannelView>(
      `/api/channels/${channelId}/members`,
      { remove: { userIds: [await userId('jcy.liaison')] } },
      await token('zfj.liaison'),
    );
    expect(removed.status).toBe(201);
    expect(removed.body.memberUserIds).not.toContain(await userId('jcy.liaison'));
    const afterRemoval = await send(host, channelId, '下一议题：分工安排（检察院已退出本群）');
    await procuratorate.settle();
    await until('a remaining member received it', () => police.changes.some((x) => x.message?.id === afterRemoval.id));
    expect(procuratorate.changes.some((x) => x.message?.id === afterRemoval.id)).toBe(false);
    // Nor can the removed member post any more, from the socket that posted a moment ago.
    const removedPost = await procuratorate.emit(SocketEvent.ChannelSend, {
      channelId,
      clientId: randomUUID(),
      text: '退出后发言',
    });
    expect(removedPost).toMatchObject({ ok: false, error: { code: 'Not Found' } });
    // A resend of what it sent while a member still gets that message's ack.
    const resent = await procuratorate.emit<MessageAck>(SocketEvent.ChannelSend, {
      channelId,
      clientId: notedId,
      text: '收到，检察院已阅。',
    });
    expect(resent).toEqual({ ok: true, data: { id: noted.id, seq: noted.seq, createdAt: noted.createdAt } });
    expect((await procuratorate.sync([{ channelId, after: 0 }])).denied).toEqual([channelId]);

    // Auditors (not members of this meeting) read for the record but do not take part.
    const auditor = await client('auditor');
    expect((await auditor.sync([{ channelId, after: 0 }])).denied).toEqual([]);
    const auditorPost = await auditor.emit(SocketEvent.ChannelSend, {
      channelId,
      clientId: randomUUID(),
      text: '审计员发言',
    });
    expect(auditorPost).toMatchObject({ ok: false, error: { code: 'Forbidden' } });
    // Outsiders cannot manage it; archiving makes it read-only, history stays.
    const foreign = await app.http.patch(`/api/channels/${channelId}`, { title: '改名' }, await token('gaj.liaison'));
    expect(foreign.status).toBe(403);
    const archived = await app.http.patch<ChannelView>(
      `/api/channels/${channelId}`,
      { archived: true },
      await token('zfj.liaison'),
    );
    expect(archived.body).toMatchObject({ archived: true, canPost: false });
    const refused = await police.emit(SocketEvent.ChannelSend, {
      channelId,
      clientId: randomUUID(),
      text: '归档后发言',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'Conflict' } });
    // The host has posted here before (its socket holds a grant): archived is read-only for it too.
    const hostRefused = await host.emit(SocketEvent.ChannelSend, {
      channelId,
      clientId: randomUUID(),
      text: '归档后主持人发言',
    });
    expect(hostRefused).toMatchObject({ ok: false, error: { code: 'Conflict' } });
    const history = await app.http.get<HistoryPage>(`/api/channels/${channelId}/messages`, await token('gaj.liaison'));
    expect(history.body.messages.map((m) => m.id)).toEqual([hello.id, noted.id, afterRemoval.id]);
  });

  it('opens one direct channel per pair of users', async () => {
    const one = await app.http.post<ChannelView>(
      '/api/channels',
      { kind: 'direct', userId: await userId('gaj.liaison') },
      await token('zfj.liaison'),
    );
    const two = await app.http.post<ChannelView>(
      '/api/channels',
      { kind: 'direct', userId: await userId('zfj.liaison') },
      await token('gaj.liaison'),
    );
    expect(one.status).toBe(201);
    expect(two.body.id).toBe(one.body.id);
    expect(one.body.memberUserIds.sort()).toEqual([await userId('zfj.liaison'), await userId('gaj.liaison')].sort());
    const bad = await app.http.post('/api/channels', { kind: 'direct' }, await token('zfj.liaison'));
    expect(bad.status).toBe(400);
    expect((bad.body as { details: { field: string }[] }).details[0]?.field).toBe('userId');
  });
});

describe('history, presence and typing', () => {
  it('pages history by seq in both directions', async () => {
    const channel = await channelNamed('jcy.liaison', '执法局—检察院公益诉讼线索联络群');
    const c = await client('jcy.liaison');
    const sent = [];
    for (let i = 1; i <= 7; i++) sent.push(await send(c, channel.id, `公益诉讼线索第 ${i} 条：河道非法采砂`));
    const seqs = sent.map((m) => m.seq);
    const page = async (q: string) =>
      (await app.http.get<HistoryPage>(`/api/channels/${channel.id}/messages?${q}`, await token('zfj.liaison'))).body;
    const latest = await page('limit=3');
    expect(latest.messages.map((m) => m.seq)).toEqual(seqs.slice(4));
    expect(latest.hasMore).toBe(true);
    const older = await page(`before=${latest.messages[0]?.seq}&limit=3`);
    expect(older.messages.map((m) => m.seq)).toEqual(seqs.slice(1, 4));
    const forward = await page(`after=${seqs[0]}&limit=4`);
    expect(forward.messages.map((m) => m.seq)).toEqual(seqs.slice(1, 5));
    expect(forward.hasMore).toBe(true);
    const end = await page(`after=${seqs[6]}`);
    expect(end).toEqual({ messages: [], hasMore: false });
    const bad = await app.http.get(`/api/channels/${channel.id}/messages?limit=1000`, await token('zfj.liaison'));
    expect(bad.status).toBe(400);
    expect((bad.body as { details: { field: string }[] }).details[0]?.field).toBe('limit');
    const search = await app.http.get<SearchHit[]>(
      `/api/channels/search?q=${encodeURIComponent('非法采砂')}`,
      await token('zfj.liaison'),
    );
    expect(search.body.filter((h) => h.message.channelId === channel.id)).toHaveLength(7);
    const elsewhere = await app.http.get<SearchHit[]>(
      `/api/channels/search?q=${encodeURIComponent('非法采砂')}`,
      await token('gaj.liaison'),
    );
    expect(elsewhere.body).toEqual([]);
  });

  it('shows co-members who is online, away or gone, and who is typing, without storing it', async () => {
    const channel = await channelNamed('zfj.liaison', LIAISON);
    const watcher = await client('zfj.head');
    await watcher.sync([{ channelId: channel.id, after: channel.lastChangeSeq }]);
    const presence: { userId: string; state: string }[] = [];
    const typing: { channelId: string; userId: string }[] = [];
    watcher.socket.on(SocketEvent.PresenceChanged, (p) => presence.push(p));
    watcher.socket.on(SocketEvent.ChannelTyping, (t) => typing.push(t));
    const head = await userId('gaj.head');
    const other = await client('gaj.head');
    await until('online reaches the co-member', () => presence.some((p) => p.userId === head && p.state === 'online'));
    expect(await other.emit(SocketEvent.PresenceSet, { state: 'away' })).toEqual({ ok: true, data: { state: 'away' } });
    await until('away reaches the co-member', () => presence.some((p) => p.userId === head && p.state === 'away'));
    // Someone who opens the channel only now sees where things stand, not just later changes.
    const opened = async () =>
      (await app.http.get<ChannelView>(`/api/channels/${channel.id}`, await token('zfj.liaison'))).body.presence;
    expect((await opened())?.[head]).toBe('away');
    expect(await other.emit(SocketEvent.PresenceSet, { state: 'busy' })).toMatchObject({
      ok: false,
      error: { details: [{ field: 'state' }] },
    });

    const before = await query<{ n: string }>(
      app.databaseUrl,
      'select count(*) n from channel_change where channel_id = $1',
      [channel.id],
    );
    expect(await other.emit(SocketEvent.ChannelTyping, { channelId: channel.id })).toEqual({
      ok: true,
      data: { sent: true },
    });
    expect(await other.emit(SocketEvent.ChannelTyping, { channelId: channel.id })).toEqual({
      ok: true,
      data: { sent: false },
    });
    await until('typing reaches the co-member', () =>
      typing.some((t) => t.userId === head && t.channelId === channel.id),
    );
    const after = await query<{ n: string }>(
      app.databaseUrl,
      'select count(*) n from channel_change where channel_id = $1',
      [channel.id],
    );
    expect(after).toEqual(before);
    const outsider = await client('zjj.liaison');
    expect(await outsider.emit(SocketEvent.ChannelTyping, { channelId: channel.id })).toMatchObject({
      ok: false,
      error: { code: 'Not Found' },
    });

    other.socket.disconnect();
    await until('offline reaches the co-member', () =>
      presence.some((p) => p.userId === head && p.state === 'offline'),
    );
    expect((await opened())?.[head]).toBe('offline');
  });
});
