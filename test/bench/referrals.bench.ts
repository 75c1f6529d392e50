import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import pg from 'pg';
import { SocketEvent, type MatterView, type ReferralChangedEvent } from '@xietong/shared';
import { startServer, type RunningServer } from '@xietong/server/bootstrap';
import { profileStatements, statementProfile, statementsRun } from '@xietong/server/database/statement-count';
import { DEFAULT_JOB_OPTIONS, QueueBackend } from '@xietong/server/queue/queue-backend';
import { QueueService } from '@xietong/server/queue/queue.service';
import { connectSocket, DEMO_PASSWORD, Http, type ClientSocket } from '../support/app.js';
import { delegatedItemCode } from '../support/fixtures.js';
import { HttpAgent } from './http-agent.js';
import { WorkerProcess, type WorkerCost } from './worker-process.js';
import { bar, benchServerEnv, percentiles, type BenchResult, type Rng } from './lib.js';

const SECONDS = Number(process.env.BENCH_REFERRAL_SECONDS ?? 10);
/** Phase A: a steady, open-loop rate (sends on a clock, never waits for the previous answer). */
const RATE = 100;
/** At most this many requests outstanding in phase A; a send held back by it is counted and reported. */
const PACED_MAX_IN_FLIGHT = 64;
/**
 * Phase B: closed pools that send the next request as soon as one answers. 32 is the load asked
 * for; 8 stays below the server's 10 database connections and shows what it sustains there.
 */
const POOLS = [8, 32];
/** Matters made per pool of phase B: enough for this rate over the whole phase (it ends early if they run out). */
const BUDGET_RATE = Number(process.env.BENCH_REFERRAL_BUDGET_RATE ?? 500);
const WARMUP = 100;
/** Referrals to warm a server booted to replace a stuck one. */
const REWARM = 50;
/** No answer and no socket event for this long while requests are outstanding: the server is stuck. */
const STALL_MS = 10_000;
const DRAIN_TIMEOUT_MS = 60_000;

/** BENCH_STATEMENT_PROFILE=1: after each phase, the statements that took the most time, per referral. */
const PROFILE_STATEMENTS = process.env.BENCH_STATEMENT_PROFILE === '1';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const ms = (n: number): string => n.toFixed(1);

interface Sent {
  sentAt: number;
  /** When the clock said to send it; equals sentAt unless the in-flight bound held it back. */
  dueAt: number;
  answeredAt: number;
}

interface Phase {
  ids: string[];
  startedAt: number;
  /** When the last request of the phase was answered. */
  lastAnswerAt: number;
  /** Set when the phase was abandoned because the server stopped answering; says what the database showed. */
  stall?: string;
  aborted: number;
  /** What one referral cost, all work included (request, relay, delivery, fan-out), measured to the last arrival. */
  cost?: Cost;
}

/** Per referral: SQL statements the server ran, CPU of the bench process, CPU of its PostgreSQL sessions. */
interface Cost {
  statements: number;
  cpuMs: number;
  pgCpuMs: number;
  /** CPU of the load generator's own process (the HTTP client) */
  agentCpuMs?: number;
  /** CPU of the separate worker process, where there is one (its statements are in `statements`) */
  workerCpuMs?: number;
}

/**
 * How the product runs: one process serving HTTP and sockets and running the queue workers (as
 * `npm start` does), or an API process (PROCESS_ROLE=api) beside a worker process (`npm run
 * worker`), the split the multi-node topology uses, so the two share the 2 cores.
 */
export type ReferralTopology = 'one process' | 'API and worker processes';

/** One booted server with the township's socket on it. */
interface Node {
  server: RunningServer;
  socket: ClientSocket;
  officer: string;
  prefix: string;
  stuck: boolean;
}

/**
 * One referral from a bureau officer to a township, end to end: HTTP POST → one statement, shared
 * with the creates arriving together, that writes the referral, its timeline and outbox rows →
 * the outbox relay → the BullMQ delivery
 * queue (Redis) → the delivery worker → Socket.IO → the township's connected client. Phase A
 * measures that latency at a steady 100 referrals/s; phase B the rate the product sustains with
 * 8 and with 32 requests in flight. The baseline is bare BullMQ on the same Redis, in the same
 * run: add → worker at 100 jobs/s, and as many jobs/s as a worker takes with 32 adds in flight.
 *
 * The server runs in this process (so its statements can be counted and profiled); the POSTs are
 * sent from a process of their own (`HttpAgent`), so the HTTP client's CPU is not the server's.
 *
 * A phase after which the server stopped answering is reported as stalled, with what PostgreSQL
 * showed; the next phase runs on a freshly booted server (same database, same queue prefix).
 */
