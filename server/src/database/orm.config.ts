import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { ENTITIES } from './entities.js';
import type { AuditHash } from '../audit/audit-chain.js';
import { AuditSubscriber } from '../audit/audit.subscriber.js';
import { countingLoggerFactory } from './statement-count.js';

const here = dirname(fileURLToPath(import.meta.url));
/** Compiled migrations run from dist; new ones are generated into src (see cli.ts). */
export const MIGRATIONS_DIST = resolve(here, 'migrations');
export const MIGRATIONS_SRC = resolve(here, '..', '..', 'src', 'database', 'migrations');

/** Every ORM the product opens (server, worker, CLI) audits its flushes with `auditHash`. */
export function ormOptions(clientUrl: string, extra: Partial<Options> = {}, auditHash: AuditHash = 'sha256'): Options {
  return defineConfig({
    clientUrl,
    ...unixSocket(clientUrl),
    entities: ENTITIES,
    subscribers: [new AuditSubscriber(auditHash)],
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

/**
 * `postgres://user@localhost/db?host=/var/run/postgresql` reaches a PostgreSQL on the same machine
 * through its Unix socket, as the pg driver reads such a URL. MikroORM takes the host from the
 * URL's hostname only, so the socket directory is passed on here. Each statement's write then
 * skips the loopback TCP stack, which the referral bench showed as a tenth of the server's CPU.
 */
export function unixSocket(clientUrl: string): { host?: string } {
  const host = new URL(clientUrl).searchParams.get('host');
  return host?.startsWith('/') ? { host } : {};
}
