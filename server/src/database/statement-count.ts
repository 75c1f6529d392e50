import { AsyncLocalStorage } from 'node:async_hooks';
import { DefaultLogger, type LogContext, type LoggerOptions } from '@mikro-orm/core';

/** The SQL statements (BEGIN and COMMIT included) run on behalf of one unit of work, e.g. an HTTP request. */
export interface StatementTally {
  statements: number;
}

const scope = new AsyncLocalStorage<StatementTally>();
let processTotal = 0;

/** Every statement this process has run, requests and background work alike. */
export const statementsRun = (): number => processTotal;

/** Per statement shape: how often it ran and the time the client waited for it (lock waits included). */
export interface StatementCost {
  sql: string;
  count: number;
  ms: number;
}
let profile: Map<string, StatementCost> | undefined;

/**
 * Starts (or restarts) collecting `StatementCost`s, off by default: a profile of where a
 * benchmark's database time goes, like pg_stat_statements but seen from the app, so time spent
 * waiting on a lock is counted against the statement that waited.
 */
export function profileStatements(on: boolean): void {
  profile = on ? new Map() : undefined;
}

/** The statements collected since `profileStatements(true)`, most time first. */
export const statementProfile = (): StatementCost[] => [...(profile?.values() ?? [])].sort((a, b) => b.ms - a.ms);

/** A statement without its values: parameter lists and literals collapsed, so one shape is one row. */
function shapeOf(sql: string): string {
  return sql
    .replace(/'(?:[^']|'')*'/g, "'…'")
    .replace(/\b\d+\b/g, 'N')
    .replace(
      /\((?:\s*(?:\?|\$N|'…'|N|null|true|false|default)(?:::\w+(?:\[\])?)?\s*,?)+\)(?:\s*,\s*\((?:\s*(?:\?|\$N|'…'|N|null|true|false|default)(?:::\w+(?:\[\])?)?\s*,?)+\))+/g,
      '(…), …',
    )
    .replace(/\s+/g, ' ')
    .slice(0, 200);
}

/** Runs `fn` with a fresh tally; every statement the ORM runs from it (awaited or not) is counted there. */
export function countStatements<T>(tally: StatementTally, fn: () => T): T {
  return scope.run(tally, fn);
}

/**
 * Runs `fn` outside any tally: for background work started from a request (the outbox relay's
 * pass after a commit) that is not the request's own cost.
 */
export function uncounted<T>(fn: () => T): T {
  return scope.exit(fn);
}

/**
 * MikroORM's logger, counting each executed statement into the current tally (it is called for
 * every statement, logging on or off). This is how the cost of a request is measured in round
 * trips, a figure that does not depend on how busy the machine is.
 */
export class CountingLogger extends DefaultLogger {
  override logQuery(context: { query: string } & LogContext): void {
    if ((context.namespace ?? 'query') === 'query') {
      processTotal++;
      const tally = scope.getStore();
      if (tally) tally.statements++;
      if (profile) {
        const sql = shapeOf(context.query);
        const cost = profile.get(sql) ?? { sql, count: 0, ms: 0 };
        cost.count++;
        cost.ms += context.took ?? 0;
        profile.set(sql, cost);
      }
    }
    super.logQuery(context);
  }
}

export const countingLoggerFactory = (options: LoggerOptions): CountingLogger => new CountingLogger(options);
