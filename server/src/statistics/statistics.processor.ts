import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config.provider.js';
import { QueueService, withTimeout } from '../queue/queue.service.js';
import { StatisticsService } from './statistics.service.js';

/** Keeps the statistics rollups fresh: a repeating queue job (STATISTICS_REFRESH_SECONDS, default five minutes). */
@Injectable()
export class StatisticsRefresher implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(StatisticsRefresher.name);

  constructor(
    private readonly queues: QueueService,
    private readonly statistics: StatisticsService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.queues.handle('maintenance', 'statistics.refresh-rollups', () => this.statistics.refreshRollups());
    this.queues.onRedisLost('statistics schedule', async () => (await this.schedule(), 1));
  }

  /** Idempotent; a queue backend that is down only delays the schedule, it never blocks boot. */
  async onApplicationBootstrap(): Promise<void> {
    await withTimeout(this.schedule(), 5_000).catch((e: unknown) =>
      this.logger.warn({ err: e }, 'could not schedule the statistics refresh yet'),
    );
  }

  private async schedule(): Promise<void> {
    await this.queues
      .queue('maintenance')
      .upsertJobScheduler(
        'statistics.refresh-rollups',
        { every: this.config.statisticsRefreshSeconds * 1000 },
        { name: 'statistics.refresh-rollups', data: { reason: 'schedule' } },
      );
  }
}
