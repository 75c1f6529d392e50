import { Controller, Get, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { AuditEntryView, AuditListQuery, AuditRangeQuery, AuditVerifyResult } from '@xietong/shared';
import { CurrentActor, Policy } from '../common/policy/policy.decorator.js';
import type { Actor } from '../common/policy/actor.js';
import { Returns, ValidQuery, ZodPipe } from '../common/zod.js';
import { Query } from '@nestjs/common';
import { AuditService } from './audit.service.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('verify')
  @Policy('audit.read')
  @Returns(200, AuditVerifyResult)
  verify(): Promise<AuditVerifyResult> {
    return this.audit.verify();
  }

  @Get('entries')
  @Policy('audit.read')
  @Returns(200, z.array(AuditEntryView))
  entries(@CurrentActor() actor: Actor, @ValidQuery(AuditListQuery) q: AuditListQuery): Promise<AuditEntryView[]> {
    return this.audit.list(actor, q);
  }

  @Get('export')
  @Policy('audit.export')
  @Returns(200, undefined, 'CSV or XLSX of the entries in the range')
  async export(
    @CurrentActor() actor: Actor,
    @Query(new ZodPipe(AuditRangeQuery)) q: AuditRangeQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const file = await this.audit.export(actor, q);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
    return new StreamableFile(file.body);
  }
}
