import { Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CreateInterferenceRequest, InterferenceReport, InterferenceView, QuarterQuery } from '@xietong/shared';
import type { Actor } from '../common/policy/actor.js';
import { CurrentActor, Policy } from '../common/policy/policy.decorator.js';
import { Returns, UuidParam, ValidBody, ValidQuery } from '../common/zod.js';
import { InterferenceService } from './interference.service.js';

@ApiTags('interference')
@ApiBearerAuth()
@Controller('interference-records')
export class InterferenceController {
  constructor(private readonly records: InterferenceService) {}

  @Post()
  @Policy('interference.record')
  @Returns(201, z.object({ id: z.uuid(), sealedAt: z.string() }), 'sealed')
  record(
    @CurrentActor() actor: Actor,
    @ValidBody(CreateInterferenceRequest) body: CreateInterferenceRequest,
  ): Promise<{ id: string; sealedAt: string }> {
    return this.records.record(actor, body);
  }

  @Get()
  @Policy('interference.read')
  @Returns(200, z.array(InterferenceView))
  list(@CurrentActor() actor: Actor): Promise<InterferenceView[]> {
    return this.records.list(actor);
  }

  @Get('reports/quarterly')
  @Policy('interference.report')
  @Returns(200, InterferenceReport)
  report(@CurrentActor() actor: Actor, @ValidQuery(QuarterQuery) q: QuarterQuery): Promise<InterferenceReport> {
    return this.records.report(actor, q);
  }

  @Get(':id')
  @Policy('interference.read')
  @Returns(200, InterferenceView)
  get(@CurrentActor() actor: Actor, @UuidParam('id') id: string): Promise<InterferenceView> {
    return this.records.get(actor, id);
  }
}
