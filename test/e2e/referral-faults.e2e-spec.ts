import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import { SocketEvent, type AgencySummary, type ReferralChangedEvent } from '@xietong/shared';
import { connectSocket, freePort, spawnServer, testEnv, type ClientSocket, type TestApp } from '../support/app.js';
import { query } from '../support/database.js';
import { privateRedis } from '../support/redis.js';
import { delegatedItemCode, until } from '../support/fixtures.js';

/**
 * Nothing a user saved is lost: a referral committed by a process that dies before queueing it,
 * or committed while the queue's Redis is down, still reaches the receiver, exactly once.
 */
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
});

async function prepare(app: TestApp): Promise<{ officer: string; matterId: string; township: string }> {
  const officer = (await app.http.login('zfj.officer')).accessToken;
  const agencies = (await app.http.get<AgencySummary[]>('/api/agencies', officer)).body;
  const lz = agencies.find((a) => a.code === 'XZ-LZ')?.id ?? '';
  const itemCode = await delegatedItemCode(app.http, officer);
  const matter = await app.http.post<{ id: string }>(
    '/api/matters',
    {
      itemCode,
      township: 'XZ-LZ',
      place: '龙洲街道太平东路',
      party: { kind: 'company', name: '龙游某某餐饮有限公司', idNumber: '91330825MA2XXXXX1K' },
      procedure: 'general',
      summary: '店外占道经营，多次劝导未改。',
    },
    officer,
  );
  return { officer, matterId: matter.body.id, township: lz };
}

function collect(socket: ClientSocket): ReferralChangedEvent[] {
  const got: ReferralChangedEvent[] = [];
  socket.on(SocketEvent.ReferralDelivered, (e) => got.push(e));
  return got;
}

describe('a process killed between commit and enqueue', () => {
  it('loses nothing: after a restart the referral is delivered exactly once', async () => {
    const env = await testEnv();
    const doomed = await spawnServer({ ...env, FAULT_KILL_AFTER_COMMIT: 'true' });
    closers.push(() => doomed.close());
    const { officer, matterId } = await prepare(doomed);

    const sent = await doomed.http
      .post('/api/referrals', { matterId, kind: 'jurisdiction_transfer' }, officer)
      .then((r) => r.status)
      .catch(() => 'connection lost');
    expect(sent).toBe('connection lost');
    const [row] = await query<{ state: string; enqueued: boolean }>(
      env.DATABASE_URL ?? '',
      `select r.state, o.enqueued_at is not null enqueued from referral r, outbox_message o
        where r.matter_id = $1 and o.payload->>'referralId' = r.id::text and o.topic = 'referral.changed'`,
      [matterId],
    );
    expect(row).toEqual({ state: 'delivered', enqueued: false }); // committed, never queued

    // The restarted node waits a moment before relaying, so the township is connected to see it.
    const restarted = await spawnServer({
      ...env,
      PORT: String(await freePort()),
      OUTBOX_RELAY_START_DELAY_MS: '1500',
    });
    closers.push(() => restarted.close());
    const staff = await connectSocket(restarted.url, (await restarted.http.login('lz.staff')).accessToken);
    closers.push(async () => void staff.close());
    const got = collect(staff);
    await until('the referral delivered', () => got.length > 0);
    await new Promise((r) => setTimeout(r, 1_000)); // a duplicate would arrive now
    expect(got.map((e) => e.matterId)).toEqual([matterId]);
  });
});

describe('a process killed while it held an Idempotency-Key', () => {
  it('does not refuse the retry forever: an abandoned claim is taken over', async () => {
    const app = await spawnServer(await testEnv());
    closers.push(() => app.close());
    const { officer, matterId } = await prepare(app);
    const [me] = await query<{ id: string }>(app.databaseUrl, `select id from app_user where username = 'zfj.officer'`);
    const body = { matterId, kind: 'jurisdiction_transfer' };
    const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
    // What a node killed mid-request leaves: the key claimed, no answer, its process gone.
    const claim = (key: string, age: string) =>
      query(
        app.databaseUrl,
        `insert into idempotent_request (user_id, key, route, request_hash, status, body, created_at)
         values ($1, $2, 'POST /api/referrals', $3, 0, 'null'::jsonb, now() - $4::interval)`,
        [me?.id, key, hash, age],
      );
    await claim('killed-mid-request-1', '2 minutes');
    const retry = await app.http.request('POST', '/api/referrals', {
      token: officer,
      body,
      headers: { 'idempotency-key': 'killed-mid-request-1' },
    });
    expect(retry.status).toBe(201);
    // The answer is kept under the key as usual: the next retry gets it back, nothing runs twice.
    const again = await app.http.request('POST', '/api/referrals', {
      token: officer,
      body,
      headers: { 'idempotency-key': 'killed-mid-request-1' },
    });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(retry.body);
  });
});

describe('Redis down during a burst of creates', () => {
  it('accepts every create (201) and delivers each once when Redis is back', async () => {
    const redis = await privateRedis();
    closers.push(() => redis.stop());
    const app = await spawnServer(await testEnv({ env: { REDIS_URL: redis.url } }));
    closers.push(() => app.close());
    const { officer } = await prepare(app);
    const staff = await connectSocket(app.url, (await app.http.login('lz.staff')).accessToken);
    closers.push(async () => void staff.close());
    const got = collect(staff);

    await redis.stop();
    const matters: string[] = [];
    for (let i = 0; i < 8; i++) matters.push((await prepare(app)).matterId);
    const statuses = await Promise.all(
      matters.map((matterId) =>
        app.http.post('/api/referrals', { matterId, kind: 'jurisdiction_transfer' }, officer).then((r) => r.status),
      ),
    );
    expect(statuses).toEqual(matters.map(() => 201));
    await new Promise((r) => setTimeout(r, 1_000));
    expect(got).toEqual([]); // nothing can be delivered while the queue is down

    const back = await privateRedis([], redis.port);
    closers.push(() => back.stop());
    await until('all eight delivered', () => got.length >= matters.length, 30_000);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(got.map((e) => e.matterId).sort()).toEqual([...matters].sort());
  });
});

describe('a small, saturated connection pool', () => {
  it('does not wait on itself: concurrent creates all answer', async () => {
    // Two connections and eight creates at once, with the agency cache still empty: a read that
    // left the transaction for a connection of its own once deadlocked the whole pool here.
    const app = await spawnServer(await testEnv({ env: { DATABASE_POOL_MAX: '2' } }));
    closers.push(() => app.close());
    const { officer } = await prepare(app);
    const matters: string[] = [];
    for (let i = 0; i < 8; i++) matters.push((await prepare(app)).matterId);
    await new Promise((r) => setTimeout(r, 5_500)); // let the agency cache expire
    const statuses = await Promise.all(
      matters.map((matterId) =>
        Promise.race([
          app.http.post('/api/referrals', { matterId, kind: 'jurisdiction_transfer' }, officer).then((r) => r.status),
          new Promise<string>((r) => setTimeout(() => r('no answer in 15 s'), 15_000)),
        ]),
      ),
    );
    expect(statuses).toEqual(matters.map(() => 201));
  });
});
