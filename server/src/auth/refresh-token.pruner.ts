import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { QueueService, withTimeout } from '../queue/queue.service.js';

/**
 * Refresh-token hashes of sessions long over are credential material, not business records:
 * a daily job drops them. Sessions themselves are kept (they are part of the sign-in record).
 */
@Injectable()
export class RefreshTokenPruner implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(RefreshTokenPruner.name);

  constructor(
    private readonly em: EntityManager,
    private readonly queues: QueueService,
  ) {}

  onModuleInit(): void {
    this.queues.handle('maintenance', 'auth.prune-refresh-tokens', (data) => this.prune(data.olderThanDays));
    this.queues.onRedisLost('refresh-token pruning schedule', async () => (await this.schedule(), 1));
  }

  /** Idempotent; a queue backend that is down now only delays the schedule, it never blocks boot. */
  async onApplicationBootstrap(): Promise<void> {
    await withTimeout(this.schedule(), 5_000).catch((e: unknown) =>
      this.logger.warn({ err: e }, 'could not schedule refresh-token pruning yet'),
    );
  }

  async schedule(): Promise<void> {
    await this.queues
      .queue('maintenance')
      .upsertJobScheduler(
        'auth.prune-refresh-tokens',
        { pattern: '17 3 * * *', tz: 'Asia/Shanghai' },
        { name: 'auth.prune-refresh-tokens', data: { olderThanDays: 30 } },
      );
  }

  async prune(olderThanDays: number): Promise<{ pruned: number }> {
    const rows = await this.em.fork().execute<{ id: string }[]>(
      `delete from refresh_token t using auth_session s
        where t.session_id = s.id
          and coalesce(s.revoked_at, s.expires_at) < now() - make_interval(days => ?)
        returning t.id`,
      [olderThanDays],
    );
    this.logger.log({ pruned: rows.length }, 'refresh tokens pruned');
    return { pruned: rows.length };
  }
}
