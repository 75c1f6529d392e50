import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { startServer } from '@xietong/server/bootstrap';
import type { Actor } from '@xietong/server/common/policy/actor';
import { seedActivity } from '@xietong/server/statistics/activity.seeder';
import { StatisticsService } from '@xietong/server/statistics/statistics.service';
import { bar, benchServerEnv, percentiles, type BenchResult } from './lib.js';

const SAMPLES = Number(process.env.BENCH_STATS_SAMPLES ?? 60);
const COUNTIES = Number(process.env.BENCH_STATS_COUNTIES ?? 90);
const YEAR = 2025;

/**
 * The statistics at the size of one county (a generated year of 2,014 matters, with the year
 * before and this year to date) and of a province (the same county copied to 90 counties in
 * the same database). Measures GET /api/statistics's service county-wide and for one agency
 * head, against the same headline figures computed by plain SQL over the source tables
 * (matters by procedure and category, and sign / accept medians from the timeline), which is
 * what the rollups save. Also times a concurrent refresh of the rollups at province size.
 */
export async function statisticsBench(databaseUrl: string, log: (m: string) => void): Promise<BenchResult[]> {
  const server = await startServer(benchServerEnv(databaseUrl, `bench_${Date.now().toString(36)}`));
  const raw = new pg.Client({ connectionString: databaseUrl });
  await raw.connect();
  const results: BenchResult[] = [];
  try {
    const orm = server.app.get(MikroORM);
    const stats = server.app.get(StatisticsService);
    const actorOf = async (username: string): Promise<Actor> => {
      const [u] = (
        await raw.query<{ id: string; agency_id: string; roles: string[] }>(
          'select id, agency_id, roles from app_user where username = $1',
          [username],
        )
      ).rows;
      return {
        userId: u?.id ?? '',
        username,
        agencyId: u?.agency_id ?? '',
        roles: (u?.roles ?? []) as Actor['roles'],
        sessionId: randomUUID(),
      };
    };
    const admin = await actorOf('sysadmin');
    const head = await actorOf('cq.head');
    const period = { from: `${YEAR}-01-01`, to: `${YEAR}-12-31` };

    log('statistics: generating one county');
    const t0 = performance.now();
    await seedActivity(orm.em.fork(), { year: YEAR }, () => undefined);
    log(`statistics: one county generated in ${(performance.now() - t0).toFixed(0)} ms`);
    await stats.refreshRollups();

    const measure = async (
      name: string,
      fn: () => Promise<unknown>,
      count = SAMPLES,
    ): Promise<{ p50: number; p99: number }> => {
      for (let i = 0; i < 3; i++) await fn();
      const samples: number[] = [];
      for (let i = 0; i < count; i++) {
        const s = performance.now();
        await fn();
        samples.push(performance.now() - s);
      }
      const p = percentiles(samples);
      log(`statistics: ${name}: p50 ${p.p50.toFixed(1)} ms, p99 ${p.p99.toFixed(1)} ms`);
      return p;
    };
    const plain = () => plainQuery(raw, period.from, period.to);
    const scale = async (label: string, target: number) => {
      // The plain SQL is the slow side at province size: fewer samples of it.
      const base = await measure(`${label} plain SQL`, plain, Math.min(SAMPLES, 20));
      const county = await measure(`${label} county-wide`, () => stats.statistics(admin, period));
      const unit = await measure(`${label} agency head`, () => stats.statistics(head, period));
      results.push(
        {
          name: `statistics, a year, county-wide, ${label} (StatisticsService, rollups)`,
          unit: 'ms',
          ...county,
          baseline: { name: 'plain SQL over the source tables (headline figures only)', ...base },
          target: `p99 < ${target} ms`,
          met: county.p99 < target,
        },
        {
          name: `statistics, a year, one agency head's scope, ${label}`,
          unit: 'ms',
          ...unit,
          baseline: { name: 'plain SQL over the source tables (headline figures only)', ...base },
          target: `p99 < ${target} ms`,
          met: unit.p99 < target,
        },
      );
    };
    await scale('1 county', 300);

    log(`statistics: copying the county to ${COUNTIES} counties`);
    // The first county's rows, once: each copy reads these, not the growing tables.
    for (const table of [
      'matter',
      'matter_agency',
      'referral',
      'timeline_entry',
      'referral_clock',
      ...Object.keys(COPIED),
    ])
      await raw.query(`create table "bench_${table}" as select * from "${table}"`);
    for (let k = 1; k < COUNTIES; k++) {
      await copyCounty(raw, k);
      if (k % 10 === 0 || k === COUNTIES - 1) log(`statistics: ${bar(k + 1, COUNTIES)}`);
    }
    for (const table of [
      'matter',
      'matter_agency',
      'referral',
      'timeline_entry',
      'referral_clock',
      ...Object.keys(COPIED),
    ])
      await raw.query(`drop table "bench_${table}"`);
    await raw.query('analyze');
    const r0 = performance.now();
    await stats.refreshRollups();
    const refresh = performance.now() - r0;
    const p0 = performance.now();
    await plain();
    const plainOnce = performance.now() - p0;
    results.push({
      name: `rollup refresh (concurrently), ${COUNTIES} counties`,
      unit: 'ms',
      total: refresh,
      baseline: { name: 'one plain SQL run of the headline figures', total: plainOnce },
    });
    await scale(`${COUNTIES} counties`, 2000);
  } finally {
    await raw.end();
    await server.close();
  }
  return results;
}

