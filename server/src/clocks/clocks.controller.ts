import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/policy/actor.js';
import { CurrentActor, Policy } from '../common/policy/policy.decorator.js';
import { z } from 'zod';
import { ClockRuleView, ClockSettingRequest, ExtensionDecision, ExtensionRequest } from '@xietong/shared';
import { Returns, UuidParam, ValidBody } from '../common/zod.js';
import { ClocksService } from './clocks.service.js';

@ApiTags('calendar')
@ApiBearerAuth()
@Controller()
export class ClocksController {
  constructor(private readonly clocks: ClocksService) {}

  @Get('calendar/years')
  @Policy('calendar.read')
  @Returns(200)
  years() {
    return this.clocks.years();
  }

  /**
   * Loads a year's official arrangement (the State Council publishes it each November; the
   * holiday library may lag). Provisional clocks are recomputed and their jobs rescheduled.
   */
  @Put('calendar/years')
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

  /** The legal clock table as in force in this county. */
  @Get('clocks/rules')
  @Policy('calendar.read')
  @Returns(200, z.array(ClockRuleView))
  rules(): Promise<ClockRuleView[]> {
    return this.clocks.rules();
  }

  /** A county sets its own amount for a configurable clock (never for one set by law). */
  @Put('clocks/rules/:code')
  @Policy('calendar.manage')
  @Returns(200, z.array(ClockRuleView))
  setRule(
    @CurrentActor() actor: Actor,
    @Param('code') code: string,
    @ValidBody(ClockSettingRequest) body: ClockSettingRequest,
  ): Promise<ClockRuleView[]> {
    return this.clocks.setCountyAmount(actor, code, body);
  }

  /** The receiving side asks for more time on a configurable clock, before it expires. */
  @Post('referrals/:referralId/clocks/:clockId/extension-request')
  @HttpCode(204)
  @Policy('clock.extension')
  @Returns(204)
  requestExtension(
    @CurrentActor() actor: Actor,
    @UuidParam('referralId') referralId: string,
    @UuidParam('clockId') clockId: string,
    @ValidBody(ExtensionRequest) body: ExtensionRequest,
  ): Promise<void> {
    return this.clocks.requestExtension(actor, referralId, clockId, body);
  }

  /** The sending side or the guidance office grants (the clock moves, its jobs reschedule) or refuses. */
  @Post('referrals/:referralId/clocks/:clockId/extension-decision')
  @HttpCode(204)
  @Policy('clock.extension')
  @Returns(204)
  decideExtension(
    @CurrentActor() actor: Actor,
    @UuidParam('referralId') referralId: string,
    @UuidParam('clockId') clockId: string,
    @ValidBody(ExtensionDecision) body: ExtensionDecision,
  ): Promise<void> {
    return this.clocks.decideExtension(actor, referralId, clockId, body);
  }
}
