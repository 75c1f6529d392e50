import { createHmac, randomBytes } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Job } from 'bullmq';
import {
  type CreateWebhookRequest,
  type NotificationList,
  type WebhookDeliveryView,
  type WebhookView,
} from '@xietong/shared';
import { Agency } from '../agencies/agency.entity.js';
import { AppConfig } from '../config/app-config.provider.js';
import { NotFound } from '../common/errors.js';
import type { Actor } from '../common/policy/actor.js';
import { PolicyService } from '../common/policy/policy.service.js';
import { DeliveryProcessor } from '../outbox/delivery.processor.js';
import { QueueService } from '../queue/queue.service.js';
import { User } from '../users/user.entity.js';
import { Notification, WebhookDelivery, WebhookSubscription } from './notification.entity.js';

/** What an outbox message means for people: who is told, in-app, and which webhook event it is. */
interface Fanout {
  event: string;
  title: string;
  link: Record<string, string>;
  /** agencies whose users get an in-app notification */
  notifyAgencies: string[];
  /** agencies whose webhooks receive the event */
  webhookAgencies: string[];
}

const STEP_TITLES: Record<string, string> = { warn: '期限预警', overdue: '已逾期', escalate: '逾期升级' };

/**
 * In-app notifications and outbound webhooks, both fed from delivered outbox messages. Both are
 * idempotent per event (a retried delivery adds nothing); webhooks are signed with HMAC-SHA256,
 * retried with exponential backoff and marked dead after the last attempt (the failed job stays
 * in the queue dashboard).
 */
@Injectable()
export class NotificationsService implements OnModuleInit {
  private readonly logger = new Logger(NotificationsService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly queues: QueueService,
    private readonly delivery: DeliveryProcessor,
    private readonly policy: PolicyService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.delivery.onDelivered((outboxId, topic, payload) => this.fanOut(outboxId, topic, payload));
    this.queues.handle('notifications', 'webhook.deliver', (data, job) => this.deliverWebhook(data.deliveryId, job));
  }

  async fanOut(outboxId: number, topic: string, payload: Record<string, unknown>): Promise<void> {
    const f = describe(topic, payload);
    if (!f) return;
    const eventKey = `outbox-${outboxId}`;
    const em = this.em.fork();
    if (f.notifyAgencies.length > 0) {
      const users = await em.find(User, { agency: { $in: f.notifyAgencies }, active: true }, { fields: ['id'] });
      for (const u of users) {
        await em.execute(
          `insert into notification (id, user_id, event_key, kind, title, link, created_at)
           values (gen_random_uuid(), ?, ?, ?, ?, ?::jsonb, now()) on conflict (user_id, event_key) do nothing`,
          [u.id, eventKey, f.event, f.title, JSON.stringify(f.link)],
        );
      }
    }
    const subs = await em.find(WebhookSubscription, {
      agency: { $in: f.webhookAgencies },
      active: true,
      events: { $contains: [f.event] },
    });
    for (const sub of subs) {
      const rows = await em.execute<{ id: string }[]>(
        `insert into webhook_delivery (id, subscription_id, event_key, event, payload, status, attempts, created_at, updated_at)
         values (gen_random_uuid(), ?, ?, ?, ?::jsonb, 'pending', 0, now(), now())
         on conflict (subscription_id, event_key) do nothing returning id`,
        [sub.id, eventKey, f.event, JSON.stringify(payload)],
      );
      const id = rows[0]?.id;
      if (!id) continue;
      await this.queues.add(
        'notifications',
        'webhook.deliver',
        { deliveryId: id },
        {
          jobId: `webhook-${id}`,
          attempts: this.config.webhooks.attempts,
          backoff: { type: 'exponential', delay: this.config.webhooks.retryBaseMs },
        },
      );
    }
  }

  /** One attempt; a failure throws so the queue retries, and the last failure marks it dead. */
  private async deliverWebhook(deliveryId: string, job: Job): Promise<{ status: number }> {
    const em = this.em.fork();
    const delivery = await em.findOne(
      WebhookDelivery,
      { id: deliveryId },
      { populate: ['subscription', 'subscription.secret'] },
    );
    if (!delivery || delivery.status !== 'pending') return { status: 0 };
    const sub = delivery.subscription.unwrap();
    const body = JSON.stringify({
      id: delivery.id,
      event: delivery.event,
      occurredAt: delivery.createdAt.toISOString(),
      data: delivery.payload,
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', sub.secret).update(`${timestamp}.${body}`).digest('hex');
    delivery.attempts++;
    let status = 0;
    let error: string | null = null;
    try {
      const res = await fetch(sub.url, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'x-xietong-event': delivery.event,
          'x-xietong-delivery': delivery.id,
          'x-xietong-timestamp': timestamp,
          'x-xietong-signature': `sha256=${signature}`,
        },
        signal: AbortSignal.timeout(5_000),
        redirect: 'manual',
      });
      status = res.status;
      if (!res.ok) error = `HTTP ${res.status}`;
    } catch (e) {
      error = e instanceof Error ? e.message : 'request failed';
    }
    delivery.lastStatus = status || null;
    delivery.lastError = error;
    const last = delivery.attempts >= (job.opts.attempts ?? 1);
    if (!error) delivery.status = 'delivered';
    else if (last) delivery.status = 'dead';
    await em.flush();
    if (error) {
      if (last) this.logger.warn({ deliveryId, url: redact(sub.url), error }, 'webhook dead after last attempt');
      throw new Error(`webhook ${deliveryId}: ${error}`);
    }
    return { status };
  }

