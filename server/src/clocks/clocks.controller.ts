import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/policy/actor.js';
import { CurrentActor, Policy } from '../common/policy/policy.decorator.js';
import { Returns } from '../common/zod.js';
import { ClocksService } from './clocks.service.js';

@ApiTags('calendar')
@ApiBearerAuth()
@Controller('calendar')
export class ClocksController {
  constructor(private readonly clocks: ClocksService) {}

  @Get('years')
  @Policy('calendar.read')
  @Returns(200)
  years() {
    return this.clocks.years();
  }

  /**
   * Loads a year's official arrangement (the State Council publishes it each November; the
   * holiday library may lag). Provisional clocks are recomputed and their jobs rescheduled.
   */
  @Put('years')
  @Policy('calendar.manage')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['year', 'holidays', 'workdays', 'source'],
      properties: {
        year: { type: 'integer' },
        holidays: {
          type: 'array',
          items: {
            type: 'object',
            properties: { name: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } },
          },
        },
        workdays: { type: 'array', items: { type: 'string' } },
        source: { type: 'string' },
      },
    },
  })
  @Returns(200)
  load(@CurrentActor() actor: Actor, @Body() body: unknown) {
    return this.clocks.loadYear(actor, body);
  }
}
