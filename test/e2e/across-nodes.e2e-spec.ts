import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  rooms,
  SocketEvent,
  type ChannelView,
  type HistoryPage,
  type Me,
  type MessageAck,
  type ReferralChangedEvent,
  type SocketAck,
} from '@xietong/shared';
import { realtimeRedis, realtimeStreamNames, RealtimeStreamEmitter } from '@xietong/server/realtime/stream-emitter';
import {
  bootApp,
  bootNode,
  connectSocket,
  record,
  spawnWorker,
  type ClientSocket,
  type TestApp,
} from '../support/app.js';
import { referToLongzhou, until } from '../support/fixtures.js';
import { TEST_REDIS_URL } from '../support/env.js';
import { privateRedis } from '../support/redis.js';

const closers: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

async function socketOn(node: TestApp, accessToken: string): Promise<ClientSocket> {
  const socket = await connectSocket(node.url, accessToken);
  closers.push(() => void socket.close());
  // 'connect' can reach the client before the node has put the socket in its user and agency
  // rooms; a ping answered after it means the node has (the rooms are joined before any event).
  await ping(socket);
  return socket;
}

async function ask<T>(socket: ClientSocket, event: string, payload: unknown): Promise<SocketAck<T>> {
  return (await (socket.timeout(10_000) as unknown as ClientSocket).emitWithAck(
    event as typeof SocketEvent.Ping,
    payload,
  )) as unknown as SocketAck<T>;
}

async function ping(socket: ClientSocket): Promise<SocketAck<{ serverTime: string }>> {
  return (await socket.timeout(5_000).emitWithAck(SocketEvent.Ping, {})) as SocketAck<{ serverTime: string }>;
}

