import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { ENTITIES } from './entities.js';
import { countingLoggerFactory } from './statement-count.js';

const here = dirname(fileURLToPath(import.meta.url));
/** Compiled migrations run from dist; new ones are generated into src (see cli.ts). */
export const MIGRATIONS_DIST = resolve(here, 'migrations');
export const MIGRATIONS_SRC = resolve(here, '..', '..', 'src', 'database', 'migrations');

export function ormOptions(clientUrl: string, extra: Partial<Options> = {}): Options {
  return defineConfig({
    clientUrl,
    entities: ENTITIES,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: true },
    forceUtcTimezone: true,
    pool: { min: 0, max: 10 },
    migrations: {
      path: MIGRATIONS_DIST,
      glob: '!(*.d).js',
      snapshotName: '.snapshot-xietong',
      snapshotOnMigrate: false,
      transactional: true,
      allOrNothing: true,
      silent: true,
    },
    debug: false,
    loggerFactory: countingLoggerFactory,
    ...extra,
  });
}
