import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { SocketEvent, type ChannelChange, type ReferralChangedEvent } from '@xietong/shared';
import { startServer } from '@xietong/server/bootstrap';
import type { Actor } from '@xietong/server/common/policy/actor';
import { generateActivity } from '@xietong/server/statistics/activity.generator';
import { countyBase } from '@xietong/server/statistics/province.generator';
import { copyRows, readTemplate, seedProvince } from '@xietong/server/statistics/province.seeder';
import { StatisticsService } from '@xietong/server/statistics/statistics.service';
import { connectSocket, DEMO_PASSWORD, Http, type ClientSocket } from '../support/app.js';
import { benchServerEnv, percentiles, type BenchResult } from './lib.js';
import { plainQuery } from './statistics.bench.js';

const YEAR = 2025;
const SAMPLES = Number(process.env.BENCH_PROVINCE_SAMPLES ?? 50);
const STATS_SAMPLES = Number(process.env.BENCH_PROVINCE_STATS_SAMPLES ?? 20);
const DELIVERIES = Number(process.env.BENCH_PROVINCE_DELIVERIES ?? 40);
/** matters per county in the year: smaller for a quick run */
const MATTERS = Number(process.env.BENCH_PROVINCE_MATTERS ?? 2014);

/**
 * A province's year (province.seeder.ts: `counties` counties, each with its own agencies,
 * townships, officers and catalogue) ingested through COPY, then the key reads and deliveries
 * of the product measured on it, each beside plain SQL doing the same work in the same run:
 * a township's inbox, a matter's detail and timeline, a page of channel history, a full-text
 * search of channel messages, the statistics of one county and of the province, a referral
 * created → received on the township's socket and a message sent → received.
 */
