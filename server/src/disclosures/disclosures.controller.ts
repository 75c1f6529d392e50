import { Controller, Get, Header, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  DisclosureListQuery,
  DisclosureView,
  PublicDisclosureList,
  PublicDisclosureQuery,
  WithdrawDisclosureRequest,
} from '@xietong/shared';
import type { Actor } from '../common/policy/actor.js';
import { CurrentActor, Policy } from '../common/policy/policy.decorator.js';
import { Returns, UuidParam, ValidBody, ValidQuery } from '../common/zod.js';
import { DisclosuresService } from './disclosures.service.js';
import { disclosurePage } from './disclosure.page.js';

@ApiTags('disclosures')
@Controller()
export class DisclosuresController {
  constructor(private readonly disclosures: DisclosuresService) {}

  @Get('disclosures')
  @ApiBearerAuth()
  @Policy('disclosure.read')
  @Returns(200, z.array(DisclosureView))
  list(
    @CurrentActor() actor: Actor,
    @ValidQuery(DisclosureListQuery) q: DisclosureListQuery,
  ): Promise<DisclosureView[]> {
    return this.disclosures.list(actor, q);
  }

  @Post('disclosures/:id/publish')
  @HttpCode(200)
  @ApiBearerAuth()
  @Policy('disclosure.manage')
  @Returns(200, DisclosureView)
  publish(@CurrentActor() actor: Actor, @UuidParam('id') id: string): Promise<DisclosureView> {
    return this.disclosures.publish(actor, id);
  }

  @Post('disclosures/:id/withdraw')
  @HttpCode(200)
  @ApiBearerAuth()
  @Policy('disclosure.manage')
  @Returns(200, DisclosureView)
  withdraw(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @ValidBody(WithdrawDisclosureRequest) body: WithdrawDisclosureRequest,
  ): Promise<DisclosureView> {
    return this.disclosures.withdraw(actor, id, body.reason);
  }

  /** 行政执法公示, for anyone: no sign-in, published results only, personal data masked. */
  @Get('public/disclosures')
  @Policy('disclosure.public')
  @Returns(200, PublicDisclosureList)
  published(@ValidQuery(PublicDisclosureQuery) q: PublicDisclosureQuery): Promise<PublicDisclosureList> {
    return this.disclosures.published(q);
  }

  /** The same list as a plain page (rendered here, readable without JavaScript). */
  @Get('public/disclosures/page')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Policy('disclosure.public')
  async page(@ValidQuery(PublicDisclosureQuery) q: PublicDisclosureQuery): Promise<string> {
    return disclosurePage(await this.disclosures.published(q));
  }
}
