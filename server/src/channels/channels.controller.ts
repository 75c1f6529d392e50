import { Controller, Get, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  ChannelMembersRequest,
  ChannelView,
  CreateChannelRequest,
  HistoryPage,
  HistoryQuery,
  MessageVersionView,
  ReadersView,
  SearchHit,
  SearchQuery,
  UpdateChannelRequest,
} from '@xietong/shared';
import type { Actor } from '../common/policy/actor.js';
import { CurrentActor, Policy } from '../common/policy/policy.decorator.js';
import { Returns, UuidParam, ValidBody, ValidQuery } from '../common/zod.js';
import { ChannelsService } from './channels.service.js';

/** Channels over REST: listing, opening, managing, history, search, receipts. Messages go over the socket. */
@ApiTags('channels')
@ApiBearerAuth()
@Controller()
export class ChannelsController {
  constructor(private readonly channels: ChannelsService) {}

  @Get('channels')
  @Policy('channel.list')
  @Returns(200, z.array(ChannelView))
  list(@CurrentActor() actor: Actor): Promise<ChannelView[]> {
    return this.channels.list(actor);
  }

  @Post('channels')
  @Policy('channel.create')
  @Returns(201, ChannelView)
  create(@CurrentActor() actor: Actor, @ValidBody(CreateChannelRequest) body: CreateChannelRequest) {
    return this.channels.create(actor, body);
  }

  @Get('channels/search')
  @Policy('channel.search')
  @Returns(200, z.array(SearchHit))
  search(@CurrentActor() actor: Actor, @ValidQuery(SearchQuery) q: SearchQuery): Promise<SearchHit[]> {
    return this.channels.search(actor, q);
  }

  @Get('matters/:matterId/channel')
  @Policy('channel.read')
  @Returns(200, ChannelView)
  ofMatter(@CurrentActor() actor: Actor, @UuidParam('matterId') id: string): Promise<ChannelView> {
    return this.channels.ofMatter(actor, id);
  }

  @Get('channels/:channelId')
  @Policy('channel.read')
  @Returns(200, ChannelView)
  get(@CurrentActor() actor: Actor, @UuidParam('channelId') id: string): Promise<ChannelView> {
    return this.channels.get(actor, id);
  }

  @Patch('channels/:channelId')
  @Policy('channel.manage')
  @Returns(200, ChannelView)
  update(
    @CurrentActor() actor: Actor,
    @UuidParam('channelId') id: string,
    @ValidBody(UpdateChannelRequest) body: UpdateChannelRequest,
  ): Promise<ChannelView> {
    return this.channels.update(actor, id, body);
  }

  @Post('channels/:channelId/members')
  @Policy('channel.manage')
  @Returns(201, ChannelView)
  members(
    @CurrentActor() actor: Actor,
    @UuidParam('channelId') id: string,
    @ValidBody(ChannelMembersRequest) body: z.output<typeof ChannelMembersRequest>,
  ): Promise<ChannelView> {
    return this.channels.changeMembers(actor, id, body);
  }

  @Get('channels/:channelId/messages')
  @Policy('channel.read')
  @Returns(200, HistoryPage)
  history(
    @CurrentActor() actor: Actor,
    @UuidParam('channelId') id: string,
    @ValidQuery(HistoryQuery) q: HistoryQuery,
  ): Promise<HistoryPage> {
    return this.channels.history(actor, id, q);
  }

  @Get('channels/:channelId/messages/:messageId/readers')
  @Policy('channel.read')
  @Returns(200, ReadersView)
  readers(
    @CurrentActor() actor: Actor,
    @UuidParam('channelId') id: string,
    @UuidParam('messageId') messageId: string,
  ): Promise<ReadersView> {
    return this.channels.readers(actor, id, messageId);
  }

  @Get('channels/:channelId/messages/:messageId/versions')
  @Policy('channel.read')
  @Returns(200, z.array(MessageVersionView))
  versions(
    @CurrentActor() actor: Actor,
    @UuidParam('channelId') id: string,
    @UuidParam('messageId') messageId: string,
  ): Promise<MessageVersionView[]> {
    return this.channels.versions(actor, id, messageId);
  }
}
