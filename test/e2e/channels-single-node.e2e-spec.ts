import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SocketEvent, type ChannelView, type MessageAck, type SocketAck, type SyncResult } from '@xietong/shared';
import { bootApp, connectSocket, type ClientSocket, type TestApp } from '../support/app.js';
import { until } from '../support/fixtures.js';

/** Without Redis (queues on PostgreSQL, one node): the send limit and presence are kept in the process. */
let app: TestApp;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  app = await bootApp({ redis: false, env: { CHANNEL_SEND_LIMIT: '3', CHANNEL_SEND_WINDOW_SECONDS: '60' } });
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await app?.close();
});

async function open(username: string): Promise<{ socket: ClientSocket; token: string; userId: string }> {
  const pair = await app.http.login(username);
  const socket = await connectSocket(app.url, pair.accessToken);
  sockets.push(socket);
  return { socket, token: pair.accessToken, userId: pair.user.id };
}

const ask = async <T>(socket: ClientSocket, event: string, payload: unknown): Promise<SocketAck<T>> =>
  (await (socket.timeout(10_000) as unknown as ClientSocket).emitWithAck(
    event as typeof SocketEvent.Ping,
    payload,
  )) as unknown as SocketAck<T>;

describe('channels on one node without Redis', () => {
  it('limits sends per user in the process; a resend of a stored message is not counted', async () => {
    const a = await open('zfj.liaison');
    const list = (await app.http.get<ChannelView[]>('/api/channels', a.token)).body;
    const channel = list.find((c) => c.title === '执法局—公安局联络群');
    if (!channel) throw new Error('seeded liaison channel missing');
    const payload = (text: string) => ({ channelId: channel.id, clientId: randomUUID(), text });
    const first = payload('第一条');
    const stored = await ask<MessageAck>(a.socket, SocketEvent.ChannelSend, first);
    expect(stored.ok).toBe(true);
    // A resend within the budget gives its slot back: three new messages still fit.
    expect(await ask<MessageAck>(a.socket, SocketEvent.ChannelSend, first)).toEqual(stored);
    expect((await ask<MessageAck>(a.socket, SocketEvent.ChannelSend, payload('第二条'))).ok).toBe(true);
    expect((await ask<MessageAck>(a.socket, SocketEvent.ChannelSend, payload('第三条'))).ok).toBe(true);
    expect((await ask<MessageAck>(a.socket, SocketEvent.ChannelSend, first)).ok).toBe(true);
    const over = await ask<MessageAck>(a.socket, SocketEvent.ChannelSend, payload('第四条'));
    expect(over).toMatchObject({ ok: false, error: { code: 'Too Many Requests' } });
    // Another user has a budget of their own.
    const b = await open('gaj.liaison');
    expect((await ask<MessageAck>(b.socket, SocketEvent.ChannelSend, payload('公安局回复'))).ok).toBe(true);
  });

  it('keeps presence in the process and tells co-members', async () => {
    const watcher = await open('zfj.head');
    const list = (await app.http.get<ChannelView[]>('/api/channels', watcher.token)).body;
    const channel = list.find((c) => c.title === '执法局—公安局联络群');
    if (!channel) throw new Error('seeded liaison channel missing');
    const sync = await ask<SyncResult>(watcher.socket, SocketEvent.ChannelSync, {
      cursors: [{ channelId: channel.id, after: channel.lastChangeSeq }],
    });
    expect(sync.ok).toBe(true);
    const seen: { userId: string; state: string }[] = [];
    watcher.socket.on(SocketEvent.PresenceChanged, (p) => seen.push(p));
    const other = await open('gaj.head');
    await until('online', () => seen.some((p) => p.userId === other.userId && p.state === 'online'));
    other.socket.disconnect();
    await until('offline', () => seen.some((p) => p.userId === other.userId && p.state === 'offline'));
  });
});