export async function referralsBench(
  databaseUrl: string,
  rng: Rng,
  log: (m: string) => void,
  topology: ReferralTopology = 'one process',
): Promise<BenchResult[]> {
  const split = topology === 'API and worker processes';
  let worker: WorkerProcess | undefined;
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const stamp = `${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;
  const baselineNamespace = `bench_bullmq_${stamp}`;
  const jwtSecret = randomBytes(20).toString('hex');
  const raw = new pg.Client({ connectionString: databaseUrl });
  const backend = new QueueBackend({ kind: 'redis', url: redisUrl, namespace: baselineNamespace });
  const nodes: Node[] = [];
  const agent = HttpAgent.start();

  // Every referral.delivered the township's sockets receive, by referral id, with its arrival time.
  const arrivals = new Map<string, { at: number[]; eventIds: number[] }>();
  let lastProgress = performance.now();
  let dropped: string | undefined;
  const arrivedAt = (id: string): number => arrivals.get(id)?.at[0] ?? Number.NaN;

  const boot = async (): Promise<Node> => {
    const prefix = `bench_ref_${stamp}`;
    const env = benchServerEnv(databaseUrl, prefix, { REDIS_URL: redisUrl, JWT_SECRET: jwtSecret });
    const server = await startServer(split ? { ...env, PROCESS_ROLE: 'api' } : env);
    // The first boot migrated and seeded the database; the worker starts on it once, for the whole run.
    if (split) worker ??= await WorkerProcess.start(env);
    const http = new Http(server.url);
    const officer = (await http.login('zfj.officer', DEMO_PASSWORD)).accessToken;
    const staff = (await http.login('lz.staff', DEMO_PASSWORD)).accessToken;
    const socket = await connectSocket(server.url, staff);
    const node: Node = { server, socket, officer, prefix, stuck: false };
    socket.on(SocketEvent.ReferralDelivered, (e: ReferralChangedEvent) => {
      const at = performance.now();
      lastProgress = at;
      const seen = arrivals.get(e.referralId);
      if (seen) {
        seen.at.push(at);
        seen.eventIds.push(e.eventId);
      } else arrivals.set(e.referralId, { at: [at], eventIds: [e.eventId] });
    });
    socket.on('disconnect', (reason) => {
      if (!node.stuck) dropped = reason;
    });
    nodes.push(node);
    return node;
  };

  try {
    let node = await boot();
    await raw.connect();
    const http = new Http(node.server.url);

    // ---- matters made beforehand, so that the measured phases only create referrals ----
    const itemCode = await delegatedItemCode(http, node.officer, 'XZ-LZ');
    const pacedCount = Math.round(RATE * SECONDS);
    const budget = Math.round(BUDGET_RATE * SECONDS);
    const spare = REWARM * (POOLS.length + 1);
    const slices = [WARMUP, pacedCount, ...POOLS.map(() => budget), spare];
    const total = slices.reduce((s, n) => s + n, 0);
    log(`referrals: ${total} matters for item ${itemCode} in 龙洲街道 (POST /api/matters, 16 in flight)`);
    const roads = ['荣昌大道', '龙翔路', '太平路', '灵山路', '兴龙北路', '龙游大道'];
    const names = ['张三', '李四', '王五', '赵六', '钱七', '孙八'];
    const specs = Array.from({ length: total }, (_, i) => ({
      place: `龙洲街道${roads[Math.floor(rng() * roads.length)] ?? ''}${1 + Math.floor(rng() * 300)}号`,
      name: names[Math.floor(rng() * names.length)] ?? '张三',
      idNumber: `330825${1960 + Math.floor(rng() * 40)}0101${String(i % 10_000).padStart(4, '0')}`,
    }));
    const matters: string[] = new Array<string>(total);
    let made = 0;
    const m0 = performance.now();
    await pool(16, total, async (i) => {
      const spec = specs[i];
      if (!spec) return;
      const res = await http.post<MatterView>(
        '/api/matters',
        {
          itemCode,
          township: 'XZ-LZ',
          place: spec.place,
          party: { kind: 'person', name: spec.name, idNumber: spec.idNumber },
          procedure: 'general',
          summary: '当事人在人行道上摆摊设点，经劝导拒不改正。',
        },
        node.officer,
      );
      if (res.status !== 201) throw new Error(`matter ${i}: ${res.status} ${JSON.stringify(res.body)}`);
      matters[i] = res.body.id;
      if (++made % Math.ceil(total / 10) === 0) log(`  matters ${bar(made, total)}`);
    });
    log(`  ${total} matters in ${ms((performance.now() - m0) / 1000)} s`);
    // Each phase takes matters from its own slice, so a phase that ends early leaves the next its share.
    const sliceOf: string[][] = [];
    for (let i = 0, at = 0; i < slices.length; at += slices[i] ?? 0, i++)
      sliceOf.push(matters.slice(at, at + (slices[i] ?? 0)));
    const [warmMatters = [], pacedMatters = [], ...rest] = sliceOf;
    const spareMatters = rest.pop() ?? [];
    const budgetMatters = rest;

    const sent = new Map<string, Sent>();
    const failures: string[] = [];
    /** Database sessions of servers left behind stuck, so a later stall reports only its own. */
    const leftBehind = new Set<number>();
    let inFlight = 0;

    /**
     * One referral: POST (from the agent process), note when it was sent and answered; failures
     * are kept for the check.
     */
    const refer = async (
      matterId: string,
      dueAt: number,
      signal: AbortSignal,
    ): Promise<{ id: string } | 'aborted' | undefined> => {
      inFlight++;
      try {
        const r = await agent.post(`${node.server.url}/api/referrals`, node.officer, {
          matterId,
          kind: 'jurisdiction_transfer',
        });
        if (r.aborted || (signal.aborted && r.status === 0)) return 'aborted';
        if (r.status !== 201 || r.state !== 'delivered' || !r.id) {
          failures.push(r.error ?? `${r.status} ${r.text ?? ''}`);
          return undefined;
        }
        sent.set(r.id, { sentAt: r.sentAt, dueAt: Math.min(dueAt, r.sentAt), answeredAt: r.answeredAt });
        return { id: r.id };
      } finally {
        inFlight--;
        lastProgress = performance.now();
      }
    };

    /** Waits until every referral of the phase arrived (or a timeout), then a little longer for repeats. */
    const drain = async (phase: string, ids: string[]): Promise<void> => {
      const deadline = performance.now() + DRAIN_TIMEOUT_MS;
      while (ids.some((id) => !arrivals.has(id)) && performance.now() < deadline) await sleep(20);
      await sleep(500);
      const missing = ids.filter((id) => !arrivals.has(id)).length;
      const repeated = ids.filter((id) => (arrivals.get(id)?.at.length ?? 0) > 1);
      const sameEvent = repeated.filter((id) => new Set(arrivals.get(id)?.eventIds).size === 1).length;
      if (dropped) throw new Error(`${phase}: the township's socket disconnected (${dropped})`);
      let lostJobs = '';
      if (missing > 0) {
        // Where the news of the first lost ones got to: the outbox row, and its delivery job.
        const lost = ids.filter((id) => !arrivals.has(id)).slice(0, 50);
        const rows = await raw.query<{ id: string; enqueued: boolean }>(
          `select id, enqueued_at is not null enqueued from outbox_message
            where topic = 'referral.changed' and payload->>'referralId' = any($1::text[])`,
          [lost],
        );
        const delivery = node.server.app.get(QueueService).queue('delivery');
        const states = new Map<string, number>();
        for (const r of rows.rows) {
          const job = r.enqueued ? await delivery.getJob(`outbox-${r.id}`) : undefined;
          const state = r.enqueued ? (job ? await job.getState() : 'job gone') : 'not relayed';
          states.set(state, (states.get(state) ?? 0) + 1);
        }
        lostJobs = `; delivery of the first ${lost.length} lost: ${[...states].map(([k, n]) => `${n} ${k}`).join(', ')}`;
      }
      if (failures.length > 0 || missing > 0 || repeated.length > 0) {
        throw new Error(
          `${phase}: not exactly once: ${ids.length} referrals created, ${failures.length} POSTs failed, ` +
            `${ids.length - missing} arrived, ${missing} never arrived, ${repeated.length} arrived more than once ` +
            `(${sameEvent} of them repeating the same eventId)` +
            (failures.length > 0 ? `; first failure: ${failures[0]}` : '') +
            lostJobs,
        );
      }
    };

    /**
     * Runs one phase under a watchdog: if the server answers nothing and delivers nothing for
     * STALL_MS while requests are outstanding, they are given up, PostgreSQL is asked what the
     * server's sessions are doing, and a fresh server is booted (whose relay also delivers what
     * the stuck one had committed) before the phase's referrals are checked.
     */
    const runPhase = async (
      name: string,
      drive: (send: (matterId: string, dueAt: number) => Promise<void>, signal: AbortSignal) => Promise<void>,
    ): Promise<Phase> => {
      const controller = new AbortController();
      const phase: Phase = { ids: [], startedAt: performance.now(), lastAnswerAt: 0, aborted: 0 };
      lastProgress = phase.startedAt;
      const watchdog = setInterval(() => {
        if (inFlight > 0 && performance.now() - lastProgress > STALL_MS) {
          controller.abort();
          agent.abort();
        }
      }, 250);
      const cpu = cpuNow();
      const costFrom = await costNow(raw, worker);
      const agentFrom = await agent.cpuMs();
      const profiler = await startProfile(name);
      if (PROFILE_STATEMENTS) profileStatements(true);
      try {
        await drive(async (matterId, dueAt) => {
          const created = await refer(matterId, dueAt, controller.signal);
          if (created === 'aborted') phase.aborted++;
          else {
            phase.lastAnswerAt = performance.now();
            if (created) phase.ids.push(created.id);
          }
        }, controller.signal);
      } finally {
        clearInterval(watchdog);
      }
      log(`  ${name}: ${cpuSince(cpu)}`);
      if (controller.signal.aborted) {
        const stalledAt = (phase.lastAnswerAt || phase.startedAt) - phase.startedAt;
        const sessions = (
          await raw.query<{ state: string; query: string; n: string; longest_s: number }>(
            `select coalesce(state, '?') state, left(regexp_replace(query, '[0-9a-f-]{36}', '…', 'g'), 110) query,
                    count(*) n, extract(epoch from max(now() - xact_start)) longest_s
               from pg_stat_activity
              where datname = current_database() and pid <> pg_backend_pid() and not (pid = any($1::int[]))
              group by 1, 2 order by 3 desc`,
            [[...leftBehind]],
          )
        ).rows;
        const idle = sessions.filter((r) => r.state === 'idle in transaction');
        const idleCount = idle.reduce((n, r) => n + Number(r.n), 0);
        const longest = Math.max(0, ...idle.map((r) => Number(r.longest_s)));
        phase.stall =
          `server stopped answering ${ms(stalledAt / 1000)} s in, ${phase.aborted} requests outstanding; ` +
          `${idleCount} database sessions idle in transaction for ${ms(longest)} s`;
        log(`  ${name}: STALLED: nothing answered and nothing delivered for ${STALL_MS / 1000} s; ${phase.stall}`);
        for (const r of sessions) log(`    PostgreSQL: ${r.n} × ${r.state}: ${r.query}`);
        const outbox = await raw.query<{ pending: string }>(
          'select count(*) pending from outbox_message where enqueued_at is null',
        );
        const depths = await node.server.app
          .get(QueueService)
          .depths()
          .catch((e: unknown) => String(e));
        log(`    outbox rows not yet relayed: ${outbox.rows[0]?.pending ?? '?'}; queues: ${JSON.stringify(depths)}`);
        // As an operator would: leave the stuck process and start another on the same database and
        // queue prefix. The stuck one's socket stays open, as its worker may still emit what it holds.
        log(`  ${name}: leaving that server and booting a fresh one (same database, same queues)`);
        // Delivery waits until the new server's socket is connected: a live event finds only the
        // sockets connected when it is emitted (clients catch up from their inbox on reconnect).
        const stuckPids = await raw.query<{ pid: number }>(
          'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
        );
        for (const r of stuckPids.rows) leftBehind.add(r.pid);
        const paused = node.server.app.get(QueueService).queue('delivery');
        await paused.pause();
        node.stuck = true;
        node = await boot();
        await node.server.app.get(QueueService).queue('delivery').resume();
        await runPhase(`re-warm after ${name}`, (send, signal) =>
          pool(8, REWARM, async () => {
            const m = spareMatters.pop();
            if (m && !signal.aborted) await send(m, performance.now());
          }),
        );
      }
      await drain(name, phase.ids);
      phase.cost = {
        ...costSince(costFrom, await costNow(raw, worker), phase.ids.length),
        agentCpuMs: ((await agent.cpuMs()) - agentFrom) / Math.max(1, phase.ids.length),
      };
      await profiler?.(log);
      if (PROFILE_STATEMENTS) logStatementProfile(name, phase.ids.length, log);
      log(
        `  ${name}: per referral ${phase.cost.statements.toFixed(1)} SQL statements (request, relay, delivery, fan-out), ` +
          `${phase.cost.cpuMs.toFixed(2)} ms CPU in the bench process (${split ? 'API' : 'server'}, socket client), ` +
          (split ? `${(phase.cost.workerCpuMs ?? 0).toFixed(2)} ms in the worker process, ` : '') +
          `${(phase.cost.agentCpuMs ?? 0).toFixed(2)} ms in the load generator's process, ${phase.cost.pgCpuMs.toFixed(2)} ms in its PostgreSQL sessions`,
      );
      return phase;
    };

    // ---- warm-up (not measured): JIT, connection pools, the relay's first passes ----
    log(`referrals: warm-up, ${WARMUP} referrals, 8 in flight`);
    await runPhase('warm-up', (send, signal) =>
      pool(8, warmMatters.length, async (i) => {
        if (!signal.aborted) await send(warmMatters[i] ?? '', performance.now());
      }),
    );

    // ---- phase A: latency at a steady 100 referrals/s ----
    log(
      `referrals A: ${pacedCount} referrals at ${RATE}/s for ${SECONDS} s (open loop, ≤ ${PACED_MAX_IN_FLIGHT} in flight)`,
    );
    let heldBack = 0;
    let maxLateMs = 0;
    const phaseA = await runPhase('A', async (send, signal) => {
      const run = await paced(
        pacedMatters.length,
        1000 / RATE,
        PACED_MAX_IN_FLIGHT,
        signal,
        (i, due) => send(pacedMatters[i] ?? '', due),
        (done) => {
          if (done % RATE === 0)
            log(`  A ${bar(done, pacedCount)} sent, ${countArrived(arrivals, sent)} delivered, ${inFlight} in flight`);
        },
      );
      heldBack = run.heldBack;
      maxLateMs = run.maxLateMs;
    });
    const aIds = phaseA.ids;
    const a = percentiles(aIds.map((id) => arrivedAt(id) - (sent.get(id)?.sentAt ?? 0)));
    const aHttp = percentiles(aIds.map((id) => answerMs(sent.get(id))));
    const aAfter = percentiles(aIds.map((id) => arrivedAt(id) - (sent.get(id)?.answeredAt ?? 0)));
    const aRelay = await relayLag(raw, aIds);
    log(
      `  A: ${aIds.length} created, each delivered once; send → socket p50 ${ms(a.p50)} / p99 ${ms(a.p99)} ms; ` +
        `HTTP answer p50 ${ms(aHttp.p50)} / p99 ${ms(aHttp.p99)} ms; answer → socket p50 ${ms(aAfter.p50)} / p99 ${ms(aAfter.p99)} ms; ` +
        `commit → taken by the relay p50 ${ms(aRelay.p50)} / p99 ${ms(aRelay.p99)} ms; ${aRelay.rowsPerReferral.toFixed(1)} outbox rows per referral`,
    );
    if (heldBack > 0) {
      const d = percentiles(aIds.map((id) => arrivedAt(id) - (sent.get(id)?.dueAt ?? 0)));
      log(
        `  A: ${heldBack} sends held back by the in-flight bound; counted from the schedule p50 ${ms(d.p50)} / p99 ${ms(d.p99)} ms`,
      );
    }
    if (maxLateMs > 20) log(`  A: the sending clock fell up to ${ms(maxLateMs)} ms behind schedule`);

    // ---- phase B: sustained throughput with closed pools ----
    const phaseB: { size: number; phase: Phase; rate: number; p99: number }[] = [];
    for (const [k, size] of POOLS.entries()) {
      log(`referrals B${size}: as many as ${size} in flight allow, for ${SECONDS} s`);
      const own = budgetMatters[k] ?? [];
      let next = 0;
      let shown = 0;
      const phase = await runPhase(`B${size}`, async (send, signal) => {
        const start = performance.now();
        const end = start + SECONDS * 1000;
        await Promise.all(
          Array.from({ length: size }, async () => {
            while (performance.now() < end && next < own.length && !signal.aborted) {
              await send(own[next++] ?? '', performance.now());
              const second = Math.floor((performance.now() - start) / 1000);
              if (second > shown && second <= SECONDS) {
                shown = second;
                log(`  B${size} ${bar(second, SECONDS)} s, ${next - inFlight} answered, ${inFlight} in flight`);
              }
            }
          }),
        );
        if (next >= own.length) log(`  B${size}: used all ${budget} matters early (raise BENCH_REFERRAL_BUDGET_RATE)`);
      });
      const ids = phase.ids;
      // Created and arrived, from the first send to the last arrival; after a stall, to the last answer.
      // Delivered per second: from the first send to the last arrival; if the server stalled, the
      // ones that arrived before its last answer, over that time.
      const end = phase.stall ? phase.lastAnswerAt : maxOf(ids.map(arrivedAt));
      const delivered = ids.filter((id) => arrivedAt(id) <= end).length;
      const rate = delivered / ((end - phase.startedAt) / 1000);
      const lat = percentiles(ids.map((id) => arrivedAt(id) - (sent.get(id)?.sentAt ?? 0)));
      const answer = percentiles(ids.map((id) => answerMs(sent.get(id))));
      const relay = await relayLag(raw, ids);
      log(
        `  B${size}: ${ids.length} created, each delivered once; ${ms(rate)} referrals/s${phase.stall ? ' until the stall' : ''}; ` +
          `send → socket p50 ${ms(lat.p50)} / p99 ${ms(lat.p99)} ms; HTTP answer p50 ${ms(answer.p50)} / p99 ${ms(answer.p99)} ms; ` +
          `commit → taken by the relay p50 ${ms(relay.p50)} / p99 ${ms(relay.p99)} ms`,
      );
      phaseB.push({ size, phase, rate, p99: lat.p99 });
    }
    const strays = [...arrivals.keys()].filter((id) => !sent.has(id)).length;
    if (strays > 0) log(`referrals: ${strays} more were committed by requests given up at a stall, and arrived too`);
    const twice = [...arrivals.values()].filter((v) => v.at.length > 1).length;
    if (twice > 0) throw new Error(`${twice} referrals arrived more than once on the township's socket`);

    // ---- baseline: bare BullMQ on the same Redis, its own namespace ----
    log(`baseline: bare BullMQ on ${redisUrl} (namespace ${baselineNamespace}), worker concurrency 4`);
    const queue = backend.createQueue('bench', DEFAULT_JOB_OPTIONS);
    const processed = new Map<string, number>();
    backend.createWorker(
      'bench',
      async (job) => {
        if (job.id) processed.set(job.id, performance.now());
        return Promise.resolve();
      },
      { concurrency: 4 },
    );
    await queue.waitUntilReady();
    const added = new Map<string, Sent>();
    let jobNo = 0;
    const addJob = async (dueAt = performance.now()): Promise<string> => {
      const jobId = `j${jobNo++}`;
      const sentAt = performance.now();
      await queue.add('bench', { n: jobNo, payload: 'x'.repeat(300) }, { jobId });
      added.set(jobId, { sentAt, dueAt: Math.min(dueAt, sentAt), answeredAt: performance.now() });
      return jobId;
    };
    const waitProcessed = async (what: string, ids: string[]): Promise<void> => {
      const deadline = performance.now() + DRAIN_TIMEOUT_MS;
      while (processed.size < added.size && performance.now() < deadline) await sleep(20);
      const missing = ids.filter((id) => !processed.has(id)).length;
      if (missing > 0) throw new Error(`baseline ${what}: ${missing} of ${ids.length} jobs never processed`);
    };
    const warmJobs: string[] = [];
    await pool(8, WARMUP, async () => void warmJobs.push(await addJob()));
    await waitProcessed('warm-up', warmJobs);

    log(`baseline A: ${pacedCount} jobs at ${RATE}/s`);
    const qaIds: string[] = [];
    await paced(
      pacedCount,
      1000 / RATE,
      PACED_MAX_IN_FLIGHT,
      new AbortController().signal,
      async (_i, due) => void qaIds.push(await addJob(due)),
      (done) => {
        if (done % RATE === 0) log(`  baseline A ${bar(done, pacedCount)}`);
      },
    );
    await waitProcessed('A', qaIds);
    const jobLatency = (id: string) => (processed.get(id) ?? 0) - (added.get(id)?.sentAt ?? 0);
    const qa = percentiles(qaIds.map(jobLatency));
    const qaAdd = percentiles(qaIds.map((id) => answerMs(added.get(id))));

    const qPool = Math.max(...POOLS);
    log(`baseline B: as many jobs as ${qPool} adds in flight allow, for ${SECONDS} s`);
    const qbIds: string[] = [];
    const qStart = performance.now();
    const qEnd = qStart + SECONDS * 1000;
    let qShown = 0;
    const qCpu = cpuNow();
    await Promise.all(
      Array.from({ length: qPool }, async () => {
        while (performance.now() < qEnd) {
          qbIds.push(await addJob());
          const second = Math.floor((performance.now() - qStart) / 1000);
          if (second > qShown && second <= SECONDS) {
            qShown = second;
            log(`  baseline B ${bar(second, SECONDS)} s, ${qbIds.length} added`);
          }
        }
      }),
    );
    await waitProcessed('B', qbIds);
    log(`  baseline B: ${cpuSince(qCpu)}`);
    const qCpuUse = process.cpuUsage(qCpu.self);
    const qCpuPerJob = (qCpuUse.user + qCpuUse.system) / 1000 / Math.max(1, qbIds.length);
    const qRate = qbIds.length / ((maxOf(qbIds.map((id) => processed.get(id) ?? 0)) - qStart) / 1000);
    const qb = percentiles(qbIds.map(jobLatency));
    log(
      `  baseline: A add → worker p50 ${ms(qa.p50)} / p99 ${ms(qa.p99)} ms (add() answered p50 ${ms(qaAdd.p50)} / p99 ${ms(qaAdd.p99)} ms); ` +
        `B ${ms(qRate)} jobs/s, p99 ${ms(qb.p99)} ms`,
    );
    await queue.obliterate({ force: true }).catch(() => undefined);

    const stalled = (p: Phase): string => (p.stall ? `; STALLED: ${p.stall}` : '');
    const rows: BenchResult[] = [
      {
        name:
          `referral created → \`referral.delivered\` on the township's socket, steady ${RATE}/s for ${SECONDS} s ` +
          `(${aIds.length}/${pacedCount} created, each delivered exactly once${stalled(phaseA)})`,
        unit: 'ms',
        p50: a.p50,
        p99: a.p99,
        baseline: { name: `bare BullMQ add → worker, ${RATE} jobs/s (same Redis)`, p50: qa.p50, p99: qa.p99 },
        target: `p99 < 250 ms at ${RATE}/s`,
        met: a.p99 < 250 && aIds.length === pacedCount && !phaseA.stall,
      },
      {
        name: `… of which the POST /api/referrals answer (one statement writing the referral with its outbox rows, then the view), ${RATE}/s`,
        unit: 'ms',
        p50: aHttp.p50,
        p99: aHttp.p99,
        baseline: { name: `bare BullMQ queue.add() answered, ${RATE} jobs/s`, p50: qaAdd.p50, p99: qaAdd.p99 },
      },
      ...phaseB.map((b): BenchResult => ({
        name:
          `referrals/s created and delivered on the socket, ${b.size} in flight for ${SECONDS} s ` +
          `(${b.phase.ids.length} referrals; p99 in ms${stalled(b.phase)})`,
        unit: 'ms',
        total: b.rate,
        p99: b.p99,
        baseline: {
          name: `bare BullMQ jobs/s added and processed, ${qPool} adds in flight (p99 in ms)`,
          total: qRate,
          p99: qb.p99,
        },
        target: '≥ 300 referrals/s sustained',
        met: b.rate >= 300 && !b.phase.stall,
      })),
      ...phaseB.flatMap((b): BenchResult[] =>
        b.phase.cost
          ? [
              {
                name:
                  `CPU per referral, ${b.size} in flight: ` +
                  (split
                    ? `the API process (with the socket client) and the worker process (${b.phase.cost.cpuMs.toFixed(2)} + ${(b.phase.cost.workerCpuMs ?? 0).toFixed(2)}; `
                    : 'the bench process (server, socket client; ') +
                  `${b.phase.cost.statements.toFixed(1)} SQL statements, ${b.phase.cost.pgCpuMs.toFixed(2)} ms CPU in PostgreSQL, ` +
                  `${(b.phase.cost.agentCpuMs ?? 0).toFixed(2)} ms in the load generator's own process)`,
                unit: 'ms',
                total: b.phase.cost.cpuMs + (b.phase.cost.workerCpuMs ?? 0),
                baseline: { name: 'CPU per bare BullMQ job added and processed', total: qCpuPerJob },
              },
            ]
          : [],
      ),
    ];
    return rows.map((r) => ({ ...r, name: `${topology}: ${r.name}` }));
  } finally {
    agent.stop();
    await worker?.stop();
    await backend.close();
    for (const n of nodes) {
      n.socket.close();
      // A stuck server's database pool never frees a connection, so its close would wait forever.
      if (n.stuck) await Promise.race([n.server.close().catch(() => undefined), sleep(3_000)]);
      else await n.server.close();
    }
    await raw.end().catch(() => undefined);
    await removeKeys(redisUrl, [...new Set(nodes.map((n) => n.prefix)), baselineNamespace]);
  }
}

