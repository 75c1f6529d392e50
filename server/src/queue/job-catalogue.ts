/**
 * The typed job catalogue: every queue, every job name on it and its payload, in one place.
 * Workers refuse to start when a job here has no handler. Job data never carries secrets.
 */
export interface JobCatalogue {
  delivery: {
    /** Tells the parties about a committed change: socket events to the agencies' rooms. */
    'outbox.deliver': { outboxId: number; topic: string; payload: Record<string, unknown> };
  };
  clocks: {
    /** One step of a legal clock; ignored if the clock moved (generation) or ended meanwhile. */
    'clock.step': { clockId: string; generation: number; step: 'warn' | 'overdue' | 'escalate' };
    /** The same for a clock of a workflow (dispute, review, court application, interview). */
    'workflow-clock.step': { clockId: string; generation: number; step: 'warn' | 'overdue' | 'escalate' };
    /** End of a disclosure's due day: still not published means late, and its agency is warned. */
    'disclosure.due': { disclosureId: string };
  };
  fanout: {
    /**
     * What a delivered outbox message means for people: in-app notifications and webhook
     * deliveries, off the delivery worker so that socket events never wait on these writes.
     */
    'notifications.fanout': { outboxId: number; topic: string; payload: Record<string, unknown> };
  };
  notifications: {
    /** One outbound webhook delivery (HMAC-signed); retried with backoff, dead after the last attempt. */
    'webhook.deliver': { deliveryId: string };
    /** Reminds the recipients who have not acknowledged a channel message (需确认); re-queues itself until done. */
    'channel.ack-remind': { messageId: string; round: number };
  };
  maintenance: {
    /** Daily: drops refresh-token hashes of sessions that ended more than 30 days ago. */
    'auth.prune-refresh-tokens': { olderThanDays: number };
    /** Every few minutes: rebuilds the statistics rollups (materialised views) concurrently. */
    'statistics.refresh-rollups': { reason: string };
    /** Once, on a fresh demo start: a year of generated activity for the demo county (idempotent). */
    'demo.seed-activity': { seed: number };
  };
}

export type QueueName = keyof JobCatalogue;
export type JobName<Q extends QueueName> = keyof JobCatalogue[Q] & string;
export type JobData<Q extends QueueName, J extends JobName<Q>> = JobCatalogue[Q][J];

/** Runtime list of the catalogue (TypeScript interfaces vanish at run time). */
export const JOB_NAMES: { [Q in QueueName]: readonly JobName<Q>[] } = {
  delivery: ['outbox.deliver'],
  clocks: ['clock.step', 'workflow-clock.step', 'disclosure.due'],
  fanout: ['notifications.fanout'],
  notifications: ['webhook.deliver', 'channel.ack-remind'],
  maintenance: ['auth.prune-refresh-tokens', 'statistics.refresh-rollups', 'demo.seed-activity'],
};
export const QUEUE_NAMES = Object.keys(JOB_NAMES) as QueueName[];

/**
 * Jobs of a queue one worker runs at once. Delivery and fan-out jobs mostly wait on Redis and
 * PostgreSQL, and their writes are shared by the jobs running together (`MicroBatch`), so more at
 * once means fewer statements per job, not more load. The rest keep BullMQ's usual few.
 */
export const WORKER_CONCURRENCY: Record<QueueName, number> = {
  delivery: 64,
  clocks: 4,
  fanout: 64,
  notifications: 4,
  maintenance: 4,
};
