import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { dbUrl, templateName, TEST_PG_URL } from './env.js';

/** A database of this test file's own, cloned from the migrated, seeded template. */
export async function freshDatabase(opts: { empty?: boolean } = {}): Promise<{ name: string; url: string }> {
  const run = process.env.XT_TEST_RUN ?? 'norun';
  const name = `xt_w${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(3).toString('hex')}_${run}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  try {
    await admin.query(
      opts.empty ? `create database "${name}"` : `create database "${name}" template "${templateName()}"`,
    );
  } finally {
    await admin.end();
  }
  return { name, url: dbUrl(name) };
}

export async function query<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** A queue namespace of this test's own (Redis key prefix / PostgreSQL schema). */
export const uniquePrefix = (label = 'q'): string => `t_${label}_${randomBytes(4).toString('hex')}`;