describe('two API nodes on one Redis', () => {
  // Node A serves and works the queues; node B only serves (PROCESS_ROLE=api), so whatever its
  // clients get from a delivery job came across from A through Redis. A small stream makes the
  // fallen-behind case reachable in a test.
  const streamMaxLen = 200;
  let a: TestApp;
  let b: TestApp;
  /** What a worker process uses: the test plays a worker of this deployment. */
  let emitter: RealtimeStreamEmitter;
  beforeAll(async () => {
    a = await bootApp({ env: { SOCKET_STREAM_MAX_LEN: String(streamMaxLen) } });
    closers.push(() => a.close());
    b = await bootNode(a, { PROCESS_ROLE: 'api' });
    closers.push(() => b.close());
    emitter = new RealtimeStreamEmitter(
      realtimeRedis(TEST_REDIS_URL),
      realtimeStreamNames(a.queuePrefix),
      streamMaxLen,
    );
    closers.push(() => emitter.close());
  });

  it('a worker’s join and leave reach a user’s sockets on every node at once', async () => {
    const user = await a.http.login('hz.staff');
    const me = (await a.http.get<Me>('/api/me', user.accessToken)).body;
    const sockets = [record(await socketOn(a, user.accessToken)), record(await socketOn(b, user.accessToken))];
    const channel = rooms.channel('00000000-0000-4000-8000-00000000c001');
    const said = (code: string) => ({ codes: [code] });

    await emitter.socketsJoin([rooms.user(me.id)], [channel]);
    await emitter.broadcast([channel], SocketEvent.CatalogueChanged, said('while-member'));
    await emitter.socketsLeave([rooms.user(me.id)], [channel]);
    await emitter.broadcast([channel], SocketEvent.CatalogueChanged, said('after-leaving'));
    await emitter.broadcast([rooms.user(me.id)], SocketEvent.CatalogueChanged, said('to-the-user'));

    for (const socket of sockets) {
      // The stream is applied in order: once the last event is in, the one after leaving would be too.
      await socket.received(SocketEvent.CatalogueChanged, (p: { codes: string[] }) => p.codes[0] === 'to-the-user');
      const heard = socket.events.filter((e) => e.event === SocketEvent.CatalogueChanged).map((e) => e.payload);
      expect(heard).toEqual([said('while-member'), said('to-the-user')]);
    }
  });

  it('a referral created through node A reaches the receiving agency on node B, and the sender on A', async () => {
    const bureau = (await a.http.login('zfj.officer')).accessToken;
    const onA = record(await socketOn(a, bureau));
    const onB = record(await socketOn(b, (await b.http.login('lz.staff')).accessToken));
    const bystander = record(await socketOn(b, (await b.http.login('gaj.liaison')).accessToken));

    const referral = await referToLongzhou(a.http, bureau);
    expect(referral.state).toBe('delivered');

    const arrived = await onB.received<ReferralChangedEvent>(
      SocketEvent.ReferralDelivered,
      (e) => e.referralId === referral.id,
    );
    expect(arrived).toMatchObject({ referralId: referral.id, state: 'delivered', eventId: expect.any(Number) });
    await onA.received<ReferralChangedEvent>(SocketEvent.ReferralChanged, (e) => e.referralId === referral.id);
    // Rooms still scope delivery across nodes: the police liaison on B is no party to it.
    await ping(bystander.socket);
    expect(bystander.events.filter((e) => e.event.startsWith('referral.'))).toEqual([]);
    expect(onB.events.some((e) => e.event === SocketEvent.SessionResync)).toBe(false);
  });

  it('a member removed through node A can no longer post from its socket on node B, at once', async () => {
    const host = await a.http.login('zfj.liaison');
    const member = await b.http.login('jcy.liaison');
    const created = await a.http.post<ChannelView>(
      '/api/channels',
      { kind: 'joint_meeting', title: '跨节点成员移除联席会议', topic: '移除后即不能发言', userIds: [member.user.id] },
      host.accessToken,
    );
    expect(created.status).toBe(201);
    const channelId = created.body.id;
    const onB = await socketOn(b, member.accessToken);
    expect(await ask(onB, SocketEvent.ChannelSync, { cursors: [{ channelId, after: 0 }] })).toMatchObject({ ok: true });
    // Posting from node B leaves that socket holding a grant to post in the channel.
    const first = await ask<MessageAck>(onB, SocketEvent.ChannelSend, {
      channelId,
      clientId: randomUUID(),
      text: '检察院到会',
    });
    expect(first.ok).toBe(true);

    const removed = await a.http.post(
      `/api/channels/${channelId}/members`,
      { remove: { userIds: [member.user.id] } },
      host.accessToken,
    );
    expect(removed.status).toBe(201);
    const after = await ask(onB, SocketEvent.ChannelSend, { channelId, clientId: randomUUID(), text: '移除后发言' });
    expect(after).toMatchObject({ ok: false, error: { code: 'Not Found' } });
    const history = await a.http.get<HistoryPage>(`/api/channels/${channelId}/messages`, host.accessToken);
    expect(history.body.messages.map((m) => m.body)).toEqual(['检察院到会']);
  });

  it('signing out through node A ends that session’s sockets on node B, and only those', async () => {
    const first = await a.http.login('xk.staff');
    const second = await b.http.login('xk.staff');
    const revokedSocket = await socketOn(b, first.accessToken);
    const revoked = record(revokedSocket);
    const other = await socketOn(b, second.accessToken);
    const gone = new Promise<string>((ok) => revokedSocket.once('disconnect', (reason) => ok(reason)));

    expect((await a.http.post('/api/auth/logout', undefined, first.accessToken)).status).toBe(204);
    expect(await revoked.received(SocketEvent.SessionRevoked)).toEqual({ reason: 'logout' });
    expect(await gone).toBe('io server disconnect');
    expect(await ping(other)).toMatchObject({ ok: true });
  });

  it('a node that fell behind the stream beyond its trim tells its clients to resync from the database', async () => {
    const user = await b.http.login('hs.staff');
    const me = (await b.http.get<Me>('/api/me', user.accessToken)).body;
    const socket = record(await socketOn(b, user.accessToken));

    // B reads the stream and is up to date: an event to this user arrives, with no resync.
    const hello = { codes: ['warm-up'] };
    await emitter.broadcast([rooms.user(me.id)], SocketEvent.CatalogueChanged, hello);
    expect(await socket.received(SocketEvent.CatalogueChanged)).toEqual(hello);

    // Freeze B while the stream moves on by five times what it keeps, then let it go on.
    b.signal('SIGSTOP');
    try {
      for (let i = 0; i < streamMaxLen * 5; i++) {
        await emitter.broadcast([rooms.user(me.id)], SocketEvent.CatalogueChanged, { codes: [`c${i}`] });
      }
    } finally {
      b.signal('SIGCONT');
    }
    expect(await socket.received(SocketEvent.SessionResync)).toEqual({ reason: 'stream_trimmed' });
    // The socket stays usable: the client reloads over REST and keeps listening.
    expect(await ping(socket.socket)).toMatchObject({ ok: true });
  });
});

