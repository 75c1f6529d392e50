import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { OutboxModule } from '../outbox/outbox.module.js';
import { ChannelAccess } from './channel-access.js';
import { ChannelEvents } from './channel-events.js';
import { ChannelsController } from './channels.controller.js';
import { ChannelsGateway } from './channels.gateway.js';
import { ChannelsService } from './channels.service.js';
import { MessagesService } from './messages.service.js';
import { EphemeralStore, PresenceService, SendLimiter } from './presence.service.js';

/**
 * What every process with queues needs: system messages from delivered outbox events and the
 * acknowledgement reminders (worker processes run them too).
 */
@Module({
  imports: [OutboxModule],
  providers: [ChannelAccess, ChannelEvents, EphemeralStore, SendLimiter, PresenceService, MessagesService],
  exports: [ChannelAccess, ChannelEvents, PresenceService, MessagesService],
})
export class ChannelsCoreModule {}

/** Channels over REST and the socket (API processes). */
@Module({
  imports: [ChannelsCoreModule, AuthModule],
  controllers: [ChannelsController],
  providers: [ChannelsService, ChannelsGateway],
})
export class ChannelsModule {}
