/**
 * Durations of the fault suite. `FAULT_PROFILE=short` (the default, what `npm test` and CI run)
 * keeps the whole suite within a few minutes on a 2-core machine; `long` is for benchmarks and
 * soak runs. `FAULT_ONLY=name,name` runs only the named faults (in registry order).
 */
export interface FaultConfig {
  profile: 'short' | 'long';
  /** API nodes (each `PROCESS_ROLE=api`) in front of one worker process */
  apiNodes: number;
  /** pause between two referral creates of one sender, ms */
  referralEveryMs: number;
  /** concurrent referral senders (HTTP) */
  referralSenders: number;
  /** pause between two channel messages of one sending client, ms */
  messageEveryMs: number;
  /** load before the first fault, so everything is warm, ms */
  warmupMs: number;
  /** load kept running after a fault ended, before its figures are taken, ms */
  afterFaultMs: number;
  /** how long everything sent may take to arrive once the fault is over, ms */
  settleMs: number;
  /** a request that has not answered after this long is a hang, ms */
  hangMs: number;
  /** how long Redis stays frozen in the "unreachable" fault, ms */
  redisUnreachableMs: number;
  /** how long PostgreSQL stays down in its restart fault, ms */
  postgresDownMs: number;
  /** how long a killed API node stays dead before it is started again, ms */
  nodeDeadMs: number;
  /** a dependency back: how long the API may take to answer normally again, ms */
  recoverMs: number;
  /** for faults that other modules add: free-form durations by name, ms */
  extra: Record<string, number>;
}

const SHORT: FaultConfig = {
  profile: 'short',
  apiNodes: 2,
  referralEveryMs: 700,
  referralSenders: 2,
  messageEveryMs: 400,
  warmupMs: 3_000,
  afterFaultMs: 3_000,
  settleMs: 30_000,
  hangMs: 15_000,
  redisUnreachableMs: 30_000,
  postgresDownMs: 4_000,
  nodeDeadMs: 3_000,
  recoverMs: 30_000,
  extra: {},
};

const LONG: FaultConfig = {
  profile: 'long',
  apiNodes: 3,
  referralEveryMs: 200,
  referralSenders: 4,
  messageEveryMs: 100,
  warmupMs: 20_000,
  afterFaultMs: 20_000,
  settleMs: 120_000,
  hangMs: 15_000,
  redisUnreachableMs: 30_000,
  postgresDownMs: 20_000,
  nodeDeadMs: 15_000,
  recoverMs: 60_000,
  extra: {},
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): FaultConfig {
  const profile = env.FAULT_PROFILE ?? 'short';
  if (profile !== 'short' && profile !== 'long') throw new Error(`FAULT_PROFILE must be short or long, not ${profile}`);
  const config = structuredClone(profile === 'short' ? SHORT : LONG);
  // FAULT_SET=offlineMs=180000,cutsMs=60000: one size of the profile changed for a run (`extra`).
  for (const pair of (env.FAULT_SET ?? '').split(',').filter(Boolean)) {
    const [name, value] = pair.split('=');
    const ms = Number(value);
    if (!name || !Number.isFinite(ms) || ms < 0) throw new Error(`FAULT_SET: expected name=milliseconds, not ${pair}`);
    config.extra[name] = ms;
  }
  return config;
}