  // ---- API ------------------------------------------------------------------------------

  async createWebhook(actor: Actor, input: CreateWebhookRequest): Promise<WebhookView & { secret: string }> {
    this.policy.authorize(actor, 'webhook.manage', { agencyId: actor.agencyId });
    const secret = randomBytes(32).toString('hex');
    const sub = this.em.create(WebhookSubscription, {
      agency: this.em.getReference(Agency, actor.agencyId),
      url: input.url,
      secret,
      events: input.events,
      createdBy: this.em.getReference(User, actor.userId),
    });
    await this.em.flush();
    return { ...webhookView(sub), secret };
  }

  async webhooks(actor: Actor): Promise<WebhookView[]> {
    this.policy.authorize(actor, 'webhook.manage', { agencyId: actor.agencyId });
    return (await this.em.find(WebhookSubscription, { agency: actor.agencyId }, { orderBy: { createdAt: 'asc' } })).map(
      webhookView,
    );
  }

  async deliveries(actor: Actor, subscriptionId: string): Promise<WebhookDeliveryView[]> {
    const sub = await this.em.findOne(WebhookSubscription, { id: subscriptionId });
    if (!sub) throw new NotFound('webhook');
    this.policy.authorize(actor, 'webhook.manage', { agencyId: sub.agency.id }, 'webhook');
    const rows = await this.em.find(
      WebhookDelivery,
      { subscription: subscriptionId },
      { orderBy: { createdAt: 'asc' } },
    );
    return rows.map((d) => ({
      id: d.id,
      event: d.event,
      status: d.status,
      attempts: d.attempts,
      lastStatus: d.lastStatus ?? null,
      lastError: d.lastError ?? null,
      createdAt: d.createdAt.toISOString(),
    }));
  }

  async mine(actor: Actor, unreadOnly: boolean): Promise<NotificationList> {
    const where = { user: actor.userId, ...(unreadOnly ? { readAt: null } : {}) };
    const rows = await this.em.find(Notification, where, { orderBy: { createdAt: 'desc' }, limit: 100 });
    const unread = await this.em.count(Notification, { user: actor.userId, readAt: null });
    return {
      unread,
      notifications: rows.map((n) => ({
        id: n.id,
        kind: n.kind,
        title: n.title,
        link: n.link,
        read: n.readAt !== null && n.readAt !== undefined,
        createdAt: n.createdAt.toISOString(),
      })),
    };
  }

  async markRead(actor: Actor, id: string): Promise<void> {
    const n = await this.em.findOne(Notification, { id, user: actor.userId });
    if (!n) throw new NotFound('notification');
    n.readAt ??= new Date();
    await this.em.flush();
  }
}

function describe(topic: string, p: Record<string, unknown>): Fanout | undefined {
  const s = (k: string) => (typeof p[k] === 'string' ? p[k] : '');
  const list = (k: string) => (Array.isArray(p[k]) ? (p[k] as string[]) : []);
  if (topic === 'referral.changed') {
    const delivered = s('state') === 'delivered';
    return {
      event: delivered ? 'referral.delivered' : 'referral.changed',
      title: delivered ? `新移送：${s('matterNumber')}` : `移送状态变更：${s('matterNumber')} → ${s('state')}`,
      link: { referralId: s('referralId'), matterId: s('matterId') },
      notifyAgencies: delivered ? [s('toAgencyId')] : [s('fromAgencyId')],
      webhookAgencies: [s('fromAgencyId'), s('toAgencyId'), ...list('informAgencyIds')],
    };
  }
  if (topic === 'clock.changed') {
    return {
      event: 'clock.changed',
      title: `${STEP_TITLES[s('step')] ?? '期限变化'}：${s('matterNumber')}`,
      link: { referralId: s('referralId'), matterId: s('matterId') },
      notifyAgencies: [s('receivingAgencyId'), ...list('escalateToAgencyIds')],
      webhookAgencies: [s('receivingAgencyId'), s('sendingAgencyId'), ...list('escalateToAgencyIds')],
    };
  }
  if (topic === 'dispute.opened') {
    return {
      event: 'dispute.opened',
      title: `职责争议：${s('matterNumber')}`,
      link: { disputeId: s('disputeId'), matterId: s('matterId') },
      notifyAgencies: [s('guidanceOfficeId')],
      webhookAgencies: [s('guidanceOfficeId'), s('agencyAId'), s('agencyBId')],
    };
  }
  if (topic === 'disclosure.late') {
    return {
      event: 'disclosure.late',
      title: `行政执法公示逾期：${s('matterNumber')}（应于 ${s('dueOn')} 前公示）`,
      link: { disclosureId: s('disclosureId'), matterId: s('matterId') },
      notifyAgencies: [s('agencyId')],
      webhookAgencies: [],
    };
  }
  return undefined;
}

function webhookView(s: WebhookSubscription): WebhookView {
  return { id: s.id, url: s.url, events: s.events, active: s.active, createdAt: s.createdAt.toISOString() };
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid)';
  }
}
