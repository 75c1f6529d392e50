import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { AppConfig } from '../config/app-config.provider.js';
import { QueueService, withTimeout } from '../queue/queue.service.js';
import { OutboxMessage } from './outbox.entity.js';

export type OutboxTopic =
  'referral.changed' | 'dispute.opened' | 'clock.schedule' | 'clock.changed' | 'disclosure.late';

const BATCH = 200;
const IDLE_MS = 250;
const MAX_BACKOFF_MS = 5_000;

/**
 * Moves committed outbox rows into the delivery queue, oldest first, with the row id as the job
 * id. Several relays (one per process) share the work through SKIP LOCKED; a row is marked only
 * after the queue accepted it, so a crash or a queue outage delays delivery but loses nothing.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = false;
  private backoff = IDLE_MS;
  private readonly startedAt = Date.now();

  constructor(
    private readonly em: EntityManager,
    private readonly queues: QueueService,
    private readonly config: AppConfig,
  ) {}

  /** Records a message in the caller's transaction (pass the transaction's entity manager). */
  static record(em: EntityManager, topic: OutboxTopic, payload: Record<string, unknown>): OutboxMessage {
    return em.create(OutboxMessage, { topic, payload, enqueuedAt: null });
  }

  onApplicationBootstrap(): void {
    this.schedule(this.config.outboxRelayStartDelayMs);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Asks for a pass right away (after a commit), instead of waiting for the next tick. */
  kick(): void {
    if (this.config.faultKillAfterCommit) process.kill(process.pid, 'SIGKILL');
    if (!this.running && !this.stopped && Date.now() >= this.startedAt + this.config.outboxRelayStartDelayMs)
      this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.pass(), ms);
  }

  /** One pass: relays batches until none is left; on failure backs off and tries again. */
  async pass(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    let moved = 0;
    try {
      for (;;) {
        const n = await this.relayBatch();
        moved += n;
        if (n < BATCH) break;
      }
      this.backoff = IDLE_MS;
    } catch (e) {
      this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
      this.logger.warn({ err: e, retryInMs: this.backoff }, 'outbox relay paused: queue or database unavailable');
    } finally {
      this.running = false;
      this.schedule(this.backoff);
    }
    return moved;
  }

  private async relayBatch(): Promise<number> {
    return this.em.fork().transactional(async (em) => {
      const rows = await em.execute<{ id: string; topic: string; payload: Record<string, unknown> }[]>(
        `select id, topic, payload from outbox_message where enqueued_at is null
          order by id limit ${BATCH} for update skip locked`,
      );
      if (rows.length === 0) return 0;
      const queue = this.queues.queue('delivery');
      await withTimeout(
        queue.addBulk(
          rows.map((r) => ({
            name: 'outbox.deliver' as const,
            data: { outboxId: Number(r.id), topic: r.topic, payload: r.payload },
            opts: { jobId: `outbox-${r.id}` },
          })),
        ),
        5_000,
      );
      await em.execute(`update outbox_message set enqueued_at = now() where id = any(?::bigint[])`, [
        `{${rows.map((r) => r.id).join(',')}}`,
      ]);
      return rows.length;
    });
  }
}
