import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { hash } from '@node-rs/argon2';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config.provider.js';
import { DEMO_PASSWORD } from '../database/seeds/county.data.js';
import { SEEDED_DISCLOSURE_MATTERS } from '../disclosures/disclosure.seed.js';
import { QueueService, withTimeout } from '../queue/queue.service.js';
import {
  chineseName,
  generateActivity,
  seededRng,
  type ActivityRows,
  type GeneratorAgency,
  type YearPlan,
} from './activity.generator.js';
import { StatisticsService } from './statistics.service.js';

export const ACTIVITY_MARKER = 'demo.activity';
export const DEFAULT_ACTIVITY_SEED = 20211231;

export interface SeedActivityOptions {
  seed?: number;
  /** the report year (default: last year); the year before it and this year to date come too */
  year?: number;
  /** matters in the report year (default 2,014: 1,335 general and 679 simple, as in the handbook) */
  matters?: number;
  /** generate even where the marker says it was done (the benchmark's extra counties) */
  force?: boolean;
  /** keeps matter numbers of several generated counties apart */
  tag?: string;
  /** skip creating officers (the benchmark's extra counties reuse the first county's) */
  officers?: boolean;
}

/** Officers to add per unit: the bureau's squadrons carry most cases, each 赋权乡镇 a few. */
const OFFICERS_BY_UNIT: Record<string, number> = { ZFJ: 10, 'ZFJ-CQ': 20, 'ZFJ-HZ': 10, 'ZFJ-XK': 8 };
const OFFICERS_PER_DELEGATED_TOWNSHIP = 2;
const CHUNK = 1000;

/**
 * Writes a year of generated activity (see activity.generator.ts) in bulk, in one transaction
 * with a marker row, so it happens once per database: a second run finds the marker and stops.
 */
