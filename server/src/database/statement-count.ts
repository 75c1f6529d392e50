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
    }
    super.logQuery(context);
  }
}

export const countingLoggerFactory = (options: LoggerOptions): CountingLogger => new CountingLogger(options);
