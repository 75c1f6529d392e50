import { Controller, Get, HttpCode, Param, Post, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  CollectiveDiscussionRequest,
  CreateMatterRequest,
  LegalReviewRequest,
  CreateReferralRequest,
  MatterList,
  MatterListQuery,
  MatterView,
  ReferralActionParam,
  ReferralActionRequest,
  ReferralList,
  ReferralListQuery,
  ReferralView,
  TimelineEntryView,
  type ReferralAction,
} from '@xietong/shared';
import type { Actor } from '../common/policy/actor.js';
import { CurrentActor, Policy } from '../common/policy/policy.decorator.js';
import { Returns, UuidParam, ValidBody, ValidQuery, ZodPipe } from '../common/zod.js';
import { IdempotencyInterceptor } from '../outbox/idempotency.js';
import { ReferralsService } from './referrals.service.js';

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description: 'a retried request with the same key returns the first result and creates nothing',
};

@ApiTags('referrals')
@ApiBearerAuth()
@Controller()
export class ReferralsController {
  constructor(private readonly referrals: ReferralsService) {}

  @Post('matters')
  @Policy('matter.create')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @UseInterceptors(IdempotencyInterceptor)
  @Returns(201, MatterView)
  createMatter(
    @CurrentActor() actor: Actor,
    @ValidBody(CreateMatterRequest) body: CreateMatterRequest,
  ): Promise<MatterView> {
    return this.referrals.createMatter(actor, body);
  }

  /** The matters the caller's agency is on, newest first, searchable: what create forms pick from. */
  @Get('matters')
  @Policy('matter.read')
  @Returns(200, MatterList)
  matters(@CurrentActor() actor: Actor, @ValidQuery(MatterListQuery) q: MatterListQuery): Promise<MatterList> {
    return this.referrals.myMatters(actor, q);
  }

  @Get('matters/:matterId')
  @Policy('matter.read')
  @Returns(200, MatterView)
  matter(@CurrentActor() actor: Actor, @UuidParam('matterId') id: string): Promise<MatterView> {
    return this.referrals.matter(actor, id);
  }

  @Get('matters/:matterId/timeline')
  @Policy('matter.read')
  @Returns(200, z.array(TimelineEntryView))
  timeline(@CurrentActor() actor: Actor, @UuidParam('matterId') id: string): Promise<TimelineEntryView[]> {
    return this.referrals.timelineOf(actor, id);
  }

  /** 集体讨论 of a major decision, on the matter's timeline. */
  @Post('matters/:matterId/collective-discussions')
  @Policy('matter.collective_discussion')
  @Returns(201, z.array(TimelineEntryView))
  collectiveDiscussion(
    @CurrentActor() actor: Actor,
    @UuidParam('matterId') id: string,
    @ValidBody(CollectiveDiscussionRequest) body: CollectiveDiscussionRequest,
  ): Promise<TimelineEntryView[]> {
    return this.referrals.recordMajorDecision(actor, id, { kind: 'collectiveDiscussion', body });
  }

  /** 法制审核 of a major decision by a legal reviewer, on the matter's timeline. */
  @Post('matters/:matterId/legal-reviews')
  @Policy('matter.legal_review')
  @Returns(201, z.array(TimelineEntryView))
  legalReview(
    @CurrentActor() actor: Actor,
    @UuidParam('matterId') id: string,
    @ValidBody(LegalReviewRequest) body: LegalReviewRequest,
  ): Promise<TimelineEntryView[]> {
    return this.referrals.recordMajorDecision(actor, id, { kind: 'legalReview', body });
  }

  @Post('referrals')
  @Policy('referral.create')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @UseInterceptors(IdempotencyInterceptor)
  @Returns(201, ReferralView)
  create(
    @CurrentActor() actor: Actor,
    @ValidBody(CreateReferralRequest) body: CreateReferralRequest,
  ): Promise<ReferralView> {
    return this.referrals.createReferral(actor, body);
  }

  /** The receiving side's inbox, with counts per state for badges. */
  @Get('referrals/inbox')
  @Policy('referral.read')
  @Returns(200, ReferralList)
  inbox(@CurrentActor() actor: Actor, @ValidQuery(ReferralListQuery) q: ReferralListQuery): Promise<ReferralList> {
    return this.referrals.list(actor, 'inbox', q);
  }

  /** The sending side's view of what it referred. */
  @Get('referrals/outbox')
  @Policy('referral.read')
  @Returns(200, ReferralList)
  outbox(@CurrentActor() actor: Actor, @ValidQuery(ReferralListQuery) q: ReferralListQuery): Promise<ReferralList> {
    return this.referrals.list(actor, 'outbox', q);
  }

  @Get('referrals/:referralId')
  @Policy('referral.read')
  @Returns(200, ReferralView)
  get(@CurrentActor() actor: Actor, @UuidParam('referralId') id: string): Promise<ReferralView> {
    return this.referrals.get(actor, id);
  }

  /** 签收, 受理, 退回, 办结 …: one endpoint per lifecycle action; the shared table decides. */
  @Post('referrals/:referralId/actions/:action')
  @HttpCode(200)
  @Policy('referral.act')
  @Returns(200, ReferralView)
  act(
    @CurrentActor() actor: Actor,
    @UuidParam('referralId') id: string,
    @Param('action', new ZodPipe(ReferralActionParam)) action: ReferralAction,
    @ValidBody(ReferralActionRequest) body: ReferralActionRequest,
  ): Promise<ReferralView> {
    return this.referrals.act(actor, id, action, body);
  }
}
