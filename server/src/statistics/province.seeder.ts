import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { performance } from 'node:perf_hooks';
import { hash } from '@node-rs/argon2';
import type { EntityManager } from '@mikro-orm/postgresql';
import cliProgress from 'cli-progress';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { chainPending, queueAudit } from '../audit/audit.writer.js';
import type { AuditHash } from '../audit/audit-chain.js';
import { PolicyService } from '../common/policy/policy.service.js';
import { DEMO_PASSWORD } from '../database/seeds/county.data.js';
import { generateActivity, type ActivityRows, type Row } from './activity.generator.js';
import { DEFAULT_ACTIVITY_SEED, seedActivity } from './activity.seeder.js';
import { countyBase, countyCode, type CountyTemplate, type TemplateAgency } from './province.generator.js';
import { StatisticsService } from './statistics.service.js';

export interface SeedProvinceOptions {
  /** counties in all, the demo county included (default 90, Zhejiang's count) */
  counties?: number;
  seed?: number;
  /** the province's year (default: last year); each county also gets the year before at about half */
  year?: number;
  /** matters per county in the year (default 2,014, the demo county's) */
  matters?: number;
  /** share of matters referred, relative to the demo county's (default 0.66: ~50,000 a year for 90) */
  referralShare?: number;
  /** messages relative to the demo county's (default 5: ~2 million a year for 90) */
  messageScale?: number;
  /** draw a progress bar on stderr (default: when stderr is a terminal, else a line every 10 s) */
  bar?: boolean;
}
export interface ProvinceSummary {
  counties: number;
  generated: number;
  skipped: number;
  rows: Record<string, number>;
  /** the year's rows (matters, referrals and messages dated in `year`) over every county */
  year: { matters: number; referrals: number; messages: number };
  generateMs: number;
  writeMs: number;
  refreshMs: number;
  totalMs: number;
}

const marker = (code: string) => `province.county.${code}`;
/** Foreign-key order: the county's directory and catalogue first, then its activity. */
const ORDER: (keyof ActivityRows | 'agency' | 'app_user' | 'enforcement_item' | 'boundary_version')[] = [
  'agency',
  'app_user',
  'enforcement_item',
  'boundary_version',
  'matter',
  'matter_agency',
  'referral',
  'timeline_entry',
  'referral_clock',
  'responsibility_dispute',
  'dispute_position',
  'joint_interview',
  'interview_participant',
  'enforcement_application',
  'procuratorate_review',
  'disclosure',
  'channel',
  'channel_member',
  'channel_message',
  'channel_ack',
];

/**
 * A province's year of activity for the benchmark: the demo county (its usual generated activity,
 * see activity.seeder.ts) and `counties − 1` more, each with its own agencies, townships,
 * officers and copy of the catalogue (province.generator.ts). Each county is written by COPY in
 * one transaction with a marker row, so an interrupted run resumes at the first county missing.
 *
 * The rows are history imported as it stands, not actions taken through the product, so they
 * do not each get an audit entry (as with `seed:activity`); the audit chain records one entry
 * per imported county (its code and row counts), appended after that county's commit.
 */
