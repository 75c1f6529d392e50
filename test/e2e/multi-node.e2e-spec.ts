import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import {
  SocketEvent,
  type ChannelView,
  type HealthReport,
  type ReferralChangedEvent,
  type WebhookDeliveryView,
} from '@xietong/shared';
import { QueueBackend } from '@xietong/server/queue/queue-backend';
import { startTopology, type NodeProcess, type Topology } from '../../infra/topology/topology.js';
import { connectSocket, getFrom, Http, record, type ClientSocket } from '../support/app.js';
import { ChannelClient } from '../support/channel-client.js';
import { freshDatabase, query, uniquePrefix } from '../support/database.js';
import { TEST_REDIS_URL } from '../support/env.js';
import { referToLongzhou, until } from '../support/fixtures.js';
import { webhookReceiver } from '../support/webhooks.js';

/**
 * The product as it runs at scale (infra/topology): two API/socket nodes behind nginx with
 * sticky sessions, two worker processes, one PostgreSQL, one Redis. Clients reach it only
 * through nginx, each from a loopback address of its own (one address, one client machine).
 */
let topo: Topology;
let http: Http;
const sockets: ClientSocket[] = [];
/** one loopback address per API node, found by asking nginx which node each address lands on */
const addressOf = new Map<string, string>();

beforeAll(async () => {
  const db = await freshDatabase();
  topo = await startTopology({
    api: 2,
    workers: 2,
    databaseUrl: db.url,
    redisUrl: TEST_REDIS_URL,
    queuePrefix: uniquePrefix('topo'),
    // A dead worker's job is taken over within seconds, not BullMQ's 30 s.
    env: { LOG_LEVEL: 'warn', QUEUE_LOCK_MS: '3000', CHANNEL_SEND_LIMIT: '500' },
  });
  http = new Http(topo.url);
  for (let i = 2; addressOf.size < topo.api.length; i++) {
    if (i > 60) throw new Error(`no loopback address lands on some node: ${JSON.stringify([...addressOf])}`);
    const address = `127.0.0.${i}`;
    const { node } = await getFrom<HealthReport>(`${topo.url}/api/health`, address);
    if (!addressOf.has(node)) addressOf.set(node, address);
  }
}, 120_000);

afterAll(async () => {
  sockets.forEach((s) => s.close());
  await topo?.stop();
});

/** A browser-like client through nginx: long-polling first, then the upgrade, reconnecting by itself. */
async function clientOn(node: NodeProcess, username: string): Promise<ClientSocket> {
  const { accessToken } = await http.login(username);
  const socket = await connectSocket(topo.url, accessToken, {
    localAddress: addressOf.get(node.name) ?? '',
    polling: true,
    reconnect: true,
  });
  sockets.push(socket);
  return socket;
}

const landedOn = async (address: string): Promise<string> =>
  (await getFrom<HealthReport>(`${topo.url}/api/health`, address)).node;

async function liaisonChannel(username: string): Promise<ChannelView> {
  const list = await http.get<ChannelView[]>('/api/channels', (await http.login(username)).accessToken);
  const channel = list.body.find((c) => c.title === '执法局—公安局联络群');
  if (!channel) throw new Error(`${username} has no liaison channel`);
  return channel;
}

/** What the database holds for a channel after a change: the messages created, in order. */
async function createdAfter(channelId: string, after: number): Promise<{ id: string; change_seq: number }[]> {
  return query(
    topo.databaseUrl,
    `select message_id id, change_seq from channel_change
      where channel_id = $1 and change_seq > $2 and type = 'message.created' order by change_seq`,
    [channelId, after],
  );
}

