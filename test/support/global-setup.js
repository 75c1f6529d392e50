// Plain JavaScript: Jest loads global setup outside its module mapping.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import pg from 'pg';

const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Builds one migrated, seeded template database per run (through the real CLI, as an operator
 * would); each test file then clones a database of its own from it in milliseconds.
 */
export default async function globalSetup() {
  const run = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const template = `xt_tpl_${run}`;
  process.env.XT_TEST_RUN = run;
  process.env.XT_TEST_TEMPLATE = template;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  try {
    // Leftovers of runs killed before their teardown, older than an hour (a parallel run keeps its own).
    const stale = await admin.query("select datname from pg_database where datname like 'xt\\_%'");
    const hourAgo = Date.now() - 3600_000;
    for (const { datname } of stale.rows) {
      const stamp = parseInt(/_([0-9a-z]{8,9})[0-9a-z]+$/.exec(datname)?.[1] ?? '0', 36);
      if (stamp && stamp < hourAgo) await admin.query(`drop database if exists "${datname}" with (force)`);
    }
    await admin.query(`create database "${template}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${template}`;
  const cli = resolve(import.meta.dirname, '..', '..', 'server', 'dist', 'cli.js');
  execFileSync(process.execPath, [cli, 'seed'], {
    env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: url.toString(), LOG_LEVEL: 'warn' },
    stdio: 'pipe',
  });
}
