import { Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  AnnualReportQuery,
  RollupRefreshView,
  StatisticsQuery,
  StatisticsView,
  type AnnualReportQuery as ReportQuery,
} from '@xietong/shared';
import type { Actor } from '../common/policy/actor.js';
import { CurrentActor, Policy } from '../common/policy/policy.decorator.js';
import { Returns, ValidQuery } from '../common/zod.js';
import { reportPdf, reportXlsx } from './annual-report.js';
import { StatisticsService } from './statistics.service.js';

const CONTENT_TYPES = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const;

@ApiTags('statistics')
@ApiBearerAuth()
@Controller()
export class StatisticsController {
  constructor(private readonly statistics: StatisticsService) {}

  @Get('statistics')
  @Policy('statistics.read')
  @Returns(200, StatisticsView)
  read(@CurrentActor() actor: Actor, @ValidQuery(StatisticsQuery) query: StatisticsQuery): Promise<StatisticsView> {
    return this.statistics.statistics(actor, query);
  }

  @Post('statistics/refresh')
  @HttpCode(200)
  @Policy('statistics.refresh')
  @Returns(200, RollupRefreshView)
  refresh(): Promise<RollupRefreshView> {
    return this.statistics.refreshRollups();
  }

  @Get('reports/annual')
  @Policy('report.annual')
  @ApiProduces(CONTENT_TYPES.xlsx, CONTENT_TYPES.pdf)
  async annual(
    @CurrentActor() actor: Actor,
    @ValidQuery(AnnualReportQuery) query: ReportQuery,
    @Res() res: Response,
  ): Promise<void> {
    const stats = await this.statistics.statistics(
      actor,
      { from: `${query.year}-01-01`, to: `${query.year}-12-31`, ...(query.agency ? { agency: query.agency } : {}) },
      'report.annual',
    );
    const body = query.format === 'pdf' ? await reportPdf(stats) : await reportXlsx(stats);
    res.setHeader('Content-Type', CONTENT_TYPES[query.format]);
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="annual-report-${query.year}.${query.format}"; filename*=UTF-8''${encodeURIComponent(
        `${query.year}年法治政府建设年度报告统计.${query.format}`,
      )}`,
    );
    res.send(body);
  }
}
