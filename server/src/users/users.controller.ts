import { Controller, Get, Patch, Post, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CreateUserRequest, UpdateUserRequest, UserSummary } from '@xietong/shared';
import { CurrentActor, Policy } from '../common/policy/policy.decorator.js';
import type { Actor } from '../common/policy/actor.js';
import { Returns, UuidParam, ValidBody } from '../common/zod.js';
import { IdempotencyInterceptor } from '../outbox/idempotency.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@ApiBearerAuth()
@Controller()
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('agencies/:agencyId/users')
  @Policy('user.list')
  @Returns(200, z.array(UserSummary))
  list(@CurrentActor() actor: Actor, @UuidParam('agencyId') agencyId: string): Promise<UserSummary[]> {
    return this.users.listForAgency(actor, agencyId);
  }

  @Post('agencies/:agencyId/users')
  @Policy('user.manage')
  @UseInterceptors(IdempotencyInterceptor)
  @Returns(201, UserSummary)
  create(
    @CurrentActor() actor: Actor,
    @UuidParam('agencyId') agencyId: string,
    @ValidBody(CreateUserRequest) body: CreateUserRequest,
  ): Promise<UserSummary> {
    return this.users.create(actor, agencyId, body);
  }

  @Patch('users/:userId')
  @Policy('user.manage')
  @Returns(200, UserSummary)
  update(
    @CurrentActor() actor: Actor,
    @UuidParam('userId') userId: string,
    @ValidBody(UpdateUserRequest) body: UpdateUserRequest,
  ): Promise<UserSummary> {
    return this.users.update(actor, userId, body);
  }
}
