import { cpus, totalmem } from 'node:os';
import { checkStores, counts, type Counts } from './checker.js';
import { Cluster } from './cluster.js';
import { loadConfig } from './config.js';
import type { Fault, FaultContext } from './fault.js';
import { FAULTS } from './faults/index.js';
import { Ledger } from './ledger.js';
import { channelId, LoadClient, ReferralSender, request } from './load.js';
import { markdown, writeReport, type FaultResult, type Report } from './report.js';

/**
 * `npm run test:faults`: boots a private deployment, puts it under a steady load of referrals
 * and channel messages, runs every fault of the registry one after another, and checks after
 * each and at the end that nothing was lost or delivered twice. Exits 1 if any check failed.
 */
const config = loadConfig();
const only = (process.env.FAULT_ONLY ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const unknown = only.filter((n) => !FAULTS.some((f) => f.name === n));
if (unknown.length) throw new Error(`FAULT_ONLY names unknown faults: ${unknown.join(', ')}`);
const selected = FAULTS.filter((f) => only.length === 0 || only.includes(f.name));
const t0 = Date.now();
const log = (m: string): void => console.log(`[faults ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${m}`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const ledger = new Ledger();
log(`profile ${config.profile}: ${selected.map((f) => f.name).join(', ')}`);
const cluster = await Cluster.start(config, log);
// An interrupted run must not leave a PostgreSQL or a Redis behind.
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    cluster.killAll();
    process.exit(130);
  });
const load = { cluster, ledger, config, log };
const clients: LoadClient[] = [];
const senders: ReferralSender[] = [];
const results: FaultResult[] = [];
const problems: string[] = [];
let stores: Record<string, number> = {};

/** Until every item sent in `phase` reached every client that should have it, or the time is up. */
async function settle(phases: Set<string> | undefined, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (counts(ledger, phases).lost > 0 && Date.now() < deadline) await sleep(250);
}

const ctx: FaultContext = {
  ...load,
  clients,
  senders,
  hold: sleep,
  async recovered() {
    const from = Date.now();
    const deadline = from + config.recoverMs;
    const before = ledger.referrals.length;
    for (;;) {
      const healthy = await Promise.all(
        cluster.nodes.map(async (n, i) => !n || (await request(load, i, 'GET', '/api/health')).status === 200),
      );
      if (healthy.every(Boolean) && ledger.referrals.slice(before).some((r) => r.sentAt >= from))
        return Date.now() - from;
      if (Date.now() > deadline) throw new Error(`the API did not recover within ${config.recoverMs} ms`);
      await sleep(200);
    }
  },
};

async function runFault(fault: Fault): Promise<void> {
  log(`fault ${fault.name}: ${fault.description}`);
  ledger.enter(fault.name);
  const started = Date.now();
  const startsBefore = cluster.starts.reduce((a, b) => a + b, 0);
  const interleavedBefore = ledger.clients.reduce((n, c) => n + c.interleaved, 0);
  const result: FaultResult = {
    name: fault.name,
    description: fault.description,
    passed: false,
    ms: 0,
    counts: counts(ledger, new Set([fault.name])),
    notes: {},
    problems: [],
  };
  try {
    result.notes = (await fault.run(ctx)) ?? {};
    if (fault.mode !== 'alone') {
      result.recoveredMs = await ctx.recovered();
      await sleep(config.afterFaultMs);
    }
  } catch (e) {
    result.problems.push(e instanceof Error ? e.message : String(e));
  }
  result.ms = Date.now() - started;
  const failures = ledger.sendFailures.filter((f) => f.phase === fault.name);
  for (const reason of new Set(failures.map((f) => f.reason)))
    result.notes[`sendsRetried:${reason}`] = failures.filter((f) => f.reason === reason).length;
  const interleaved = ledger.clients.reduce((n, c) => n + c.interleaved, 0) - interleavedBefore;
  if (interleaved) result.notes.interleavedAcrossSenders = interleaved;
  const restarts = cluster.starts.reduce((a, b) => a + b, 0) - startsBefore;
  if (restarts) result.notes.nodesStarted = restarts;
  if (fault.mode !== 'alone') {
    const settleFrom = Date.now();
    await settle(new Set([fault.name]), config.settleMs);
    result.counts = counts(ledger, new Set([fault.name]));
    const c = result.counts;
    if (c.lost) result.problems.push(`${c.lost} deliveries lost`);
    if (c.duplicated) result.problems.push(`${c.duplicated} deliveries duplicated`);
    if (c.http.serverErrors) result.problems.push(`${c.http.serverErrors} answers were a 5xx other than a clear 503`);
    if (c.http.hangs) result.problems.push(`${c.http.hangs} requests hung`);
    const internal = ledger.sendFailures.filter((f) => f.phase === fault.name && f.reason === 'Internal Server Error');
    if (internal.length) result.problems.push(`${internal.length} channel sends were answered "Internal Server Error"`);
    if (c.sent === 0) result.problems.push('nothing was sent during the fault: the load stalled');
    // What was written before the settling began has had all of it to arrive.
    // Rebuilds after a Redis loss start a few seconds after it is noticed: the stores get until
    // the settle limit to come right, and fail with what is still wrong then.
    const storesBy = Date.now() + config.settleMs;
    for (;;) {
      const stored = await checkStores(cluster, ledger, settleFrom - 2_000).catch((e: unknown) => ({
        problems: [String(e)],
        figures: {},
      }));
      if (stored.problems.length === 0 || Date.now() > storesBy) {
        result.problems.push(...stored.problems);
        break;
      }
      await sleep(1_000);
    }
  }
  result.passed = result.problems.length === 0;
  results.push(result);
  log(
    `fault ${fault.name}: ${result.passed ? 'pass' : 'FAIL'} (sent ${result.counts.sent}, received ${result.counts.received}/${result.counts.expected}, lost ${result.counts.lost}, duplicated ${result.counts.duplicated})` +
      (result.problems.length ? `\n  - ${result.problems.join('\n  - ')}` : ''),
  );
}

