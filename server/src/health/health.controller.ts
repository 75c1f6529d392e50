import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { MikroOrmHealthIndicator } from '@nestjs/terminus';
import type { Response } from 'express';
import { HealthReport } from '@xietong/shared';
import { AppConfig } from '../config/app-config.provider.js';
import { Policy } from '../common/policy/policy.decorator.js';
import { Returns } from '../common/zod.js';
import { QueueService } from '../queue/queue.service.js';
import { RedisProbe } from './redis.probe.js';

const VERSION = process.env.npm_package_version ?? '0.1.0';

/**
 * 503 only when this node cannot serve (its database is unreachable). A queue backend or Redis
 * that is down is "degraded" with 200: writes are still accepted and delivered later.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly db: MikroOrmHealthIndicator,
    private readonly queues: QueueService,
    private readonly redis: RedisProbe,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Policy('public.read')
  @Returns(200, HealthReport)
  async check(@Res({ passthrough: true }) res: Response): Promise<HealthReport> {
    const [database, redis, queues] = await Promise.all([this.database(), this.redis.check(), this.queueState()]);
    const status =
      database.status === 'down' ? 'down' : redis.status === 'down' || queues.status !== 'up' ? 'degraded' : 'ok';
    res.status(status === 'down' ? 503 : 200);
    return { status, database, redis, queues, version: VERSION, node: this.config.nodeId };
  }

  private async database(): Promise<HealthReport['database']> {
    const result = await this.db.pingCheck('database', { timeout: 2_000 });
    return result.database?.status === 'up' ? { status: 'up' } : { status: 'down', detail: 'database unreachable' };
  }

  private async queueState(): Promise<HealthReport['queues']> {
    const backend = this.queues.backend.kind;
    try {
      const depths = await this.queues.depths(2_000);
      const waiting = Object.values(depths).reduce((n, c) => n + (c.waiting ?? 0) + (c.delayed ?? 0), 0);
      return { status: 'up', backend, detail: `${waiting} jobs waiting or delayed` };
    } catch (e) {
      return {
        status: 'degraded',
        backend,
        detail: `queue backend unreachable: ${e instanceof Error ? e.message : 'error'}`,
      };
    }
  }
}