/** What the figures cost without the rollups: the headline numbers straight from the tables. */
export async function plainQuery(raw: pg.Client, from: string, to: string): Promise<void> {
  await raw.query(
    `select m.procedure, i.category, count(*) from matter m join enforcement_item i on i.id = m.item_id
      where m.started_on between $1 and $2 group by 1, 2`,
    [from, to],
  );
  await raw.query(
    `with t as (
       select referral_id, min(at) filter (where to_state = 'delivered') delivered_at,
              min(at) filter (where action = 'referral.sign') signed_at,
              min(at) filter (where action = 'referral.accept') accepted_at,
              count(*) filter (where action = 'referral.return') returns
         from timeline_entry where referral_id is not null group by referral_id)
     select count(*), count(*) filter (where returns > 0),
            percentile_cont(0.5) within group (order by extract(epoch from signed_at - delivered_at)),
            percentile_cont(0.5) within group (order by extract(epoch from accepted_at - delivered_at))
       from t where (delivered_at at time zone 'Asia/Shanghai')::date between $1 and $2`,
    [from, to],
  );
}

/** Another county's worth of rows: the first county's, under new ids (derived, so FKs follow). */
async function copyCounty(raw: pg.Client, k: number): Promise<void> {
  const nid = (col: string) => `md5(${col}::text || '-${k}')::uuid`;
  await raw.query('begin');
  await raw.query(
    `insert into matter (id, number, item_id, boundary_version_id, township_id, place, party_kind, party_name,
       party_id_number, procedure, major_difficult, public_interest_clue, suspected_crime, origin_agency_id,
       started_on, summary, created_by_id, created_at)
     select ${nid('id')}, number || '-${k}', item_id, boundary_version_id, township_id, place, party_kind, party_name,
       party_id_number, procedure, major_difficult, public_interest_clue, suspected_crime, origin_agency_id,
       started_on, summary, created_by_id, created_at from bench_matter`,
  );
  await raw.query(
    `insert into matter_agency (id, matter_id, agency_id, role, since)
     select ${nid('id')}, ${nid('matter_id')}, agency_id, role, since from bench_matter_agency`,
  );
  await raw.query(
    `insert into referral (id, matter_id, kind, from_agency_id, to_agency_id, inform_agency_ids, state, routing_rule,
       override_reason, created_by_id, created_at, updated_at, revision)
     select ${nid('id')}, ${nid('matter_id')}, kind, from_agency_id, to_agency_id, inform_agency_ids, state, routing_rule,
       override_reason, created_by_id, created_at, updated_at, revision from bench_referral`,
  );
  await raw.query(
    `insert into timeline_entry (id, matter_id, referral_id, actor_id, agency_id, action, from_state, to_state, detail, at)
     select ${nid('id')}, ${nid('matter_id')}, case when referral_id is null then null else ${nid('referral_id')} end,
       actor_id, agency_id, action, from_state, to_state, detail, at from bench_timeline_entry`,
  );
  await raw.query(
    `insert into referral_clock (id, referral_id, code, state, started_at, deadline, warn_at, escalate_at, provisional,
       generation, paused_at, warned_at, overdue_at, escalated_at, ended_at, extended_by)
     select ${nid('c.id')}, ${nid('c.referral_id')}, c.code, c.state, c.started_at, c.deadline, c.warn_at, c.escalate_at,
       c.provisional, c.generation, c.paused_at, c.warned_at, c.overdue_at, c.escalated_at, c.ended_at, c.extended_by
       from bench_referral_clock c`,
  );
  for (const [table, ids] of Object.entries(COPIED)) await copyTable(raw, table, ids, nid);
  await raw.query('commit');
}

/** The workflows' tables, in foreign-key order, with the columns that hold ids of copied rows. */
const COPIED: Record<string, string[]> = {
  responsibility_dispute: ['id', 'matter_id', 'opened_by_referral_id'],
  dispute_position: ['id', 'dispute_id'],
  joint_interview: ['id', 'matter_id'],
  interview_participant: ['id', 'interview_id'],
  enforcement_application: ['id', 'matter_id'],
  procuratorate_review: ['id', 'matter_id'],
  disclosure: ['id', 'matter_id', 'referral_id'],
  channel: ['id', 'matter_id'],
  channel_member: ['id', 'channel_id'],
  channel_message: ['id', 'channel_id'],
  channel_ack: ['id', 'message_id'],
};

/** Copies `bench_<table>` into `table`, every column as it is except the ids, which are derived. */
async function copyTable(raw: pg.Client, table: string, ids: string[], nid: (col: string) => string): Promise<void> {
  const { rows } = await raw.query<{ column_name: string }>(
    'select column_name from information_schema.columns where table_name = $1 order by ordinal_position',
    [table],
  );
  const columns = rows.map((r) => r.column_name);
  const values = columns.map((c) =>
    ids.includes(c) ? `case when "${c}" is null then null else ${nid(`"${c}"`)} end` : `"${c}"`,
  );
  await raw.query(
    `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) select ${values.join(', ')} from "bench_${table}"`,
  );
}
