import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { resolveDatabase } from './bootstrap.js';
import { ConfigError, loadConfig } from './config/config.js';
import { MIGRATIONS_SRC, ormOptions } from './database/orm.config.js';
import { seedCatalogue } from './catalogue/catalogue.seed.js';
import { seedCounty } from './database/seeds/county.seed.js';

/**
 * Operator commands: `migrate` (apply pending migrations), `migration:create` (generate one
 * into src from the entity diff), `migration:check` (fail when entities drift from the
 * committed migrations), `seed` (the demo county; refused in production).
 */
const command = process.argv[2];
const log = (msg: string): void => console.log(msg);

async function main(): Promise<number> {
  const config = loadConfig();
  const db = await resolveDatabase(config, log);
  const orm = await MikroORM.init(ormOptions(db.url));
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
        log(`seeded: ${s.agencies} new agencies, ${s.users} new users, ${c.items} new items`);
        return 0;
      }
      default:
        console.error('usage: cli.js migrate | migration:create [name] | migration:check | seed');
        return 2;
    }
  } finally {
    await orm.close();
    await db.stop();
  }
}

/**
 * Constraints and indexes the ORM cannot describe (exclusion constraints, trigram and partial
 * indexes) are written by hand in migrations; the entity diff would drop them, so the drift check
 * leaves them out.
 */
const HAND_WRITTEN_CONSTRAINTS = ['boundary_version_no_overlap'];
const HAND_WRITTEN_INDEXES = ['channel_message_body_trgm', 'channel_member_live_user', 'channel_member_live_agency'];
function withoutHandWrittenConstraints(sql: string): string {
  return sql
    .split('\n')
    .filter((line) => !HAND_WRITTEN_CONSTRAINTS.some((name) => line.includes(`drop constraint "${name}"`)))
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
