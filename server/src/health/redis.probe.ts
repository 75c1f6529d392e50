import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config.provider.js';
import { withTimeout } from '../queue/queue.service.js';

/** Pings the configured Redis; without REDIS_URL there is none, and none is probed. */
@Injectable()
export class RedisProbe implements OnApplicationShutdown {
  private client: Redis | undefined;

  constructor(private readonly config: AppConfig) {}

  async check(): Promise<{ status: 'up' | 'down' | 'disabled'; detail?: string }> {
    if (!this.config.redisUrl) return { status: 'disabled', detail: 'no REDIS_URL: queues on PostgreSQL, one node' };
    this.client ??= new Redis(this.config.redisUrl, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
    });
    try {
      if (this.client.status === 'wait' || this.client.status === 'end')
        await withTimeout(this.client.connect(), 2_000);
      await withTimeout(this.client.ping(), 2_000);
      return { status: 'up' };
    } catch (e) {
      return { status: 'down', detail: e instanceof Error ? e.message : 'unreachable' };
    }
  }

  onApplicationShutdown(): void {
    this.client?.disconnect();
  }
}
