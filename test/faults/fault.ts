import type { LoadClient, LoadContext, ReferralSender } from './load.js';

/** Extra figures a fault reports beside the counts the harness takes (durations, codes seen). */
export type FaultNotes = Record<string, number | string | boolean>;

/**
 * A fault: what it does to the running deployment. The harness enters the fault's phase (every
 * referral and message sent from then on is counted for it), calls `run`, keeps the load going
 * for `afterFaultMs`, waits until everything sent in the phase has reached every client, then
 * checks the database, the queues and the clients. `run` throws to fail the fault outright (a
 * product that did not refuse what it must refuse); everything else is judged by the checker.
 */
export interface Fault {
  name: string;
  /** one line for the report: what is done, and what must hold */
  description: string;
  /**
   * `load` (the default): under the steady load, after warm-up. `alone`: before the load starts,
   * for faults about booting (they must leave the deployment as they found it).
   */
  mode?: 'load' | 'alone';
  run(ctx: FaultContext): Promise<FaultNotes | void>;
}

export interface FaultContext extends LoadContext {
  /** every app (socket client) of the load, referral receivers and channel members */
  clients: LoadClient[];
  /** the HTTP referral senders */
  senders: ReferralSender[];
  /** lets the load run on for `ms` */
  hold(ms: number): Promise<void>;
  /**
   * Waits until every node that is up answers /api/health with 200 and a referral was created
   * after this call; returns how long that took (fails the fault after `recoverMs`).
   */
  recovered(): Promise<number>;
}
