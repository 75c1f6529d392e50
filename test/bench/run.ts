import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { catalogueBench } from './catalogue.bench.js';
import { channelsBench } from './channels.bench.js';
import { markdown, seeded, type BenchResult } from './lib.js';
import { provinceBench } from './province.bench.js';
import { referralsBench } from './referrals.bench.js';
import { statisticsBench } from './statistics.bench.js';

/**
 * `npm run bench`: every benchmark of the project, each figure printed beside a bare baseline
 * measured in the same run. Uses the PostgreSQL at BENCH_DATABASE_URL (default: the local one
 * the tests use), in a database of its own that it drops afterwards, and the Redis at
 * BENCH_REDIS_URL (default redis://127.0.0.1:6379) under queue prefixes of its own.
 * BENCH_ONLY=catalogue|referrals|statistics|channels|province runs one of them, and so does
 * `npm run bench -- province` (the first argument). The province's size: `--counties N` or
 * BENCH_PROVINCE_COUNTIES (default 9; 90 is Zhejiang's count).
 */
/**
 * PostgreSQL on this machine is reached through its Unix socket where it has one, as a
 * single-machine deployment would (DATABASE_URL with `?host=/var/run/postgresql`): loopback TCP
 * costs every statement a trip through the network stack on the same 2 cores. The raw-SQL
 * baselines use the same URL.
 */
const LOCAL_SOCKET_DIR = '/var/run/postgresql';
const base =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  (existsSync(`${LOCAL_SOCKET_DIR}/.s.PGSQL.5432`)
    ? `postgres://postgres@localhost:5432/postgres?host=${LOCAL_SOCKET_DIR}`
    : 'postgres://postgres@127.0.0.1:5432/postgres');
const log = (m: string): void => console.log(`[bench] ${m}`);

async function withDatabase<T>(name: string, fn: (url: string) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.query(`create database "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString());
  } finally {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}

const results: BenchResult[] = [];
log(
  `machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
);
const args = process.argv.slice(2);
const only = args[0] && !args[0].startsWith('--') ? args[0] : process.env.BENCH_ONLY;
const countiesAt = args.indexOf('--counties');
const counties = Number(countiesAt >= 0 ? args[countiesAt + 1] : (process.env.BENCH_PROVINCE_COUNTIES ?? 9));
if (!Number.isInteger(counties) || counties < 1) throw new Error(`--counties: expected a positive integer`);
/** BENCH_REFERRAL_TOPOLOGY=one|split: only the one-process or only the API + worker run (default both). */
const referralTopologies = (process.env.BENCH_REFERRAL_TOPOLOGY ?? 'one,split').split(',');
if (!only || only === 'catalogue') {
  results.push(
    ...(await withDatabase(`xt_bench_catalogue_${process.pid}`, (url) => catalogueBench(url, seeded(20261126), log))),
  );
}
if (!only || only === 'referrals') {
  results.push(
    ...(referralTopologies.includes('one')
      ? await withDatabase(`xt_bench_referrals_${process.pid}`, (url) => referralsBench(url, seeded(20261127), log))
      : []),
    ...(referralTopologies.includes('split')
      ? await withDatabase(`xt_bench_referrals_split_${process.pid}`, (url) =>
          referralsBench(url, seeded(20261127), log, 'API and worker processes'),
        )
      : []),
  );
}

if (!only || only === 'statistics') {
  results.push(...(await withDatabase(`xt_bench_statistics_${process.pid}`, (url) => statisticsBench(url, log))));
}
if (!only || only === 'channels') {
  results.push(...(await withDatabase(`xt_bench_channels_${process.pid}`, (url) => channelsBench(url, log))));
}
if (!only || only === 'province') {
  results.push(...(await withDatabase(`xt_bench_province_${process.pid}`, (url) => provinceBench(url, counties, log))));
}

const table = markdown(results);
console.log(`\n${table}\n`);
const out = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bench-results');
mkdirSync(out, { recursive: true });
writeFileSync(
  resolve(out, 'latest.json'),
  JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2),
);
writeFileSync(resolve(out, 'latest.md'), `${table}\n`);
log(`written to bench-results/latest.{json,md}`);
process.exit(0);
