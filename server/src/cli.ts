import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { resolveDatabase } from './bootstrap.js';
import { ConfigError, loadConfig } from './config/config.js';
import { MIGRATIONS_SRC, ormOptions } from './database/orm.config.js';
import { verifyAuditChain } from './audit/audit.service.js';
import { chainPending } from './audit/audit.writer.js';
import { seedDisclosures } from './disclosures/disclosure.seed.js';
import { seedCatalogue } from './catalogue/catalogue.seed.js';
import { seedCounty } from './database/seeds/county.seed.js';
import { seedActivity } from './statistics/activity.seeder.js';
import { seedProvince } from './statistics/province.seeder.js';
import { StatisticsService } from './statistics/statistics.service.js';
import { PolicyService } from './common/policy/policy.service.js';

/**
 * Operator commands: `migrate` (apply pending migrations), `migration:create` (generate one
 * into src from the entity diff), `migration:check` (fail when entities drift from the
 * committed migrations), `seed` (the demo county; refused in production), `seed:activity` (a
 * year of generated activity for the demo county, once per database; refused in production),
 * `seed:province` (the demo county and more generated counties, a province's year for the
 * benchmark; resumes where it stopped; refused in production),
 * `audit:verify` (walk the audit hash chain, exit 1 at the first broken link).
 */
const command = process.argv[2];
const log = (msg: string): void => console.log(msg);

async function main(): Promise<number> {
  const config = loadConfig();
  const db = await resolveDatabase(config, log);
  const orm = await MikroORM.init(ormOptions(db.url, {}, config.audit.hash));
  try {
    switch (command) {
      case 'migrate': {
        const done = await orm.migrator.up();
        log(done.length ? `applied: ${done.map((m) => m.name).join(', ')}` : 'no pending migrations');
        return 0;
      }
      case 'migration:create': {
        await orm.migrator.up();
        // Generate from the snapshot committed beside the TypeScript sources, and update it there.
        const source = await MikroORM.init(
          ormOptions(db.url, {
            migrations: { ...ormOptions(db.url).migrations, path: MIGRATIONS_SRC, glob: '!(*.d).ts' },
          }),
        );
        try {
          const result = await source.migrator.create(MIGRATIONS_SRC, false, false, process.argv[3]);
          log(
            result.fileName
              ? `created ${result.fileName}; run npm run build, then npm run migrate`
              : 'no changes: entities match the migrations',
          );
        } finally {
          await source.close();
        }
        return 0;
      }
      case 'migration:check': {
        await orm.migrator.up();
        const diff = withoutHandWrittenConstraints(await orm.schema.getUpdateSchemaSQL({ wrap: false }));
        if (diff.trim()) {
          console.error('The entities differ from the committed migrations; run "npm run migration:create":\n' + diff);
          return 1;
        }
        log('migrations match the entities');
        return 0;
      }
      case 'seed': {
        if (config.env === 'production') {
          console.error('Refusing to seed demo data into a production database (NODE_ENV=production).');
          return 1;
        }
        await orm.migrator.up();
        const s = await seedCounty(orm.em.fork(), log);
        const c = await seedCatalogue(orm.em.fork(), log);
        await seedDisclosures(orm.em.fork(), log);
        while ((await chainPending(orm.em)) > 0);
        log(`seeded: ${s.agencies} new agencies, ${s.users} new users, ${c.items} new items`);
        return 0;
      }
      case 'audit:verify': {
        // Entries committed but not linked yet are chained first, as a server's writer would.
        while ((await chainPending(orm.em)) > 0);
        const result = await verifyAuditChain(orm.em.fork(), config.audit.retentionDays);
        if (result.ok) {
          log(
            `audit chain intact: ${result.entries} entries (${result.algorithms.join(', ') || 'none yet'})` +
              (result.pending > 0 ? `; ${result.pending} committed since, not linked yet` : ''),
          );
          return 0;
        }
        console.error(
          `audit chain BROKEN at entry ${result.firstBreak?.seq} (${result.entries} entries before it verified): ${result.firstBreak?.message}`,
        );
        return 1;
      }
      case 'seed:activity': {
        if (config.env === 'production') {
          console.error('Refusing to generate demo activity in a production database (NODE_ENV=production).');
          return 1;
        }
        await orm.migrator.up();
        const started = Date.now();
        const result = await seedActivity(
          orm.em.fork(),
          numericOptions('seed:activity', process.argv.slice(3), ['seed', 'year', 'matters']),
          log,
        );
        while ((await chainPending(orm.em)) > 0);
        if (!result.skipped) {
          const refreshed = await new StatisticsService(orm.em.fork(), new PolicyService()).refreshRollups();
          log(`statistics rollups refreshed in ${refreshed.tookMs} ms`);
        }
        log(
          result.skipped
            ? 'nothing generated'
            : `generated in ${Date.now() - started} ms: ${Object.entries(result.counts)
                .map(([t, n]) => `${n} ${t}`)
                .join(', ')}`,
        );
        return 0;
      }
      case 'seed:province': {
        if (config.env === 'production') {
          console.error('Refusing to generate a province into a production database (NODE_ENV=production).');
          return 1;
        }
        const opts = numericOptions('seed:province', process.argv.slice(3), ['counties', 'seed', 'year', 'matters']);
        await orm.migrator.up();
        await seedCounty(orm.em.fork(), () => undefined);
        await seedCatalogue(orm.em.fork(), () => undefined);
        await seedDisclosures(orm.em.fork(), () => undefined);
        const s = await seedProvince(orm.em, db.url, config.audit.hash, opts, log);
        log(
          `province of ${s.counties} counties in ${(s.totalMs / 1000).toFixed(1)} s (generate ${(s.generateMs / 1000).toFixed(1)} s, ` +
            `write ${(s.writeMs / 1000).toFixed(1)} s, rollups ${(s.refreshMs / 1000).toFixed(1)} s); ` +
            `the year: ${s.year.matters} matters, ${s.year.referrals} referrals, ${s.year.messages} messages`,
        );
        return 0;
      }
      default:
        console.error(
          'usage: cli.js migrate | migration:create [name] | migration:check | seed | seed:activity [--seed N] [--year YYYY] [--matters N] | seed:province [--counties N] [--seed N] [--year YYYY] [--matters N] | audit:verify',
        );
        return 2;
    }
  } finally {
    await orm.close();
    await db.stop();
  }
}

