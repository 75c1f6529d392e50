import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsService } from './notifications.service.js';

/** In-app notifications and outbound webhooks, fed by delivered outbox messages. */
@Module({ imports: [OutboxModule], controllers: [NotificationsController], providers: [NotificationsService] })
export class NotificationsModule {}
