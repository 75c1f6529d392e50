import { Controller, Get, HttpCode, Param, Post, Res, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import {
  CreateInterviewRequest,
  InterviewActionParam,
  InterviewActionRequest,
  InterviewView,
  type InterviewAction,
} from '@xietong/shared';
import type { Actor } from '../common/policy/actor.js';
import { CurrentActor, Policy } from '../common/policy/policy.decorator.js';
import { Returns, UuidParam, ValidBody, ZodPipe } from '../common/zod.js';
import { IdempotencyInterceptor } from '../outbox/idempotency.js';
import { InterviewsService } from './interviews.service.js';

@ApiTags('interviews')
@ApiBearerAuth()
@Controller('interviews')
export class InterviewsController {
  constructor(private readonly interviews: InterviewsService) {}

  @Post()
  @Policy('interview.create')
  @UseInterceptors(IdempotencyInterceptor)
  @Returns(201, InterviewView)
  create(
    @CurrentActor() actor: Actor,
    @ValidBody(CreateInterviewRequest) body: CreateInterviewRequest,
  ): Promise<InterviewView> {
    return this.interviews.create(actor, body);
  }

  @Get()
  @Policy('interview.read')
  @Returns(200, z.array(InterviewView))
  list(@CurrentActor() actor: Actor): Promise<InterviewView[]> {
    return this.interviews.list(actor);
  }

  @Get(':interviewId')
  @Policy('interview.read')
  @Returns(200, InterviewView)
  get(@CurrentActor() actor: Actor, @UuidParam('interviewId') id: string): Promise<InterviewView> {
    return this.interviews.get(actor, id);
  }

  /** The invitation for a calendar (text/calendar); a reschedule raises its SEQUENCE. */
  @Get(':interviewId/invitation.ics')
  @Policy('interview.read')
  @ApiProduces('text/calendar')
  @Returns(200)
  async invitation(
    @CurrentActor() actor: Actor,
    @UuidParam('interviewId') id: string,
    @Res() res: Response,
  ): Promise<void> {
    const { fileName, body } = await this.interviews.invitation(actor, id);
    res.setHeader('Content-Type', 'text/calendar; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`);
    res.send(body);
  }

  /** 确认, 安排, 改期, 记录, 会签, 核查, 移送, 取消: the shared lifecycle table decides. */
  @Post(':interviewId/actions/:action')
  @HttpCode(200)
  @Policy('interview.act')
  @Returns(200, InterviewView)
  act(
    @CurrentActor() actor: Actor,
    @UuidParam('interviewId') id: string,
    @Param('action', new ZodPipe(InterviewActionParam)) action: InterviewAction,
    @ValidBody(InterviewActionRequest) body: InterviewActionRequest,
  ): Promise<InterviewView> {
    return this.interviews.act(actor, id, action, body);
  }
}
