import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { RedisProbe } from './redis.probe.js';

@Module({ imports: [TerminusModule], controllers: [HealthController], providers: [RedisProbe], exports: [RedisProbe] })
export class HealthModule {}