const maxOf = (xs: number[]): number => xs.reduce((m, x) => (x > m ? x : m), Number.NEGATIVE_INFINITY);
const answerMs = (s: Sent | undefined): number => (s ? s.answeredAt - s.sentAt : Number.NaN);

function countArrived(arrivals: Map<string, unknown>, sent: Map<string, unknown>): number {
  let n = 0;
  for (const id of sent.keys()) if (arrivals.has(id)) n++;
  return n;
}

/**
 * BENCH_CPU_PROFILE=file.cpuprofile records where this process spent its CPU during one phase
 * (BENCH_CPU_PROFILE_PHASE, default B8), to open in Chrome DevTools or read with a script.
 */
async function startProfile(phase: string): Promise<((log: (m: string) => void) => Promise<void>) | undefined> {
  const file = process.env.BENCH_CPU_PROFILE;
  if (!file || phase !== (process.env.BENCH_CPU_PROFILE_PHASE ?? 'B8')) return undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async (log) => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    log(`  ${phase}: CPU profile written to ${file}`);
  };
}

/** The top statements of a phase by client-side time (lock waits included), per referral. */
function logStatementProfile(phase: string, referrals: number, log: (m: string) => void): void {
  const rows = statementProfile();
  profileStatements(false);
  const per = Math.max(1, referrals);
  const total = rows.reduce((s, r) => s + r.ms, 0);
  log(`  ${phase}: statement profile, ${(total / per).toFixed(2)} ms of statement time per referral, top 15:`);
  for (const r of rows.slice(0, 15))
    log(
      `    ${((r.ms / Math.max(1, total)) * 100).toFixed(0).padStart(3)}%  ${(r.count / per).toFixed(2)}×/ref  ` +
        `${(r.ms / Math.max(1, r.count)).toFixed(2)} ms each  ${r.sql}`,
    );
}