try {
  for (const fault of selected.filter((f) => f.mode === 'alone')) await runFault(fault);
  const channel = await channelId(load, 'zfj.liaison');
  // Two referral receivers of 龙洲街道 and four members of the bureau–police channel, spread over
  // the nodes; the two liaison officers also talk in it.
  const size = cluster.size;
  clients.push(
    new LoadClient(load, 'lz.staff@0', 'lz.staff', 0, { receivesReferrals: true }),
    new LoadClient(load, 'lz.head@1', 'lz.head', 1 % size, { receivesReferrals: true }),
    new LoadClient(load, 'zfj.liaison@0', 'zfj.liaison', 0, { channelId: channel, sends: true }),
    new LoadClient(load, 'gaj.liaison@1', 'gaj.liaison', 1 % size, { channelId: channel, sends: true }),
    new LoadClient(load, 'gaj.officer@0', 'gaj.officer', 0, { channelId: channel }),
    new LoadClient(load, 'zfj.head@1', 'zfj.head', 1 % size, { channelId: channel }),
  );
  await Promise.all(clients.map((c) => c.start()));
  for (let i = 0; i < config.referralSenders; i++) senders.push(new ReferralSender(load, 'zfj.officer', i));
  await Promise.all(senders.map((s) => s.start()));
  log(`load running: ${senders.length} referral senders, ${clients.length} clients`);
  await sleep(config.warmupMs);
  for (const fault of selected.filter((f) => f.mode !== 'alone')) await runFault(fault);
  ledger.enter('cool-down');
  await sleep(config.afterFaultMs);
  await Promise.all(senders.map((s) => s.stop()));
  await Promise.all(clients.map((c) => c.stop()));
  await settle(undefined, config.settleMs);
  // Every app reads its inbox once more: what the database holds is what each must end up with.
  await Promise.all(clients.filter((c) => c.record.receivesReferrals).map((c) => c.readInbox()));
  const final = await checkStores(cluster, ledger);
  problems.push(...final.problems, ...senders.flatMap((s) => s.problems));
  stores = final.figures;
} catch (e) {
  problems.push(`the run stopped: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
} finally {
  clients.forEach((c) => c.close());
}

const total: Counts = counts(ledger);
if (total.lost) problems.push(`${total.lost} deliveries lost over the run`);
if (total.duplicated) problems.push(`${total.duplicated} deliveries duplicated over the run`);
if (total.outOfOrder) problems.push(`${total.outOfOrder} live messages out of order`);
const report: Report = {
  profile: config.profile,
  startedAt: new Date(t0).toISOString(),
  ms: Date.now() - t0,
  machine: `${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  passed: problems.length === 0 && results.every((r) => r.passed),
  faults: results,
  total,
  stores,
  problems,
};
const paths = writeReport(report);
console.log('\n' + markdown(report));
log(`report written to ${paths.join(' and ')}`);
if (!report.passed && process.env.FAULT_DEBUG) console.log(cluster.output());
await cluster.stop();
process.exit(report.passed ? 0 : 1);
