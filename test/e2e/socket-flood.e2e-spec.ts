import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  SocketErrorCode,
  SocketEvent,
  type ChannelChange,
  type ChannelView,
  type MessageAck,
  type SocketAck,
} from '@xietong/shared';
import { bootApp, connectSocket, type ClientSocket, type TestApp } from '../support/app.js';
import { until } from '../support/fixtures.js';
import { silentTcp, silentWebSocket, type HalfOpen } from '../support/half-open.js';

let app: TestApp;
const sockets: ClientSocket[] = [];
const halfOpen: HalfOpen[] = [];
const LIAISON = '执法局—公安局联络群';

beforeAll(async () => {
  app = await bootApp({
    env: {
      SOCKET_FLOOD_DISCONNECT_SECONDS: '5',
      SOCKET_PING_INTERVAL_SECONDS: '2',
      SOCKET_PING_TIMEOUT_SECONDS: '2',
      SOCKET_HANDSHAKE_TIMEOUT_SECONDS: '3',
      SOCKET_MAX_PER_USER: '4',
      CHANNEL_SEND_LIMIT: '1000',
    },
  });
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  halfOpen.forEach((h) => h.destroy());
  await app?.close();
});

async function socketOf(username: string): Promise<ClientSocket> {
  const pair = await app.http.login(username);
  const s = await connectSocket(app.url, pair.accessToken);
  sockets.push(s);
  return s;
}

/** Records whether and why the server closed a socket. */
function watchDisconnect(s: ClientSocket): { reason: string | undefined } {
  const seen: { reason: string | undefined } = { reason: undefined };
  s.on('disconnect', (reason) => (seen.reason = reason));
  return seen;
}

const ping = async (s: ClientSocket) =>
  (await s.timeout(15_000).emitWithAck(SocketEvent.Ping, {})) as SocketAck<{ serverTime: string }>;

/**
 * Ordinary users while something else goes on: one sends a message every 100 ms, the other
 * receives them; both ping. Returns what each saw, once `stop()` is called.
 */