/** Where the cost counters stand: statements run, this process's CPU, and each PostgreSQL session's CPU. */
async function costNow(
  raw: pg.Client,
  worker: WorkerProcess | undefined,
): Promise<{ statements: number; cpu: NodeJS.CpuUsage; pg: Map<number, number>; worker?: WorkerCost }> {
  const pids = await raw.query<{ pid: number }>(
    'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
  );
  const pgCpu = new Map<number, number>();
  for (const { pid } of pids.rows) {
    try {
      // utime and stime, in clock ticks (100 per second on Linux)
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      pgCpu.set(pid, (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // another machine, or the session ended
    }
  }
  const workerCost = worker ? await worker.cost() : undefined;
  return {
    statements: statementsRun() + (workerCost?.statements ?? 0),
    cpu: process.cpuUsage(),
    pg: pgCpu,
    ...(workerCost ? { worker: workerCost } : {}),
  };
}

/** Per referral, between two readings (PostgreSQL sessions that ended in between are not counted). */
function costSince(
  from: Awaited<ReturnType<typeof costNow>>,
  to: Awaited<ReturnType<typeof costNow>>,
  n: number,
): Cost {
  const cpu = process.cpuUsage(from.cpu);
  let pgMs = 0;
  for (const [pid, ms] of to.pg) pgMs += ms - (from.pg.get(pid) ?? 0);
  const per = Math.max(1, n);
  return {
    statements: (to.statements - from.statements) / per,
    cpuMs: (cpu.user + cpu.system) / 1000 / per,
    pgCpuMs: pgMs / per,
    ...(to.worker && from.worker ? { workerCpuMs: (to.worker.cpuMs - from.worker.cpuMs) / per } : {}),
  };
}

/** CPU use of this process (server and load generator share it) and of the whole machine. */
function cpuNow(): { at: number; self: NodeJS.CpuUsage; machine: { busy: number; total: number } | undefined } {
  return { at: performance.now(), self: process.cpuUsage(), machine: machineCpu() };
}

function cpuSince(from: ReturnType<typeof cpuNow>): string {
  const wallMs = performance.now() - from.at;
  const self = process.cpuUsage(from.self);
  const selfPct = ((self.user + self.system) / 1000 / wallMs) * 100;
  const now = machineCpu();
  const machine =
    now && from.machine
      ? `, machine ${(((now.busy - from.machine.busy) / Math.max(1, now.total - from.machine.total)) * 100).toFixed(0)}% busy`
      : '';
  return `bench process ${selfPct.toFixed(0)}% of one core${machine}`;
}

function machineCpu(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const total = v.reduce((s, n) => s + n, 0);
    return { busy: total - (v[3] ?? 0) - (v[4] ?? 0), total };
  } catch {
    return undefined;
  }
}

/** Runs `count` tasks with at most `size` at a time. */
async function pool(size: number, count: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

/**
 * Open loop: starts task i at start + i × interval whatever the earlier ones are doing (catching
 * up at once if the clock fell behind), with at most `maxInFlight` outstanding.
 */
async function paced(
  count: number,
  intervalMs: number,
  maxInFlight: number,
  signal: AbortSignal,
  task: (i: number, dueAt: number) => Promise<void>,
  progress: (done: number) => void,
): Promise<{ heldBack: number; maxLateMs: number }> {
  const start = performance.now();
  const pending = new Set<Promise<void>>();
  let heldBack = 0;
  let maxLateMs = 0;
  for (let i = 0; i < count && !signal.aborted; i++) {
    const due = start + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    if (pending.size >= maxInFlight) {
      heldBack++;
      while (pending.size >= maxInFlight) await Promise.race(pending);
    }
    if (signal.aborted) break;
    maxLateMs = Math.max(maxLateMs, performance.now() - due);
    const p: Promise<void> = task(i, due).finally(() => pending.delete(p));
    pending.add(p);
    progress(i + 1);
  }
  await Promise.all(pending);
  return { heldBack, maxLateMs };
}

/** How long committed referral news waited in the outbox before the relay took it (from the rows' own stamps). */
async function relayLag(
  raw: pg.Client,
  referralIds: string[],
): Promise<{ p50: number; p99: number; rowsPerReferral: number }> {
  const rows = (
    await raw.query<{ lag_ms: number }>(
      `select extract(epoch from (enqueued_at - created_at)) * 1000 as lag_ms
         from outbox_message where topic = 'referral.changed' and payload->>'referralId' = any($1::text[])`,
      [referralIds],
    )
  ).rows;
  const all = await raw.query<{ n: string }>(
    `select count(*) n from outbox_message where created_at >= (
       select min(created_at) from outbox_message where payload->>'referralId' = any($1::text[]))`,
    [referralIds],
  );
  return {
    ...percentiles(rows.map((r) => Number(r.lag_ms))),
    rowsPerReferral: Number(all.rows[0]?.n ?? 0) / Math.max(1, referralIds.length),
  };
}

/** Removes the bench's queue keys from the shared Redis. */
async function removeKeys(url: string, prefixes: string[]): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    for (const prefix of prefixes) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.unlink(...keys);
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}