describe('two API nodes behind nginx, two workers', () => {
  it('puts clients on different nodes that share a channel and the referral events', async () => {
    const [a, b] = topo.api as [NodeProcess, NodeProcess];
    expect(await landedOn(addressOf.get(a.name) ?? '')).toBe(a.name);
    expect(await landedOn(addressOf.get(b.name) ?? '')).toBe(b.name);

    const channel = await liaisonChannel('zfj.liaison');
    const bureau = new ChannelClient(await clientOn(a, 'zfj.liaison'), channel.id, channel.lastChangeSeq);
    const police = new ChannelClient(await clientOn(b, 'gaj.liaison'), channel.id, channel.lastChangeSeq);
    // The long-poll session was upgraded through nginx: the Upgrade headers pass.
    await until('both upgraded to WebSocket', () =>
      [bureau, police].every((c) => c.socket.io.engine.transport.name === 'websocket'),
    );

    await bureau.send('今晚联合整治荣昌夜市，请派两名民警。');
    await police.send('收到，两名民警19点到场。');
    for (const c of [bureau, police]) {
      await until('both messages reach both nodes’ clients', () => c.applied.length === 2);
      expect(c.applied.map((x) => x.message?.body)).toEqual([
        '今晚联合整治荣昌夜市，请派两名民警。',
        '收到，两名民警19点到场。',
      ]);
    }

    const officer = record(await clientOn(a, 'zfj.officer'));
    const township = record(await clientOn(b, 'lz.staff'));
    const referral = await referToLongzhou(http, (await http.login('zfj.officer')).accessToken);
    const delivered = await township.received<ReferralChangedEvent>(
      SocketEvent.ReferralDelivered,
      (e) => e.referralId === referral.id,
      30_000,
    );
    expect(delivered).toMatchObject({ state: 'delivered', toAgencyId: referral.to.id });
    await officer.received<ReferralChangedEvent>(SocketEvent.ReferralChanged, (e) => e.referralId === referral.id);
  });

  it('SIGKILL of a node: its clients move through nginx to the other and catch up, nothing lost or doubled', async () => {
    const [a, b] = topo.api as [NodeProcess, NodeProcess];
    const channel = await liaisonChannel('zfj.liaison');
    const start = channel.lastChangeSeq;
    // The bureau's client sits on the node that dies; the police's on the one that stays.
    const onA = new ChannelClient(await clientOn(a, 'zfj.liaison'), channel.id, start);
    const onB = new ChannelClient(await clientOn(b, 'gaj.liaison'), channel.id, start);
    const gone = new Promise<void>((ok) => onA.socket.once('disconnect', () => ok()));
    // A's client waits 3 s before reconnecting, so what happens meanwhile can only reach it by the sync.
    onA.socket.io.reconnectionDelay(3_000).reconnectionDelayMax(3_000).randomizationFactor(0);

    // Both keep talking while A dies: sends in flight on A lose their ack and go again after the
    // reconnect with the same clientId; B's go on, and A's client must catch up on them.
    const perSide = 12;
    const talk = async (c: ChannelClient, who: string) => {
      for (let i = 0; i < perSide; i++) {
        void c.send(`${who} 第${i + 1}条`);
        await new Promise((r) => setTimeout(r, 120));
      }
    };
    const talking = Promise.all([talk(onA, '执法局'), talk(onB, '公安局')]);
    await until('a few messages went through', () => onA.applied.length >= 4);
    await a.kill();
    await gone;
    // Offline on A: typed while disconnected, kept, sent on reconnect. Meanwhile B posts.
    void onA.send('执法局：断线期间写的');
    expect(onA.pending.size).toBeGreaterThanOrEqual(1);
    const meanwhile = await onB.send('公安局：执法局断线期间');
    expect(onA.reconnects).toBe(0);
    await talking;
    await until('A’s client reconnected', () => onA.reconnects > 0 && onA.socket.connected);
    expect(await landedOn(addressOf.get(a.name) ?? '')).toBe(b.name);
    await until('every send acknowledged', () => onA.pending.size === 0 && onB.pending.size === 0, 30_000);

    const stored = await createdAfter(channel.id, start);
    expect(stored).toHaveLength(2 * perSide + 2); // each clientId stored once: resent, never doubled
    const texts = await query<{ body: string }>(
      topo.databaseUrl,
      'select body from channel_message where id = any($1::uuid[])',
      [stored.map((m) => m.id)],
    );
    expect(new Set(texts.map((t) => t.body)).size).toBe(2 * perSide + 2);
    for (const c of [onA, onB]) {
      await until('caught up to the last change', async () => {
        const [row] = await query<{ last: number }>(
          topo.databaseUrl,
          'select last_change_seq "last" from channel where id = $1',
          [channel.id],
        );
        return c.lastSeq === row?.last;
      });
      // Shown: every change once, in order, with no gap; the messages exactly those stored.
      const seqs = c.applied.map((x) => x.changeSeq);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => start + 1 + i));
      expect(c.applied.filter((x) => x.type === 'message.created').map((x) => x.message?.id)).toEqual(
        stored.map((m) => m.id),
      );
      // Delivered live at most once to this client (a sync may overlap live changes, no socket gets one twice).
      const live = c.live.map((x) => x.changeSeq);
      expect(live.length).toBe(new Set(live).size);
    }
    // What B posted while A's client was away came to it by the sync from its last seen seq.
    expect(onA.applied.some((x) => x.message?.id === meanwhile?.id)).toBe(true);
    expect(onA.live.some((x) => x.message?.id === meanwhile?.id)).toBe(false);

    // The node comes back; a new client from its address is served by it again.
    await a.start();
    await until(
      'nginx sends A’s address to A again',
      async () => (await landedOn(addressOf.get(a.name) ?? '')) === a.name,
      20_000,
    );
  });

  it('SIGKILL of a worker mid-job: another worker takes the stalled job over, its effect applied once', async () => {
    const hook = await webhookReceiver();
    try {
      const admin = (await http.login('lz.admin')).accessToken;
      const created = await http.post<{ id: string }>(
        '/api/webhooks',
        { url: hook.url, events: ['referral.delivered'] },
        admin,
      );
      expect(created.status).toBe(201);

      // Hold the fan-out of notifications in the middle: its insert waits on a lock the test holds.
      const blocker = new pg.Client({ connectionString: topo.databaseUrl });
      await blocker.connect();
      let held: { application_name: string } | undefined;
      try {
        await blocker.query('begin');
        await blocker.query('lock table notification in share mode');
        const referral = await referToLongzhou(http, (await http.login('zfj.officer')).accessToken);
        await until(
          'a worker’s fan-out waits on the lock',
          async () => {
            [held] = await query<{ application_name: string }>(
              topo.databaseUrl,
              `select application_name from pg_stat_activity
                where datname = current_database() and wait_event_type = 'Lock'
                  and query like '%notifications fan-out%' and application_name like 'xietong-worker-%'`,
            );
            return held !== undefined;
          },
          30_000,
        );
        const holder = topo.workers.find((w) => `xietong-${w.name}` === held?.application_name);
        if (!holder) throw new Error(`no worker named ${held?.application_name}`);
        await holder.kill();
        // The dead worker's statement may still finish once the lock goes: the other worker's run must add nothing.
        await blocker.query('commit');

        const [delivery] = await webhookDeliveries(created.body.id);
        const eventKey = delivery?.event_key ?? '';
        await until('the webhook was delivered', () => hook.got.length > 0, 30_000);

        const backend = new QueueBackend({ kind: 'redis', url: TEST_REDIS_URL, namespace: topo.queuePrefix });
        try {
          const job = await backend.createQueue('fanout').getJob(`fanout-${eventKey.slice('outbox-'.length)}`);
          expect(job).toBeDefined();
          await until('the fan-out job completed', async () => (await job?.getState()) === 'completed', 30_000);
          const done = await backend.createQueue('fanout').getJob(job?.id ?? '');
          const survivor = topo.workers.find((w) => w !== holder)?.name;
          expect(done).toMatchObject({ processedBy: survivor });
          expect(done?.stalledCounter).toBeGreaterThanOrEqual(1);
        } finally {
          await backend.close();
        }

        // Applied once: one notification per user of the township, one webhook delivery, one request.
        const told = await query<{ n: string; users: string }>(
          topo.databaseUrl,
          'select count(*) n, count(distinct user_id) users from notification where event_key = $1',
          [eventKey],
        );
        const [members] = await query<{ n: string }>(
          topo.databaseUrl,
          'select count(*) n from app_user where agency_id = $1 and active',
          [referral.to.id],
        );
        expect(told).toEqual([{ n: members?.n, users: members?.n }]);
        await new Promise((r) => setTimeout(r, 1_000));
        expect(hook.got).toHaveLength(1);
        const deliveries = await http.get<WebhookDeliveryView[]>(`/api/webhooks/${created.body.id}/deliveries`, admin);
        expect(deliveries.body).toEqual([expect.objectContaining({ status: 'delivered', attempts: 1 })]);
      } finally {
        await blocker.end();
      }
    } finally {
      await hook.close();
    }
  });
});

/** The deliveries of a webhook subscription, once there is one. */
async function webhookDeliveries(subscriptionId: string): Promise<{ id: string; event_key: string }[]> {
  let rows: { id: string; event_key: string }[] = [];
  await until('the webhook delivery row is written', async () => {
    rows = await query(topo.databaseUrl, 'select id, event_key from webhook_delivery where subscription_id = $1', [
      subscriptionId,
    ]);
    return rows.length > 0;
  });
  return rows;
}
