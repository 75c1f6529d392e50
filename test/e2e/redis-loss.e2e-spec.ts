import { afterAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import {
  SocketEvent,
  type ChannelView,
  type MessageAck,
  type ReferralChangedEvent,
  type SocketAck,
} from '@xietong/shared';
import { bootApp, connectSocket, record, spawnWorker } from '../support/app.js';
import { query } from '../support/database.js';
import { referToLongzhou, until } from '../support/fixtures.js';
import { privateRedis } from '../support/redis.js';

/**
 * Redis holds nothing that cannot be rebuilt: when it loses its data (a restart without
 * persistence, a FLUSHALL), the deliveries it was holding and every live clock's delayed steps
 * are queued again from PostgreSQL, and what was delivered already is not delivered again.
 */
const closers: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

describe('Redis flushed while deliveries wait in it', () => {
  it('relays them again from the outbox and reschedules the clocks, delivering each once', async () => {
    const redis = await privateRedis();
    closers.push(() => redis.stop());
    // An API node alone: it relays the outbox into Redis, but nothing works the queues yet.
    const api = await bootApp({ env: { REDIS_URL: redis.url, PROCESS_ROLE: 'api' } });
    closers.push(() => api.close());
    const client = new Redis(redis.url);
    closers.push(() => void client.disconnect());
    const township = record(await connectSocket(api.url, (await api.http.login('lz.staff')).accessToken));
    closers.push(() => void township.socket.close());

    const referral = await referToLongzhou(api.http, (await api.http.login('zfj.officer')).accessToken);
    const outboxRow = async () =>
      (
        await query<{ enqueued: boolean; delivered: boolean }>(
          api.databaseUrl,
          `select enqueued_at is not null enqueued, delivered_at is not null delivered from outbox_message
            where topic = 'referral.changed' and payload->>'referralId' = $1`,
          [referral.id],
        )
      )[0];
    const [clock] = await query<{ id: string }>(
      api.databaseUrl,
      'select id from referral_clock where referral_id = $1',
      [referral.id],
    );
    const delayedSteps = async () =>
      (await client.zrange(`${api.queuePrefix}:clocks:delayed`, 0, -1)).filter((id) => id.includes(clock?.id ?? '?'));
    await until('the delivery and the clock steps are queued', async () => {
      const row = await outboxRow();
      return Boolean(row?.enqueued) && (await delayedSteps()).length === 3;
    });

    await client.flushall();
    expect(await delayedSteps()).toEqual([]);
    await until('the clock steps are queued again', async () => (await delayedSteps()).length === 3, 20_000);
    expect((await delayedSteps()).sort()).toEqual(
      ['escalate', 'overdue', 'warn'].map((step) => `clock-${clock?.id}-g0-${step}`),
    );
    await until('the delivery is queued again', async () =>
      Boolean(
        await client.exists(`${api.queuePrefix}:delivery:outbox-${await outboxId(api.databaseUrl, referral.id)}`),
      ),
    );

    const worker = spawnWorker(api);
    closers.push(() => worker.close());
    await township.received<ReferralChangedEvent>(
      SocketEvent.ReferralDelivered,
      (e) => e.referralId === referral.id,
      45_000,
    );
    await until('the row is marked delivered', async () => Boolean((await outboxRow())?.delivered));

    // Lost again once delivered: the rebuild leaves a delivered row alone.
    await client.flushall();
    await until('the clock steps are queued again', async () => (await delayedSteps()).length === 3, 20_000);
    await new Promise((r) => setTimeout(r, 2_000));
    const deliveries = township.events.filter(
      (e) =>
        e.event === SocketEvent.ReferralDelivered && (e.payload as ReferralChangedEvent).referralId === referral.id,
    );
    expect(deliveries).toHaveLength(1);
  });
});

describe('Redis flushed while an acknowledgement request waits to remind', () => {
  it('queues the next reminder again from the acknowledgements still open', async () => {
    const redis = await privateRedis();
    closers.push(() => redis.stop());
    const app = await bootApp({ env: { REDIS_URL: redis.url } });
    closers.push(() => app.close());
    const client = new Redis(redis.url);
    closers.push(() => void client.disconnect());
    const token = (await app.http.login('zfj.liaison')).accessToken;
    const channels = (await app.http.get<ChannelView[]>('/api/channels', token)).body;
    const liaison = channels.find((c) => c.title === '执法局—公安局联络群');
    const socket = await connectSocket(app.url, token);
    closers.push(() => void socket.close());
    const sent = (await socket.timeout(10_000).emitWithAck(SocketEvent.ChannelSend, {
      channelId: liaison?.id ?? '?',
      clientId: randomUUID(),
      text: '请各单位确认：明日 9 时联合检查河道采砂点',
      requiresAck: true,
    })) as SocketAck<MessageAck>;
    if (!sent.ok) throw new Error(JSON.stringify(sent));
    const reminder = async () =>
      (await client.zrange(`${app.queuePrefix}:notifications:delayed`, 0, -1)).filter((id) =>
        id.startsWith(`ack-remind-${sent.data.id}-`),
      );
    await until('the first reminder waits in Redis', async () => (await reminder()).length === 1);

    await client.flushall();
    expect(await reminder()).toEqual([]);
    await until('the reminder is queued again', async () => (await reminder()).length === 1, 20_000);
    expect(await reminder()).toEqual([`ack-remind-${sent.data.id}-1`]);
  });
});

async function outboxId(url: string, referralId: string): Promise<string> {
  const [row] = await query<{ id: string }>(
    url,
    `select id from outbox_message where topic = 'referral.changed' and payload->>'referralId' = $1`,
    [referralId],
  );
  return row?.id ?? '?';
}
