import { Controller, Get, HttpCode, Param, Post, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  DISPUTE_STATES,
  DisputeActionParam,
  DisputeActionRequest,
  DisputeStats,
  DisputeView,
  OpenDisputeRequest,
  type DisputeAction,
} from '@xietong/shared';
import type { Actor } from '../common/policy/actor.js';
import { CurrentActor, Policy } from '../common/policy/policy.decorator.js';
import { Returns, UuidParam, ValidBody, ValidQuery, ZodPipe } from '../common/zod.js';
import { IdempotencyInterceptor } from '../outbox/idempotency.js';
import { DisputesService } from './disputes.service.js';

const DisputeListQuery = z.object({ state: z.enum(DISPUTE_STATES).optional() });

@ApiTags('disputes')
@ApiBearerAuth()
@Controller('disputes')
export class DisputesController {
  constructor(private readonly disputes: DisputesService) {}

  @Post()
  @Policy('dispute.open')
  @UseInterceptors(IdempotencyInterceptor)
  @Returns(201, DisputeView)
  open(@CurrentActor() actor: Actor, @ValidBody(OpenDisputeRequest) body: OpenDisputeRequest): Promise<DisputeView> {
    return this.disputes.open(actor, body);
  }

  @Get()
  @Policy('dispute.read')
  @Returns(200, z.array(DisputeView))
  list(
    @CurrentActor() actor: Actor,
    @ValidQuery(DisputeListQuery) q: z.infer<typeof DisputeListQuery>,
  ): Promise<DisputeView[]> {
    return this.disputes.list(actor, q.state);
  }

  @Get('stats')
  @Policy('dispute.stats')
  @Returns(200, DisputeStats)
  stats(@CurrentActor() actor: Actor): Promise<DisputeStats> {
    return this.disputes.stats(actor);
  }

  @Get(':disputeId')
  @Policy('dispute.read')
  @Returns(200, DisputeView)
  get(@CurrentActor() actor: Actor, @UuidParam('disputeId') id: string): Promise<DisputeView> {
    return this.disputes.get(actor, id);
  }

  /** 陈述意见, 受理, 裁决: the shared lifecycle table decides. */
  @Post(':disputeId/actions/:action')
  @HttpCode(200)
  @Policy('dispute.act')
  @Returns(200, DisputeView)
  act(
    @CurrentActor() actor: Actor,
    @UuidParam('disputeId') id: string,
    @Param('action', new ZodPipe(DisputeActionParam)) action: DisputeAction,
    @ValidBody(DisputeActionRequest) body: DisputeActionRequest,
  ): Promise<DisputeView> {
    return this.disputes.act(actor, id, action, body);
  }
}