export async function seedActivity(
  em: EntityManager,
  opts: SeedActivityOptions = {},
  progress: (msg: string) => void = () => undefined,
): Promise<{ skipped: boolean; counts: Record<string, number> }> {
  const seed = opts.seed ?? DEFAULT_ACTIVITY_SEED;
  const year = opts.year ?? new Date().getFullYear() - 1;
  const matters = opts.matters ?? 2014;
  const general = Math.round((matters * 1335) / 2014);
  // The year before at about half: the report's "较上年增长97.6%".
  const before = Math.round(matters / 1.976);
  const years: YearPlan[] = [
    {
      year: year - 1,
      general: Math.round((before * 1335) / 2014),
      simple: before - Math.round((before * 1335) / 2014),
    },
    { year, general, simple: matters - general },
    { year: year + 1, general, simple: matters - general },
  ];
  return em.transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(hashtext('demo.activity'))`);
    const [marker] = await tx.execute<{ key: string }[]>('select key from system_marker where key = ?', [
      ACTIVITY_MARKER,
    ]);
    if (marker && !opts.force) {
      progress('demo activity already generated (marker present): nothing to do');
      return { skipped: true, counts: {} };
    }
    const agencies = (
      await tx.execute<{ id: string; code: string; kind: string; name_zh: string; delegated: boolean }[]>(
        'select id, code, kind::text kind, name_zh, delegated from agency order by code',
      )
    ).map<GeneratorAgency>((a) => ({
      id: a.id,
      code: a.code,
      kind: a.kind,
      nameZh: a.name_zh,
      delegated: a.delegated,
    }));
    const items = (
      await tx.execute<{ id: string; version_id: string }[]>(
        `select i.id, (select v.id from boundary_version v where v.item_id = i.id order by v.effective_from desc limit 1) version_id
           from enforcement_item i order by i.code`,
      )
    )
      .filter((i) => i.version_id)
      .map((i) => ({ id: i.id, versionId: i.version_id }));
    if (agencies.length === 0 || items.length === 0)
      throw new Error('the demo county and its catalogue must be seeded first (npm run seed)');
    if (opts.officers !== false) await addOfficers(tx, agencies, seed, progress);
    const users = await tx.execute<{ id: string; agency_id: string; roles: string[] }[]>(
      'select id, agency_id, roles from app_user where active order by username',
    );
    const handling = new Set(
      agencies.filter((a) => ['enforcement_bureau', 'bureau_squadron', 'township'].includes(a.kind)).map((a) => a.id),
    );
    const delegatedOrBureau = new Set(agencies.filter((a) => a.kind !== 'township' || a.delegated).map((a) => a.id));
    const officers = users
      .filter(
        (u) =>
          handling.has(u.agency_id) &&
          delegatedOrBureau.has(u.agency_id) &&
          (u.roles.includes('case_officer') || u.roles.includes('township_staff')),
      )
      .map((u) => ({ id: u.id, agencyId: u.agency_id }));
    const actorsByAgency = new Map<string, string>();
    for (const u of users) if (!actorsByAgency.has(u.agency_id)) actorsByAgency.set(u.agency_id, u.id);
    progress(
      `generating ${years.map((y) => `${y.year}: ${y.general + y.simple}`).join(', ')} matters for ${officers.length} officers`,
    );
    const rows = generateActivity(
      { agencies, items, officers, actorsByAgency },
      { seed, years, ...(opts.tag ? { tag: opts.tag } : {}) },
    );
    const counts = await insertAll(tx, rows, progress);
    await tx.execute(
      `insert into system_marker (key, at, detail) values (?, now(), ?::jsonb)
       on conflict (key) do update set at = excluded.at, detail = excluded.detail`,
      [ACTIVITY_MARKER, JSON.stringify({ seed, year, counts })],
    );
    return { skipped: false, counts };
  });
}

async function addOfficers(
  em: EntityManager,
  agencies: GeneratorAgency[],
  seed: number,
  progress: (msg: string) => void,
): Promise<void> {
  const rng = seededRng(seed ^ 0x5eed);
  const passwordHash = await hash(DEMO_PASSWORD);
  const rows: Record<string, unknown>[] = [];
  for (const a of agencies) {
    const count =
      OFFICERS_BY_UNIT[a.code] ?? (a.kind === 'township' && a.delegated ? OFFICERS_PER_DELEGATED_TOWNSHIP : 0);
    for (let i = 1; i <= count; i++) {
      const now = new Date().toISOString();
      rows.push({
        id: randomUUID(),
        username: `${a.code.toLowerCase()}.zf${String(i).padStart(2, '0')}`,
        display_name: chineseName(rng),
        password_hash: passwordHash,
        agency_id: a.id,
        roles: a.kind === 'township' ? '{township_staff}' : '{case_officer}',
        active: true,
        failed_logins: 0,
        locked_until: null,
        created_at: now,
        updated_at: now,
      });
    }
  }
  await bulkInsert(em, 'app_user', rows, 'on conflict (username) do nothing');
  progress(`officers: up to ${rows.length} added`);
}

const ORDER: (keyof ActivityRows)[] = [
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

async function insertAll(
  em: EntityManager,
  rows: ActivityRows,
  progress: (msg: string) => void,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ORDER) {
    await bulkInsert(em, table, rows[table], '', (done) => progress(`${table}: ${done}/${rows[table].length}`));
    counts[table] = rows[table].length;
  }
  return counts;
}

/** Multi-row INSERTs of up to a thousand rows each (the columns of the first row). */
export async function bulkInsert(
  em: EntityManager,
  table: string,
  rows: Record<string, unknown>[],
  suffix = '',
  onChunk: (done: number) => void = () => undefined,
): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const values = chunk.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ');
    await em.execute(
      `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${values} ${suffix}`,
      chunk.flatMap((r) => columns.map((c) => r[c] ?? null)),
    );
    onChunk(Math.min(rows.length, i + CHUNK));
  }
}

/**
 * On a fresh demo start the activity is generated in the background, by a queue job, after the
 * server is healthy: the first start stays as fast as before. Never in production or tests.
 */
@Injectable()
export class ActivitySeeder implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(ActivitySeeder.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly config: AppConfig,
    private readonly queues: QueueService,
    private readonly statistics: StatisticsService,
  ) {}

  onModuleInit(): void {
    this.queues.handle('maintenance', 'demo.seed-activity', async (data) => {
      const result = await seedActivity(this.orm.em.fork(), { seed: data.seed }, (m) => this.logger.log(m));
      if (!result.skipped) await this.statistics.refreshRollups();
      return result;
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.seedActivity || this.config.env === 'production') return;
    // Only into a database with no activity of its own (the seed's few disclosed matters aside):
    // never mixes demo rows with real ones.
    const [state] = await this.orm.em.fork().execute<{ marked: boolean; matters: boolean }[]>(
      `select exists (select 1 from system_marker where key = ?) marked,
                exists (select 1 from matter where not (number = any(?::text[]))) matters`,
      [ACTIVITY_MARKER, `{${SEEDED_DISCLOSURE_MATTERS.join(',')}}`],
    );
    if (!state || state.marked || state.matters) return;
    await withTimeout(
      this.queues.add(
        'maintenance',
        'demo.seed-activity',
        { seed: DEFAULT_ACTIVITY_SEED },
        { jobId: 'demo.seed-activity', delay: 3_000, attempts: 2, removeOnComplete: true, removeOnFail: false },
      ),
      5_000,
    ).then(
      () => this.logger.log('a year of demo activity will be generated in the background'),
      (e: unknown) => this.logger.warn({ err: e }, 'could not queue the demo activity'),
    );
  }
}
