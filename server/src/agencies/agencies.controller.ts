import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { AgencySummary } from '@xietong/shared';
import { Policy } from '../common/policy/policy.decorator.js';
import { Returns } from '../common/zod.js';
import { toAgencySummary } from '../users/user.views.js';
import { Agency } from './agency.entity.js';

@ApiTags('agencies')
@ApiBearerAuth()
@Controller('agencies')
export class AgenciesController {
  constructor(private readonly em: EntityManager) {}

  @Get()
  @Policy('agency.list')
  @Returns(200, z.array(AgencySummary))
  async list(): Promise<AgencySummary[]> {
    const agencies = await this.em.find(Agency, {}, { orderBy: { code: 'asc' } });
    return agencies.map(toAgencySummary);
  }
}