function ordinaryTraffic(sender: ClientSocket, receiver: ClientSocket, channelId: string) {
  const sent: string[] = [];
  const failures: string[] = [];
  const received: string[] = [];
  receiver.on(SocketEvent.ChannelChange, (c: ChannelChange) => {
    if (c.type === 'message.created' && c.message?.body?.startsWith('steady ')) received.push(c.message.body);
  });
  let n = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const text = `steady ${n++}`;
      const ack = (await sender
        .timeout(15_000)
        .emitWithAck(SocketEvent.ChannelSend, { channelId, clientId: randomUUID(), text })) as SocketAck<MessageAck>;
      if (ack.ok) sent.push(text);
      else failures.push(`send: ${ack.error.code}`);
      for (const s of [sender, receiver]) {
        const p = await ping(s);
        if (!p.ok) failures.push(`ping: ${p.error.code}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { sent, received, failures };
    },
  };
}

describe('a socket that floods', () => {
  it('is limited with RATE_LIMITED, then disconnected alone, while everyone else keeps sending and receiving', async () => {
    const channel = (
      await app.http.get<ChannelView[]>('/api/channels', (await app.http.login('zfj.liaison')).accessToken)
    ).body.find((c) => c.title === LIAISON);
    if (!channel) throw new Error('no liaison channel');
    const sender = await socketOf('zfj.liaison');
    const receiver = await socketOf('gaj.liaison');
    const flooder = await socketOf('gaj.officer');
    // The flooder's own other socket (another tab) behaves and must stay.
    const calmTwin = await socketOf('gaj.officer');
    const watched = [sender, receiver, calmTwin].map(watchDisconnect);
    const flooderGone = new Promise<string>((ok) => flooder.once('disconnect', ok));

    const traffic = ordinaryTraffic(sender, receiver, channel.id);
    const acks = { ok: 0, limited: 0, other: 0 };
    const messages = new Set<string>();
    let limitedBeforeDisconnect = false;
    // 1,000 events/s: ten every 10 ms, each with an ack, until the server closes the socket.
    const timer = setInterval(() => {
      for (let i = 0; i < 10; i++)
        flooder.emit(SocketEvent.Ping, {}, (res: SocketAck<unknown>) => {
          if (res.ok) acks.ok++;
          else if (res.error.code === SocketErrorCode.RateLimited) {
            acks.limited++;
            limitedBeforeDisconnect ||= flooder.connected;
            messages.add(res.error.message);
          } else acks.other++;
        });
    }, 10);
    const reason = await Promise.race([
      flooderGone,
      new Promise<string>((ok) => setTimeout(() => ok('still connected after 40 s'), 40_000)),
    ]);
    clearInterval(timer);
    // A little more ordinary traffic after the flooder is gone.
    await new Promise((r) => setTimeout(r, 1_000));
    const seen = await traffic.stop();

    expect(reason).toBe('io server disconnect');
    expect(limitedBeforeDisconnect).toBe(true);
    // Most of the flood was refused; the limit let some through (the burst, then 20/s).
    expect(acks.limited).toBeGreaterThan(acks.ok);
    expect(acks.ok).toBeGreaterThanOrEqual(40);
    expect(acks.other).toBe(0);
    expect([...messages]).toEqual(['操作过于频繁，请稍后再试']);

    expect(seen.failures).toEqual([]);
    expect(seen.sent.length).toBeGreaterThan(5);
    await until('the receiver has every steady message', () => seen.received.length >= seen.sent.length, 15_000);
    expect(seen.received).toEqual(seen.sent);
    expect(watched.map((w) => w.reason)).toEqual([undefined, undefined, undefined]);
    expect((await ping(calmTwin)).ok).toBe(true);
  }, 90_000);
});

describe('half-open connections', () => {
  it('are reaped without touching anyone else: silent TCP, a WebSocket that never connects, a socket that stops answering pings', async () => {
    const a = await socketOf('zjj.liaison');
    const b = await socketOf('sthj.liaison');
    const watched = [a, b].map(watchDisconnect);
    const { accessToken } = await app.http.login('hz.officer');
    for (let i = 0; i < 40; i++) halfOpen.push(await silentTcp(app.port));
    for (let i = 0; i < 40; i++) halfOpen.push(await silentWebSocket(app.port));
    // Within the per-user cap: these go because they stop answering, not because they are many.
    for (let i = 0; i < 3; i++) halfOpen.push(await silentWebSocket(app.port, accessToken));

    // While they hang, the others are served as usual.
    for (let i = 0; i < 5; i++) for (const s of [a, b]) expect((await ping(s)).ok).toBe(true);

    const byStage = (stage: HalfOpen['stage']) => halfOpen.filter((h) => h.stage === stage);
    // Ping interval + timeout (4 s) or the connect timeout (3 s), then the WebSocket's closing
    // handshake, which waits up to 30 s for the silent peer's answer before dropping the TCP.
    await until(
      'silent sockets and unconnected WebSockets reaped',
      () => [...byStage('socket.io'), ...byStage('websocket')].every((h) => h.isClosed()),
      60_000,
    );
    await until('silent TCP connections reaped', () => byStage('tcp').every((h) => h.isClosed()), 30_000);
    for (const s of [a, b]) expect((await ping(s)).ok).toBe(true);
    expect(watched.map((w) => w.reason)).toEqual([undefined, undefined]);
  }, 120_000);
});

describe('sockets per user', () => {
  it('closes a user’s oldest socket beyond the cap, and keeps the newest', async () => {
    const own = [];
    for (let i = 0; i < 4; i++) own.push(await socketOf('xk.officer'));
    const gone = watchDisconnect(own[0] as ClientSocket);
    const newest = await socketOf('xk.officer');
    await until('the oldest socket closed', () => gone.reason !== undefined, 15_000);
    expect(gone.reason).toBe('io server disconnect');
    for (const s of [...own.slice(1), newest]) expect((await ping(s)).ok).toBe(true);
  });
});