export async function provinceBench(
  databaseUrl: string,
  counties: number,
  log: (m: string) => void,
): Promise<BenchResult[]> {
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const server = await startServer(
    benchServerEnv(databaseUrl, `bench_prov_${Date.now().toString(36)}`, {
      REDIS_URL: redisUrl,
      // Sends one at a time, a few dozen: measured for delivery, not held back by the per-user limit.
      CHANNEL_SEND_LIMIT: '1000',
    }),
  );
  const raw = new pg.Client({ connectionString: databaseUrl });
  await raw.connect();
  const results: BenchResult[] = [];
  const sockets: ClientSocket[] = [];
  const size = `${counties} counties`;
  try {
    const orm = server.app.get(MikroORM);

    // ---- ingest ----------------------------------------------------------------------------
    log(`province: generating ${size} (COPY, one transaction per county)`);
    const s = await seedProvince(orm.em, databaseUrl, 'sha256', { counties, year: YEAR, matters: MATTERS }, log);
    const totalRows = Object.values(s.rows).reduce((a, n) => a + n, 0);
    log(
      `province: ${s.generated} counties in ${(s.totalMs / 1000).toFixed(1)} s (generate ${(s.generateMs / 1000).toFixed(1)} s, ` +
        `write ${(s.writeMs / 1000).toFixed(1)} s, rollups ${(s.refreshMs / 1000).toFixed(1)} s), ${totalRows} rows; ` +
        `${YEAR}: ${s.year.matters} matters, ${s.year.referrals} referrals, ${s.year.messages} messages`,
    );
    log(`province: rows ${JSON.stringify(s.rows)}`);
    // Baseline: one more county's rows COPYed into bare copies of the tables (no index, key or trigger).
    const template = await readTemplate(orm.em);
    const extra = countyBase(template, counties, 1, 'x', new Date().toISOString());
    const extraRows = {
      ...extra.rows,
      ...generateActivity(extra.context, {
        seed: 1,
        years: [{ year: YEAR, general: 1335, simple: 679 }],
        asOf: Date.UTC(YEAR + 1, 0, 1),
        referralShare: 0.66,
        messageScale: 5,
      }),
    };
    const b0 = performance.now();
    await raw.query('begin');
    let bareRows = 0;
    for (const [table, rows] of Object.entries(extraRows)) {
      await raw.query(`create temp table "bare_${table}" (like "${table}" including defaults) on commit drop`);
      await copyRows(raw, `bare_${table}`, rows);
      bareRows += rows.length;
    }
    await raw.query('commit');
    const bareMs = performance.now() - b0;
    const perRow = (ms: number, rows: number) => (ms * 1000) / Math.max(1, rows);
    results.push({
      name: `ingest of ${size}, µs per row (COPY per county, with every key, index and the audit entry; ${totalRows} rows in ${(s.writeMs / 1000).toFixed(0)} s)`,
      unit: 'ms',
      total: perRow(s.writeMs, totalRows),
      baseline: {
        name: 'COPY of one county into bare tables (no key, index or trigger), µs per row',
        total: perRow(bareMs, bareRows),
      },
    });
    const [sizes] = (
      await raw.query<{ db: string; heap: string }>(
        `select pg_database_size(current_database()) db,
                (select sum(pg_table_size(c.oid)) from pg_class c join pg_namespace n on n.oid = c.relnamespace
                  where n.nspname = 'public' and c.relkind in ('r', 'm')) heap`,
      )
    ).rows;
    const mib = (v: string | undefined) => Number(v ?? 0) / 2 ** 20;
    results.push({
      name: `database size, ${size} (pg_database_size, MiB)`,
      unit: 'ms',
      total: mib(sizes?.db),
      baseline: { name: 'tables and rollups alone, without indexes (MiB)', total: mib(sizes?.heap) },
    });

    // ---- reads -----------------------------------------------------------------------------
    const measure = async (fn: () => Promise<unknown>, count = SAMPLES): Promise<{ p50: number; p99: number }> => {
      for (let i = 0; i < 3; i++) await fn();
      const samples: number[] = [];
      for (let i = 0; i < count; i++) {
        const t = performance.now();
        await fn();
        samples.push(performance.now() - t);
      }
      return percentiles(samples);
    };
    const pair = async (
      name: string,
      product: () => Promise<unknown>,
      baseName: string,
      base: () => Promise<unknown>,
      target?: { ms: number; label: string },
      count = SAMPLES,
    ) => {
      const b = await measure(base, count);
      const p = await measure(product, count);
      log(
        `province: ${name}: p50 ${p.p50.toFixed(1)} / p99 ${p.p99.toFixed(1)} ms (baseline ${b.p50.toFixed(1)} / ${b.p99.toFixed(1)})`,
      );
      results.push({
        name: `${name}, ${size}`,
        unit: 'ms',
        ...p,
        baseline: { name: baseName, ...b },
        ...(target ? { target: target.label, met: p.p99 < target.ms } : {}),
      });
    };
    const http = new Http(server.url);
    const staff = (await http.login('lz.staff', DEMO_PASSWORD)).accessToken;
    const officer = (await http.login('zfj.officer', DEMO_PASSWORD)).accessToken;
    const one = async <T>(sql: string, params: unknown[] = []): Promise<T> => {
      const row = (await raw.query(sql, params)).rows[0] as T | undefined;
      if (!row) throw new Error(`nothing for ${sql}`);
      return row;
    };
    const lz = await one<{ id: string }>(`select id from agency where code = 'XZ-LZ'`);
    const get = async (path: string, token: string) => {
      const res = await http.get(path, token);
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    };
    await pair(
      'inbox of a township user (GET /api/referrals/inbox, 龙洲街道)',
      () => get('/api/referrals/inbox', staff),
      'plain SQL: the township’s latest 50 referrals',
      () => raw.query('select * from referral where to_agency_id = $1 order by updated_at desc limit 50', [lz.id]),
    );
    // The matter with the longest history among those the township is a party to.
    const matter = await one<{ id: string }>(
      `select t.matter_id id from timeline_entry t join matter_agency p on p.matter_id = t.matter_id and p.agency_id = $1
        group by 1 order by count(*) desc limit 1`,
      [lz.id],
    );
    await pair(
      'matter detail and timeline (GET /api/matters/:id and …/timeline)',
      () => Promise.all([get(`/api/matters/${matter.id}`, staff), get(`/api/matters/${matter.id}/timeline`, staff)]),
      'plain SQL: the matter by primary key and its timeline entries',
      () =>
        Promise.all([
          raw.query('select * from matter where id = $1', [matter.id]),
          raw.query('select * from timeline_entry where matter_id = $1 order by at', [matter.id]),
        ]),
    );
    const liaison = await one<{ id: string; last_seq: number }>(
      `select c.id, c.last_seq from channel c join channel_member m on m.channel_id = c.id
        where m.agency_id = $1 and m.removed_at is null order by c.last_seq desc limit 1`,
      [lz.id],
    );
    const middle = Math.max(2, Math.floor(liaison.last_seq / 2));
    await pair(
      `channel history page of 50 (GET /api/channels/:id/messages?before=…, a channel of ${liaison.last_seq} messages)`,
      () => get(`/api/channels/${liaison.id}/messages?before=${middle}&limit=50`, staff),
      'plain SQL: the same 50 messages by (channel, seq)',
      () =>
        raw.query('select * from channel_message where channel_id = $1 and seq < $2 order by seq desc limit 50', [
          liaison.id,
          middle,
        ]),
    );
    const query = '移送台账';
    await pair(
      `channel full-text search (GET /api/channels/search?q=${query}, the user’s channels)`,
      () => get(`/api/channels/search?q=${encodeURIComponent(query)}`, staff),
      'plain SQL: trigram ILIKE over every message, newest 30',
      () =>
        raw.query(`select id from channel_message where body ilike $1 order by created_at desc limit 30`, [
          `%${query}%`,
        ]),
    );

    // ---- statistics --------------------------------------------------------------------------
    const stats = server.app.get(StatisticsService);
    const admin = await one<{ id: string; agency_id: string; roles: string[] }>(
      `select id, agency_id, roles from app_user where username = 'sysadmin'`,
    );
    const actor: Actor = {
      userId: admin.id,
      username: 'sysadmin',
      agencyId: admin.agency_id,
      roles: admin.roles as Actor['roles'],
      sessionId: randomUUID(),
    };
    const period = { from: `${YEAR}-01-01`, to: `${YEAR}-12-31` };
    const plain = () => plainQuery(raw, period.from, period.to);
    if (counties > 1)
      await pair(
        'statistics of one county, a year (StatisticsService, ?agency= the county’s guidance office)',
        () => stats.statistics(actor, { ...period, agency: 'ZJ01-ZDB' }),
        'plain SQL over the source tables, province-wide (headline figures only)',
        plain,
        { ms: 300, label: 'p99 < 300 ms' },
        STATS_SAMPLES,
      );
    await pair(
      'statistics of the province, a year (StatisticsService, every section)',
      () => stats.statistics(actor, period),
      'plain SQL over the source tables, province-wide (headline figures only)',
      plain,
      { ms: 2000, label: 'p99 < 2000 ms' },
      STATS_SAMPLES,
    );

    // ---- deliveries on this data ---------------------------------------------------------------
    const item = await one<{ code: string }>(
      `select i.code from enforcement_item i join boundary_version v on v.item_id = i.id and v.effective_to is null
         join agency p on p.id = v.penalising_id
        where p.code = 'ZFJ' and $1 = any(v.delegated_township_ids) order by i.code limit 1`,
      [lz.id],
    );
    const matters: string[] = [];
    for (let i = 0; i < DELIVERIES + 3; i++) {
      const res = await http.post<{ id: string }>(
        '/api/matters',
        {
          itemCode: item.code,
          township: 'XZ-LZ',
          place: `龙洲街道荣昌路${i + 1}号`,
          party: { kind: 'person', name: '张三', idNumber: `33082519800101${String(1000 + i)}` },
          procedure: 'general',
          summary: '当事人在人行道上摆摊设点，经劝导拒不改正。',
        },
        officer,
      );
      if (res.status !== 201) throw new Error(`matter: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      matters.push(res.body.id);
    }
    // A channel of the two, written directly (set-up, not measured), before their sockets connect.
    const channelId = randomUUID();
    await raw.query(
      `insert into channel (id, kind, title, topic, created_at, last_seq, last_change_seq)
       values ($1, 'joint_meeting', '省级压测联络', '压测', now(), 0, 0)`,
      [channelId],
    );
    await raw.query(
      `insert into channel_member (id, channel_id, user_id, added_at)
       select gen_random_uuid(), $1, id, now() from app_user where username in ('zfj.officer', 'lz.staff')`,
      [channelId],
    );
    const receiver = await connectSocket(server.url, staff);
    const sender = await connectSocket(server.url, officer);
    sockets.push(receiver, sender);
    const waiters = new Map<string, () => void>();
    receiver.on(SocketEvent.ReferralDelivered, (e: ReferralChangedEvent) => waiters.get(e.referralId)?.());
    receiver.on(SocketEvent.ChannelChange, (c: ChannelChange) => {
      const id = c.message?.clientId;
      if (id) waiters.get(id)?.();
    });
    const arrival = (key: string) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${key} never arrived`)), 30_000);
        waiters.set(key, () => {
          clearTimeout(timer);
          waiters.delete(key);
          resolve();
        });
      });
    await raw.query('create temp table bare_insert (id uuid primary key, body text, at timestamptz)');
    const bareInsert = () =>
      raw.query('insert into bare_insert values ($1, $2, now())', [randomUUID(), '压测消息：请按分工落实。']);
    let next = 0;
    // Referral ids are known only from the answer, which may come after the event: wait on both.
    const early = new Map<string, number>();
    receiver.on(SocketEvent.ReferralDelivered, (e: ReferralChangedEvent) => {
      if (!waiters.has(e.referralId)) early.set(e.referralId, performance.now());
    });
    const referOnce = async () => {
      const matterId = matters[next++ % matters.length];
      const res = await http.post<{ id: string }>(
        '/api/referrals',
        { matterId, kind: 'jurisdiction_transfer' },
        officer,
      );
      if (res.status !== 201) throw new Error(`referral: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      if (early.delete(res.body.id)) return;
      await arrival(res.body.id);
    };
    // Every referral uses up a matter: no warm-up beyond the spare three.
    {
      for (let i = 0; i < 3; i++) await referOnce();
      const b = await measure(bareInsert, DELIVERIES);
      const samples: number[] = [];
      for (let i = 0; i < DELIVERIES; i++) {
        const t = performance.now();
        await referOnce();
        samples.push(performance.now() - t);
      }
      const p = percentiles(samples);
      log(`province: referral delivery: p50 ${p.p50.toFixed(1)} / p99 ${p.p99.toFixed(1)} ms`);
      results.push({
        name: `referral created (POST /api/referrals) → referral.delivered on the township’s socket, one at a time, ${size}`,
        unit: 'ms',
        ...p,
        baseline: { name: 'plain SQL: one INSERT of a row by primary key', ...b },
      });
    }
    await pair(
      'message sent (channel.send) → received on the other member’s socket, one at a time',
      async () => {
        const clientId = randomUUID();
        const got = arrival(clientId);
        const ack = (await (sender.timeout(10_000) as unknown as ClientSocket).emitWithAck(
          SocketEvent.ChannelSend as typeof SocketEvent.Ping,
          { channelId, clientId, text: '压测消息：请按分工落实。' },
        )) as unknown as { ok: boolean; error?: unknown };
        if (!ack.ok) throw new Error(`send refused: ${JSON.stringify(ack.error)}`);
        await got;
      },
      'plain SQL: one INSERT of a row by primary key',
      bareInsert,
    );
  } finally {
    for (const s of sockets) s.close();
    await raw.end();
    await server.close();
  }
  return results;
}
