import { Controller, Get, HttpCode, Post, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CreateWebhookRequest, NotificationList, WebhookDeliveryView, WebhookView } from '@xietong/shared';
import type { Actor } from '../common/policy/actor.js';
import { CurrentActor, Policy } from '../common/policy/policy.decorator.js';
import { Returns, UuidParam, ValidBody, ValidQuery } from '../common/zod.js';
import { IdempotencyInterceptor } from '../outbox/idempotency.js';
import { NotificationsService } from './notifications.service.js';

const MineQuery = z.object({ unread: z.enum(['true', 'false']).default('false') });

@ApiTags('notifications')
@ApiBearerAuth()
@Controller()
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get('notifications')
  @Policy('notification.self')
  @Returns(200, NotificationList)
  mine(
    @CurrentActor() actor: Actor,
    @ValidQuery(MineQuery) q: { unread: 'true' | 'false' },
  ): Promise<NotificationList> {
    return this.notifications.mine(actor, q.unread === 'true');
  }

  @Post('notifications/:notificationId/read')
  @HttpCode(204)
  @Policy('notification.self')
  @Returns(204)
  read(@CurrentActor() actor: Actor, @UuidParam('notificationId') id: string): Promise<void> {
    return this.notifications.markRead(actor, id);
  }

  /** Registers an outbound webhook for one's own agency; the signing secret is shown this once. */
  @Post('webhooks')
  @Policy('webhook.manage')
  @UseInterceptors(IdempotencyInterceptor)
  @Returns(201, WebhookView.extend({ secret: z.string() }))
  create(@CurrentActor() actor: Actor, @ValidBody(CreateWebhookRequest) body: CreateWebhookRequest) {
    return this.notifications.createWebhook(actor, body);
  }

  @Get('webhooks')
  @Policy('webhook.manage')
  @Returns(200, z.array(WebhookView))
  list(@CurrentActor() actor: Actor): Promise<WebhookView[]> {
    return this.notifications.webhooks(actor);
  }

  @Get('webhooks/:webhookId/deliveries')
  @Policy('webhook.manage')
  @Returns(200, z.array(WebhookDeliveryView))
  deliveries(@CurrentActor() actor: Actor, @UuidParam('webhookId') id: string): Promise<WebhookDeliveryView[]> {
    return this.notifications.deliveries(actor, id);
  }
}
