import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { JobsOptions } from 'bullmq';
import { AppConfig } from '../config/app-config.provider.js';
import { uncounted } from '../database/statement-count.js';
import type { QueueName } from '../queue/job-catalogue.js';
import { QueueService, withTimeout } from '../queue/queue.service.js';
import { OutboxMessage } from './outbox.entity.js';

export type OutboxTopic =
  | 'referral.changed'
  | 'dispute.opened'
  | 'clock.schedule'
  | 'clock.changed'
  | 'disclosure.late'
  | WorkflowTopic
  | 'workflow-clock.schedule'
  | 'workflow-clock.changed'
  /** a channel message asks for acknowledgement: schedules its reminders */
  | 'channel.ack_requested';

/** One topic per workflow; the payload is a `WorkflowChangedEvent` without its eventId. */
export const WORKFLOW_TOPICS = [
  'dispute.changed',
  'review.changed',
  'enforcement.changed',
  'interview.changed',
] as const;
export type WorkflowTopic = (typeof WORKFLOW_TOPICS)[number];

/** A job an outbox row becomes directly, on a queue of its own, instead of a delivery job. */
export interface RoutedJob {
  queue: QueueName;
  name: string;
  data: unknown;
  /** must carry a job id derived from the row, so a re-relayed row adds nothing twice */
  opts: JobsOptions & { jobId: string };
  /** ids of jobs of the same queue this one supersedes: removed first (missing or running ones are left) */
  replaces?: string[];
}

const BATCH = 200;
const IDLE_MS = 250;
const MAX_BACKOFF_MS = 5_000;

/**
 * Moves committed outbox rows into the delivery queue, oldest first, with the row id as the job
 * id. Several relays (one per process) share the work through SKIP LOCKED. A batch is claimed and
 * marked in one statement, and the mark commits only after the queue accepted the batch, so a
 * crash or a queue outage delays delivery but loses nothing.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  /** A commit was kicked while a pass ran: its rows may have missed that pass, so run another. */
  private kickedWhileRunning = false;
  private stopped = false;
  private backoff = IDLE_MS;
  private readonly startedAt = Date.now();
  private readonly routes = new Map<OutboxTopic, (payload: Record<string, unknown>) => RoutedJob[]>();

  constructor(
    private readonly em: EntityManager,
    private readonly queues: QueueService,
    private readonly config: AppConfig,
  ) {}

  /** Records a message in the caller's transaction (pass the transaction's entity manager). */
  static record(em: EntityManager, topic: OutboxTopic, payload: Record<string, unknown>): OutboxMessage {
    return em.create(OutboxMessage, { topic, payload, enqueuedAt: null });
  }

  /**
   * Sends a topic's rows straight to jobs of their own (a clock's delayed steps) rather than
   * through a delivery job that would only queue them: one job hop less per row.
   */
  route(topic: OutboxTopic, toJobs: (payload: Record<string, unknown>) => RoutedJob[]): void {
    this.routes.set(topic, toJobs);
  }

  onApplicationBootstrap(): void {
    this.queues.onRedisLost('outbox', () => this.requeueUndelivered());
    this.schedule(this.config.outboxRelayStartDelayMs);
  }

  /**
   * Redis lost its data: rows relayed but not delivered had their jobs there, so they are relayed
   * again (same job ids). Routed topics are left out: their owners rebuild those jobs from their
   * own tables (a clock's steps from the clock).
   */
  async requeueUndelivered(): Promise<number> {
    const routed = [...this.routes.keys()].map((t) => `'${t.replace(/'/g, "''")}'`);
    const rows = await this.em.fork().execute<{ id: string }[]>(
      `update outbox_message set enqueued_at = null
          where enqueued_at is not null and delivered_at is null
          ${routed.length ? `and topic not in (${routed.join(', ')})` : ''}
          returning id`,
    );
    this.schedule(0);
    return rows.length;
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Asks for a pass right away (after a commit), instead of waiting for the next tick. */
  kick(): void {
    if (this.config.faultKillAfterCommit) process.kill(process.pid, 'SIGKILL');
    if (this.stopped || Date.now() < this.startedAt + this.config.outboxRelayStartDelayMs) return;
    if (this.running) this.kickedWhileRunning = true;
    else this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    // A pass kicked by a request is not that request's work (nor counted as its statements).
    this.timer = uncounted(() => setTimeout(() => void this.pass(), ms));
  }

  /** One pass: relays batches until none is left; on failure backs off and tries again. */
  async pass(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    this.kickedWhileRunning = false;
    let moved = 0;
    let next: number;
    try {
      for (;;) {
        const n = await this.relayBatch();
        moved += n;
        if (n < BATCH) break;
      }
      this.backoff = IDLE_MS;
      next = this.kickedWhileRunning ? 0 : IDLE_MS;
    } catch (e) {
      this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
      next = this.backoff;
      this.logger.warn({ err: e, retryInMs: this.backoff }, 'outbox relay paused: queue or database unavailable');
    } finally {
      this.running = false;
    }
    this.schedule(next);
    return moved;
  }

  private async relayBatch(): Promise<number> {
    return this.em.fork().transactional(async (em) => {
      // Claimed and marked in one round trip; the mark is rolled back if the queue refuses the batch.
      const claimed = await em.execute<{ id: string; topic: string; payload: Record<string, unknown> }[]>(
        `update outbox_message set enqueued_at = now()
          where id in (select id from outbox_message where enqueued_at is null
                        order by id limit ${BATCH} for update skip locked)
          returning id, topic, payload`,
      );
      if (claimed.length === 0) return 0;
      const byQueue = new Map<QueueName, { name: string; data: unknown; opts: JobsOptions }[]>();
      const add = (queue: QueueName, job: { name: string; data: unknown; opts: JobsOptions }) =>
        byQueue.set(queue, [...(byQueue.get(queue) ?? []), job]);
      const superseded: [QueueName, string][] = [];
      for (const r of claimed.sort((a, b) => Number(a.id) - Number(b.id))) {
        const route = this.routes.get(r.topic as OutboxTopic);
        if (route)
          for (const { queue, replaces, ...job } of route(r.payload)) {
            add(queue, job);
            for (const id of replaces ?? []) superseded.push([queue, id]);
          }
        else
          add('delivery', {
            name: 'outbox.deliver',
            data: { outboxId: Number(r.id), topic: r.topic, payload: r.payload },
            opts: { jobId: `outbox-${r.id}` },
          });
      }
      await withTimeout(
        Promise.all(
          superseded.map(([queue, id]) =>
            this.queues
              .queue(queue)
              .remove(id)
              .catch(() => 0),
          ),
        ),
        5_000,
      );
      await withTimeout(
        Promise.all([...byQueue].map(([queue, jobs]) => this.queues.queue(queue).addBulk(jobs))),
        5_000,
      );
      return claimed.length;
    });
  }
}