export async function seedProvince(
  em: EntityManager,
  databaseUrl: string,
  auditHash: AuditHash,
  opts: SeedProvinceOptions = {},
  log: (m: string) => void = () => undefined,
): Promise<ProvinceSummary> {
  const t0 = performance.now();
  const counties = opts.counties ?? 90;
  const seed = opts.seed ?? DEFAULT_ACTIVITY_SEED;
  const year = opts.year ?? new Date().getFullYear() - 1;
  const matters = opts.matters ?? 2014;
  const rows: Record<string, number> = {};
  const add = (counts: Record<string, number>) => {
    for (const [t, n] of Object.entries(counts)) rows[t] = (rows[t] ?? 0) + n;
  };
  let generateMs = 0;
  let writeMs = 0;
  let generated = 0;
  let skipped = 0;

  const demo = await seedActivity(em.fork(), { seed, year, matters }, () => undefined);
  if (demo.skipped) skipped++;
  else generated++;
  const template = await readTemplate(em);
  const passwordHash = await hash(DEMO_PASSWORD);
  // Nothing after the year's end: with the seed, that fixes every generated county's rows.
  const asOf = Date.UTC(year + 1, 0, 1) - 8 * 3_600_000;
  const before = Math.round(matters / 1.976);
  const general = (n: number) => Math.round((n * 1335) / 2014);
  const years = [
    { year: year - 1, general: general(before), simple: before - general(before) },
    { year, general: general(matters), simple: matters - general(matters) },
  ];

  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const done = new Set(
    (await client.query<{ key: string }>(`select key from system_marker where key like 'province.county.%'`)).rows.map(
      (r) => r.key,
    ),
  );
  const tty = opts.bar ?? Boolean(process.stderr.isTTY);
  const bar = new cliProgress.SingleBar(
    {
      format: 'province |{bar}| {value}/{total} counties | {rows} rows | {duration_formatted} (eta {eta_formatted})',
      noTTYOutput: !tty,
      notTTYSchedule: 10_000,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  let written = 0;
  bar.start(counties, 1, { rows: 0 });
  try {
    for (let k = 1; k < counties; k++) {
      const code = countyCode(k);
      if (done.has(marker(code))) {
        skipped++;
        bar.increment(1, { rows: written });
        continue;
      }
      const g0 = performance.now();
      const base = countyBase(template, k, seed, passwordHash, new Date(asOf).toISOString());
      const activity = generateActivity(base.context, {
        seed: seed + k,
        years,
        tag: code,
        asOf,
        countyName: base.name,
        referralShare: opts.referralShare ?? 0.66,
        messageScale: opts.messageScale ?? 5,
      });
      const all: Record<string, Row[]> = { ...base.rows, ...activity };
      const g1 = performance.now();
      generateMs += g1 - g0;
      const counts: Record<string, number> = {};
      await client.query('begin');
      try {
        for (const table of ORDER) {
          await copyRows(client, table, all[table] ?? []);
          counts[table] = all[table]?.length ?? 0;
        }
        await client.query(`insert into system_marker (key, at, detail) values ($1, now(), $2::jsonb)`, [
          marker(code),
          JSON.stringify({ name: base.name, seed, year, counts }),
        ]);
        await client.query('commit');
      } catch (e) {
        await client.query('rollback');
        throw e;
      }
      await em.fork().transactional(async (tx) => {
        await queueAudit(
          tx.getConnection('write'),
          tx.getTransactionContext(),
          [
            {
              actorId: null,
              actorName: 'seed:province',
              agencyId: base.rootId,
              action: 'province.county_generated',
              objectType: 'county',
              objectId: code,
              before: null,
              after: { name: base.name, seed, year, counts },
              requestId: null,
              clientAddress: null,
            },
          ],
          auditHash,
        );
      });
      // Linked now, as the writer of a running server would: the chain shows each county at once.
      while ((await chainPending(em)) > 0);
      writeMs += performance.now() - g1;
      generated++;
      add(counts);
      written += Object.values(counts).reduce((s, n) => s + n, 0);
      bar.increment(1, { rows: written });
    }
  } finally {
    bar.stop();
  }
  log(`province: ${generated} counties generated, ${skipped} already there; refreshing the statistics rollups`);
  const r0 = performance.now();
  await client.query('analyze');
  await new StatisticsService(em.fork(), new PolicyService()).refreshRollups({ concurrently: false });
  // Again: the planner needs the rollups' sizes too (they were empty or stale before the refresh).
  await client.query('analyze');
  const refreshMs = performance.now() - r0;
  const yearRows = (
    await client.query<{ matters: string; referrals: string; messages: string }>(
      `select (select count(*) from matter where started_on between $1::date and $2::date) matters,
              (select count(*) from referral where (created_at at time zone 'Asia/Shanghai')::date between $1::date and $2::date) referrals,
              (select count(*) from channel_message where (created_at at time zone 'Asia/Shanghai')::date between $1::date and $2::date) messages`,
      [`${year}-01-01`, `${year}-12-31`],
    )
  ).rows[0];
  await client.end();
  return {
    counties,
    generated,
    skipped,
    rows,
    year: {
      matters: Number(yearRows?.matters ?? 0),
      referrals: Number(yearRows?.referrals ?? 0),
      messages: Number(yearRows?.messages ?? 0),
    },
    generateMs,
    writeMs,
    refreshMs,
    totalMs: performance.now() - t0,
  };
}

/** The demo county's directory and catalogue, which every generated county copies. */
export async function readTemplate(parent: EntityManager): Promise<CountyTemplate> {
  const em = parent.fork();
  const agencies = (
    await em.execute<
      {
        id: string;
        code: string;
        kind: string;
        name_zh: string;
        name_en: string;
        delegated: boolean;
        parent_id: string | null;
      }[]
    >(
      `select id, code, kind::text kind, name_zh, name_en, delegated, parent_id from agency
        where code !~ '^ZJ[0-9]{2}-' order by code`,
    )
  ).map<TemplateAgency>((a) => ({
    id: a.id,
    code: a.code,
    kind: a.kind,
    nameZh: a.name_zh,
    nameEn: a.name_en,
    delegated: a.delegated,
    parentId: a.parent_id,
  }));
  const items = await em.execute<Record<string, string | null>[]>(
    `select i.id, i.code, i.name_zh, i.category::text category, i.legal_basis, i.transfer_batch,
            to_char(i.transfer_date, 'YYYY-MM-DD') transfer_date, i.pinyin_initials,
            to_char(v.effective_from, 'YYYY-MM-DD') effective_from, v.supervising_id, v.approving_id, v.penalising_id,
            (cardinality(v.delegated_township_ids) > 0)::text delegated, v.evidence_handoff_duty, v.result_feedback_duty, v.note
       from enforcement_item i
       join lateral (select * from boundary_version b where b.item_id = i.id order by b.effective_from desc limit 1) v on true
      where i.code !~ '^ZJ[0-9]{2}-' order by i.code`,
  );
  if (agencies.length === 0 || items.length === 0)
    throw new Error('the demo county and its catalogue must be seeded first (npm run seed)');
  return {
    agencies,
    items: items.map((i) => ({
      id: i.id ?? '',
      code: i.code ?? '',
      nameZh: i.name_zh ?? '',
      category: i.category ?? '',
      legalBasis: i.legal_basis ?? '',
      transferBatch: i.transfer_batch ?? '',
      transferDate: i.transfer_date ?? '',
      pinyinInitials: i.pinyin_initials ?? '',
      version: {
        effectiveFrom: i.effective_from ?? '',
        supervisingId: i.supervising_id ?? null,
        approvingId: i.approving_id ?? null,
        penalisingId: i.penalising_id ?? null,
        delegated: i.delegated === 'true',
        evidenceHandoffDuty: i.evidence_handoff_duty ?? '',
        resultFeedbackDuty: i.result_feedback_duty ?? '',
        note: i.note ?? '',
      },
    })),
  };
}

/** PostgreSQL's COPY text format for one value. */
function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  const s = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : JSON.stringify(v);
  return s.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'));
}

/** COPY … FROM STDIN of rows with the columns of the first (every row of a table has the same). */
export async function copyRows(client: pg.Client, table: string, rows: Row[]): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  const lines = function* () {
    for (let i = 0; i < rows.length; i += 500) {
      let chunk = '';
      for (const r of rows.slice(i, i + 500)) chunk += `${columns.map((c) => copyValue(r[c])).join('\t')}\n`;
      yield chunk;
    }
  };
  await pipeline(
    Readable.from(lines()),
    client.query(copyFrom(`copy "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) from stdin`)),
  );
}