describe('an API-only node with a separate worker process', () => {
  it('the worker pushes referral.delivered to the receiving agency connected to the API node', async () => {
    const api = await bootApp({ env: { PROCESS_ROLE: 'api' } });
    closers.push(() => api.close());
    const worker = spawnWorker(api);
    closers.push(() => worker.close());

    const township = record(await socketOn(api, (await api.http.login('lz.staff')).accessToken));
    const referral = await referToLongzhou(api.http, (await api.http.login('zfj.officer')).accessToken);
    const arrived = await township
      .received<ReferralChangedEvent>(SocketEvent.ReferralDelivered, (e) => e.referralId === referral.id, 45_000)
      .catch((e: unknown) => {
        throw new Error(`${String(e)}\nworker output:\n${worker.output()}`);
      });
    expect(arrived).toMatchObject({ state: 'delivered', toAgencyId: referral.to.id, eventId: expect.any(Number) });
  });
});

describe('two API nodes through a Redis restart', () => {
  it('keep sharing rooms once Redis is back: the stream readers resume by themselves', async () => {
    let redis = await privateRedis();
    closers.push(() => redis.stop());
    const a = await bootApp({ env: { REDIS_URL: redis.url } });
    closers.push(() => a.close());
    const b = await bootNode(a, { PROCESS_ROLE: 'api' });
    closers.push(() => b.close());
    const bureau = (await a.http.login('zfj.officer')).accessToken;
    const township = record(await socketOn(b, (await b.http.login('lz.staff')).accessToken));
    const delivered = (id: string) =>
      township.received<ReferralChangedEvent>(SocketEvent.ReferralDelivered, (e) => e.referralId === id, 45_000);

    await delivered((await referToLongzhou(a.http, bureau)).id);
    await redis.stop();
    redis = await privateRedis([], redis.port);
    const after = await referToLongzhou(a.http, bureau);
    expect(await delivered(after.id)).toMatchObject({ referralId: after.id, state: 'delivered' });
  });
});

describe('presence across nodes', () => {
  it('a user whose node was killed outright stops showing online once that node misses its beats', async () => {
    const a = await bootApp({ env: { PRESENCE_NODE_BEAT_SECONDS: '1' } });
    closers.push(() => a.close());
    const b = await bootNode(a, { PROCESS_ROLE: 'api' });
    closers.push(() => b.close());
    const watcher = (await a.http.login('zfj.head')).accessToken;
    const police = await b.http.login('gaj.head');
    const policeId = (await b.http.get<Me>('/api/me', police.accessToken)).body.id;
    const channels = (await a.http.get<ChannelView[]>('/api/channels', watcher)).body;
    const liaison = channels.find((c) => c.title === '执法局—公安局联络群');
    expect(liaison).toBeDefined();
    const presenceOnA = async () =>
      (await a.http.get<ChannelView>(`/api/channels/${liaison?.id}`, watcher)).body.presence?.[policeId];

    expect(await presenceOnA()).toBe('offline');
    await socketOn(b, police.accessToken);
    await until('the snapshot on node A shows the user online', async () => (await presenceOnA()) === 'online');
    b.signal('SIGKILL');
    // No disconnect is ever reported for the killed node's sockets; its lapsed beat says it.
    await until('the snapshot shows the user offline', async () => (await presenceOnA()) === 'offline', 20_000);
  });
});

describe('without Redis', () => {
  it('one node delivers through its in-memory adapter (queues on PostgreSQL)', async () => {
    const solo = await bootApp({ redis: false });
    closers.push(() => solo.close());
    const township = record(await socketOn(solo, (await solo.http.login('lz.staff')).accessToken));
    const referral = await referToLongzhou(solo.http, (await solo.http.login('zfj.officer')).accessToken);
    const arrived = await township.received<ReferralChangedEvent>(
      SocketEvent.ReferralDelivered,
      (e) => e.referralId === referral.id,
      30_000,
    );
    expect(arrived).toMatchObject({ referralId: referral.id, state: 'delivered' });
  });
});
