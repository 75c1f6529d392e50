import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Counts } from './checker.js';
import type { FaultConfig } from './config.js';
import type { FaultNotes } from './fault.js';

export interface FaultResult {
  name: string;
  description: string;
  passed: boolean;
  ms: number;
  counts: Counts;
  /** how long the API took to answer normally again after the fault */
  recoveredMs?: number;
  notes: FaultNotes;
  problems: string[];
}

export interface Report {
  profile: FaultConfig['profile'];
  startedAt: string;
  ms: number;
  machine: string;
  passed: boolean;
  faults: FaultResult[];
  total: Counts;
  stores: Record<string, number>;
  problems: string[];
}

const REPORT_DIR = resolve(import.meta.dirname, '..', '..', 'faults', 'report');

function row(r: { name: string; passed: boolean; counts: Counts; recoveredMs?: number; notes?: FaultNotes }): string {
  const c = r.counts;
  const notes = Object.entries(r.notes ?? {})
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
  return `| ${r.name} | ${r.passed ? 'pass' : '**FAIL**'} | ${c.sent} | ${c.received}/${c.expected} | ${c.caughtUp} | ${c.lost} | ${c.duplicated} | ${c.http.unavailable503} | ${c.http.serverErrors} | ${c.http.hangs} | ${r.recoveredMs === undefined ? '' : `${(r.recoveredMs / 1000).toFixed(1)} s`} | ${notes} |`;
}

export function markdown(report: Report): string {
  const lines = [
    `# Fault suite report (${report.profile} profile)`,
    '',
    `${report.startedAt}, ${(report.ms / 1000).toFixed(0)} s, ${report.machine}: **${report.passed ? 'passed' : 'FAILED'}**`,
    '',
    'sent: referrals and channel messages acknowledged during the fault; received: deliveries to',
    'every client that should have each (pushed live, or caught up after a reconnect); lost and',
    'duplicated must be 0; 503: clear "service unavailable" answers; 5xx: any other server error',
    '(must be 0); hangs: requests unanswered after the hang limit (must be 0).',
    '',
    '| fault | result | sent | received | caught up | lost | duplicated | 503 | 5xx | hangs | recovered in | notes |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...report.faults.map(row),
    row({ name: '**whole run**', passed: report.passed, counts: report.total }),
    '',
    `Stores at the end: ${Object.entries(report.stores)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
  ];
  const problems = [...report.problems, ...report.faults.flatMap((f) => f.problems.map((p) => `${f.name}: ${p}`))];
  if (problems.length) lines.push('', '## Problems', '', ...problems.map((p) => `- ${p}`));
  return lines.join('\n') + '\n';
}

/** Writes `report/faults-<profile>.json` and `.md` under test/faults, and returns the paths. */
export function writeReport(report: Report): string[] {
  mkdirSync(REPORT_DIR, { recursive: true });
  const base = resolve(REPORT_DIR, `faults-${report.profile}`);
  writeFileSync(`${base}.json`, JSON.stringify(report, null, 2));
  writeFileSync(`${base}.md`, markdown(report));
  return [`${base}.json`, `${base}.md`];
}
