import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ReviewActionParam, ReviewActionRequest, ReviewQueue, ReviewView, type ReviewAction } from '@xietong/shared';
import type { Actor } from '../common/policy/actor.js';
import { CurrentActor, Policy } from '../common/policy/policy.decorator.js';
import { Returns, UuidParam, ValidBody, ZodPipe } from '../common/zod.js';
import { ReviewsService } from './reviews.service.js';

@ApiTags('reviews')
@ApiBearerAuth()
@Controller()
export class ReviewsController {
  constructor(private readonly reviews: ReviewsService) {}

  @Get('reviews/queue')
  @Policy('review.queue')
  @Returns(200, ReviewQueue)
  queue(@CurrentActor() actor: Actor): Promise<ReviewQueue> {
    return this.reviews.queue(actor);
  }

  @Post('matters/:matterId/reviews')
  @Policy('review.open')
  @Returns(201, ReviewView)
  open(@CurrentActor() actor: Actor, @UuidParam('matterId') matterId: string): Promise<ReviewView> {
    return this.reviews.open(actor, matterId);
  }

  @Get('reviews')
  @Policy('review.read')
  @Returns(200, z.array(ReviewView))
  list(@CurrentActor() actor: Actor): Promise<ReviewView[]> {
    return this.reviews.list(actor);
  }

  @Get('reviews/:reviewId')
  @Policy('review.read')
  @Returns(200, ReviewView)
  get(@CurrentActor() actor: Actor, @UuidParam('reviewId') id: string): Promise<ReviewView> {
    return this.reviews.get(actor, id);
  }

  /** 审查意见, 检察建议, 回复 …: the shared lifecycle table decides. */
  @Post('reviews/:reviewId/actions/:action')
  @HttpCode(200)
  @Policy('review.act')
  @Returns(200, ReviewView)
  act(
    @CurrentActor() actor: Actor,
    @UuidParam('reviewId') id: string,
    @Param('action', new ZodPipe(ReviewActionParam)) action: ReviewAction,
    @ValidBody(ReviewActionRequest) body: ReviewActionRequest,
  ): Promise<ReviewView> {
    return this.reviews.act(actor, id, action, body);
  }
}
