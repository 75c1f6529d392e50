import { defineEntity, p } from '@mikro-orm/core';
import { uuidPrimaryKey } from '../database/columns.js';
import { Agency } from '../agencies/agency.entity.js';
import { User } from '../users/user.entity.js';

/** An in-app notification for one user; one per user and event (the event key de-duplicates). */
export const NotificationSchema = defineEntity({
  name: 'Notification',
  tableName: 'notification',
  uniques: [{ properties: ['user', 'eventKey'] }],
  properties: {
    id: uuidPrimaryKey(),
    user: () => p.manyToOne(User).ref().index(),
    eventKey: p.string().length(64),
    kind: p.string().length(48),
    title: p.string().length(256),
    link: p.json<Record<string, string>>(),
    readAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class Notification extends NotificationSchema.class {}
NotificationSchema.setClass(Notification);

/** An agency's outbound webhook: events it wants, signed with its own secret. */
export const WebhookSubscriptionSchema = defineEntity({
  name: 'WebhookSubscription',
  tableName: 'webhook_subscription',
  properties: {
    id: uuidPrimaryKey(),
    agency: () => p.manyToOne(Agency).ref().index(),
    url: p.string().length(512),
    secret: p.string().length(128).hidden(),
    events: p.array<string>().columnType('text[]'),
    active: p.boolean().default(true),
    createdBy: () => p.manyToOne(User).ref(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class WebhookSubscription extends WebhookSubscriptionSchema.class {}
WebhookSubscriptionSchema.setClass(WebhookSubscription);

/** One event to one subscription: retried with backoff, dead after the last attempt. */
export const WebhookDeliverySchema = defineEntity({
  name: 'WebhookDelivery',
  tableName: 'webhook_delivery',
  uniques: [{ properties: ['subscription', 'eventKey'] }],
  properties: {
    id: uuidPrimaryKey(),
    subscription: () => p.manyToOne(WebhookSubscription).ref().index(),
    eventKey: p.string().length(64),
    event: p.string().length(48),
    payload: p.json<Record<string, unknown>>(),
    status: p.enum(['pending', 'delivered', 'dead'] as const).default('pending'),
    attempts: p.integer().default(0),
    lastStatus: p.integer().nullable(),
    lastError: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class WebhookDelivery extends WebhookDeliverySchema.class {}
WebhookDeliverySchema.setClass(WebhookDelivery);
