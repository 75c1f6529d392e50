import pg from 'pg';

const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Drops every database this run made (the template and each test file's clone). */
export default async function globalTeardown() {
  const run = process.env.XT_TEST_RUN;
  if (!run) return;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  try {
    const dbs = await admin.query('select datname from pg_database where datname like $1', [`xt\\_%${run}`]);
    for (const { datname } of dbs.rows) await admin.query(`drop database if exists "${datname}" with (force)`);
  } finally {
    await admin.end();
  }
}
