import { Module } from '@nestjs/common';
import { ActivitySeeder } from './activity.seeder.js';
import { StatisticsController } from './statistics.controller.js';
import { StatisticsRefresher } from './statistics.processor.js';
import { StatisticsService } from './statistics.service.js';

/** The figures and their queue jobs (rollup refresh, demo activity): loaded by API and worker processes. */
@Module({
  providers: [StatisticsService, StatisticsRefresher, ActivitySeeder],
  exports: [StatisticsService],
})
export class StatisticsCoreModule {}

/** Figures for leadership over HTTP: the statistics API and the annual report. */
@Module({ imports: [StatisticsCoreModule], controllers: [StatisticsController] })
export class StatisticsModule {}
