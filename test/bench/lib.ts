/** Small helpers shared by the benchmarks: seeded randomness, percentiles, a progress bar. */

/** The environment of a server a benchmark boots in its own process: seeded, quiet, its own queues. */
export function benchServerEnv(
  databaseUrl: string,
  queuePrefix: string,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    MIGRATE_ON_START: 'true',
    SEED_DEMO: 'true',
    LOG_LEVEL: 'error',
    QUEUE_PREFIX: queuePrefix,
    JWT_SECRET: 'b'.repeat(40),
    ...extra,
  };
}

export type Rng = () => number;

/** mulberry32: a tiny seeded generator, so every run asks the same questions. */
export function seeded(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function percentiles(samples: number[]): { p50: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99) };
}

export function bar(done: number, total: number, width = 30): string {
  const filled = Math.round((done / Math.max(1, total)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
}

export interface BenchResult {
  name: string;
  unit: 'ms';
  p50?: number;
  p99?: number;
  total?: number;
  baseline: { name: string; p50?: number; p99?: number; total?: number };
  target?: string;
  met?: boolean;
}

const f = (n: number | undefined): string =>
  n === undefined ? '—' : n < 1 ? n.toFixed(3) : n < 100 ? n.toFixed(2) : n.toFixed(0);
const ratio = (a: number | undefined, b: number | undefined): string =>
  a === undefined || !b ? '—' : `${(a / b).toFixed(1)}×`;

/** A Markdown table: each figure beside its baseline from the same run, and the ratio. */
export function markdown(results: BenchResult[]): string {
  const lines = [
    '| measurement | p50 / total (ms) | p99 (ms) | baseline (same run) | baseline p50 / total | baseline p99 | ratio p50 / total | ratio p99 | target |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const main = r.total ?? r.p50;
    const base = r.baseline.total ?? r.baseline.p50;
    lines.push(
      `| ${r.name} | ${f(main)} | ${f(r.p99)} | ${r.baseline.name} | ${f(base)} | ${f(r.baseline.p99)} | ${ratio(main, base)} | ${ratio(r.p99, r.baseline.p99)} | ${r.target ? `${r.target} ${r.met ? '✓' : '✗'}` : ''} |`,
    );
  }
  return lines.join('\n');
}