/** `--seed 42 --year 2025 --matters 2014`: each one of `allowed`, and a positive integer. */
function numericOptions<K extends string>(command: string, args: string[], allowed: K[]): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {};
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i]?.replace(/^--/, '') as K;
    const value = Number(args[i + 1]);
    if (!allowed.includes(name) || !Number.isInteger(value) || value <= 0)
      throw new Error(
        `${command}: bad option ${args[i] ?? ''} ${args[i + 1] ?? ''} (${allowed.map((a) => `--${a} N`).join(' ')})`,
      );
    out[name] = value;
  }
  return out;
}

/**
 * Constraints, triggers and indexes the ORM cannot describe (exclusion constraints, append-only
 * triggers, trigram and partial indexes) are written by hand in migrations; the entity diff would drop them, so the drift check leaves
 * them out.
 */
const HAND_WRITTEN_CONSTRAINTS = [
  'boundary_version_no_overlap',
  'audit_entry_append_only',
  'audit_entry_no_truncate',
  'audit_pending_no_update',
  'audit_pending_chained_only',
  'audit_pending_no_truncate',
  'xt_pending_chained_only',
  'interference_record_sealed',
  'interference_record_no_truncate',
];
const HAND_WRITTEN_INDEXES = ['channel_message_body_trgm', 'channel_member_live_user', 'channel_member_live_agency'];
/** The statistics rollups are materialised views written by hand (no entity describes them). */
const HAND_WRITTEN_VIEWS = [
  'stats_matter_fact',
  'stats_referral_fact',
  'stats_channel_fact',
  'stats_channel_day',
  'stats_matter_day',
];
function withoutHandWrittenConstraints(sql: string): string {
  return sql
    .split('\n')
    .filter(
      (line) =>
        !(
          /\bdrop (constraint|trigger|function)\b/.test(line) && HAND_WRITTEN_CONSTRAINTS.some((n) => line.includes(n))
        ),
    )
    .filter((line) => !HAND_WRITTEN_VIEWS.some((name) => line.includes(`drop materialized view if exists "${name}"`)))
    .filter((line) => !HAND_WRITTEN_INDEXES.some((name) => line.includes(`drop index "${name}"`)))
    .join('\n');
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof ConfigError ? e.message : e);
    process.exit(1);
  },
);
