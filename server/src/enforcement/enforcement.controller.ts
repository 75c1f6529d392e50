import { Controller, Get, HttpCode, Param, Post, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  CreateEnforcementRequest,
  EnforcementActionParam,
  EnforcementActionRequest,
  EnforcementView,
  type EnforcementAction,
} from '@xietong/shared';
import type { Actor } from '../common/policy/actor.js';
import { CurrentActor, Policy } from '../common/policy/policy.decorator.js';
import { Returns, UuidParam, ValidBody, ZodPipe } from '../common/zod.js';
import { IdempotencyInterceptor } from '../outbox/idempotency.js';
import { EnforcementService } from './enforcement.service.js';

@ApiTags('enforcement')
@ApiBearerAuth()
@Controller('enforcements')
export class EnforcementController {
  constructor(private readonly enforcement: EnforcementService) {}

  @Post()
  @Policy('enforcement.create')
  @UseInterceptors(IdempotencyInterceptor)
  @Returns(201, EnforcementView)
  create(
    @CurrentActor() actor: Actor,
    @ValidBody(CreateEnforcementRequest) body: CreateEnforcementRequest,
  ): Promise<EnforcementView> {
    return this.enforcement.create(actor, body);
  }

  @Get()
  @Policy('enforcement.read')
  @Returns(200, z.array(EnforcementView))
  list(@CurrentActor() actor: Actor): Promise<EnforcementView[]> {
    return this.enforcement.list(actor);
  }

  @Get(':applicationId')
  @Policy('enforcement.read')
  @Returns(200, EnforcementView)
  get(@CurrentActor() actor: Actor, @UuidParam('applicationId') id: string): Promise<EnforcementView> {
    return this.enforcement.get(actor, id);
  }

  /** 催告, 申请, 受理, 裁定, 执行结果: the shared lifecycle table decides. */
  @Post(':applicationId/actions/:action')
  @HttpCode(200)
  @Policy('enforcement.act')
  @Returns(200, EnforcementView)
  act(
    @CurrentActor() actor: Actor,
    @UuidParam('applicationId') id: string,
    @Param('action', new ZodPipe(EnforcementActionParam)) action: EnforcementAction,
    @ValidBody(EnforcementActionRequest) body: EnforcementActionRequest,
  ): Promise<EnforcementView> {
    return this.enforcement.act(actor, id, action, body);
  }
}
