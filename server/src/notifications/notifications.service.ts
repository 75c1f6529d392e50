import { createHmac, randomBytes } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Job } from 'bullmq';
import {
  WORKFLOW_KINDS,
  WORKFLOW_LABELS,
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
import { MicroBatch } from '../database/micro-batch.js';
import { DeliveryProcessor } from '../outbox/delivery.processor.js';
import { WORKFLOW_TOPICS } from '../outbox/outbox.service.js';
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

/** One delivered event to fan out: what it means, and its key and payload. */
interface FanOutEvent extends Fanout {
  eventKey: string;
  payload: Record<string, unknown>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
    // The delivery worker only queues the fan-out (one job per message, keyed by it), so socket
    // events never wait on these writes and a failed fan-out retries without re-emitting them.
    this.delivery.onDelivered(async (outboxId, topic, payload) => {
      if (!describe(topic, payload)) return;
      await this.queues.add(
        'fanout',
        'notifications.fanout',
        { outboxId, topic, payload },
        { jobId: `fanout-${outboxId}` },
      );
    });
    this.queues.handle('fanout', 'notifications.fanout', (job) => this.fanOut(job.outboxId, job.topic, job.payload));
    this.queues.handle('notifications', 'webhook.deliver', (data, job) => this.deliverWebhook(data.deliveryId, job));
  }

  /**
   * What one delivered event means for people: an in-app notification for every active user of
   * the agencies told, and a webhook delivery for every matching subscription; both idempotent per
   * event. The fan-out jobs running together share one statement (`fanOutAll`).
   */
  async fanOut(outboxId: number, topic: string, payload: Record<string, unknown>): Promise<void> {
    const f = describe(topic, payload);
    if (!f) return;
    const pending = await this.fanOuts.add({ eventKey: `outbox-${outboxId}`, payload, ...f });
    if (pending.length === 0) return;
    await this.queues.queue('notifications').addBulk(
      pending.map((id) => ({
        name: 'webhook.deliver' as const,
        data: { deliveryId: id },
        opts: {
          jobId: `webhook-${id}`,
          attempts: this.config.webhooks.attempts,
          backoff: { type: 'exponential' as const, delay: this.config.webhooks.retryBaseMs },
        },
      })),
    );
  }

  private readonly fanOuts = new MicroBatch<FanOutEvent, string[]>((events) => this.fanOutAll(events), {
    max: 200,
    alone: true,
  });

  /**
   * One statement for many events. Returns, per event, the deliveries still pending for it (new
   * ones and any a failed earlier attempt left unqueued), which are queued by id (the job id
   * de-duplicates).
   */
  private async fanOutAll(events: FanOutEvent[]): Promise<string[][]> {
    const uuids = (ids: string[]) => ids.filter((id) => UUID.test(id));
    const doc = events.map((e, ord) => ({
      ord,
      event_key: e.eventKey,
      event: e.event,
      title: e.title,
      link: e.link,
      notify: uuids(e.notifyAgencies),
      hooks: uuids(e.webhookAgencies),
      payload: e.payload,
    }));
    const rows = await this.em.getConnection().execute<{ id: string; event_key: string }[]>(
      // Named first: the events' values are inlined after it, and pg_stat_activity keeps only the start.
      `/* notifications fan-out */ with ev as (
         select * from jsonb_to_recordset(?::jsonb) x(ord int, event_key text, event text, title text, link jsonb,
           notify uuid[], hooks uuid[], payload jsonb)
       ), told as (
         insert into notification (id, user_id, event_key, kind, title, link, created_at)
         select gen_random_uuid(), u.id, ev.event_key, ev.event, ev.title, ev.link, now()
           from ev join app_user u on u.agency_id = any(ev.notify) and u.active
          order by ev.ord
         on conflict (user_id, event_key) do nothing
       ), subs as (
         select s.id, ev.event_key, ev.event, ev.payload from ev join webhook_subscription s
             on s.agency_id = any(ev.hooks) and s.active and s.events @> array[ev.event]::text[]
       ), added as (
         insert into webhook_delivery (id, subscription_id, event_key, event, payload, status, attempts, created_at, updated_at)
         select gen_random_uuid(), subs.id, subs.event_key, subs.event, subs.payload, 'pending', 0, now(), now() from subs
         on conflict (subscription_id, event_key) do nothing
         returning id, event_key
       )
       select id, event_key from added
       union all
       select d.id, d.event_key from webhook_delivery d join subs on d.subscription_id = subs.id and d.event_key = subs.event_key
        where d.status = 'pending'`,
      [JSON.stringify(doc)],
    );
    return events.map((e) => rows.filter((r) => r.event_key === e.eventKey).map((r) => r.id));
  }

  /**
   * In-app notifications for these users, once per user and event key, written with the caller's
   * entity manager (inside its transaction when it has one, so the notice commits with its cause).
   */
  static async notifyUsers(
    em: EntityManager,
    userIds: readonly string[],
    n: { eventKey: string; kind: string; title: string; link: Record<string, string> },
  ): Promise<void> {
    if (userIds.length === 0) return;
    await em.execute(
      `insert into notification (id, user_id, event_key, kind, title, link, created_at)
       select gen_random_uuid(), u, ?, ?, ?, ?::jsonb, now() from unnest(?::uuid[]) u
       on conflict (user_id, event_key) do nothing`,
      [n.eventKey, n.kind, n.title.slice(0, 256), JSON.stringify(n.link), `{${[...new Set(userIds)].join(',')}}`],
    );
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
  const workflow = WORKFLOW_KINDS.find((w) => w === s('workflow'));
  // A dispute's opening is told by its `dispute.opened` message (to the guidance office).
  const told = workflow === 'dispute' && s('action') === 'opened';
  if (workflow && !told && (WORKFLOW_TOPICS as readonly string[]).includes(topic)) {
    // The agencies concerned (a review's are only the procuratorate and the reviewed agency),
    // except the one that acted.
    const actor = p.actor as { agencyId?: string } | null;
    return {
      event: topic,
      title: `${WORKFLOW_LABELS[workflow]}：${s('matterNumber')} ${s('summaryZh')}`.slice(0, 256),
      link: { [`${workflow}Id`]: s('id'), matterId: s('matterId') },
      notifyAgencies: list('agencyIds').filter((a) => a !== actor?.agencyId),
      webhookAgencies: [], // not among the webhook events (WEBHOOK_EVENTS) yet
    };
  }
  if (workflow && topic === 'workflow-clock.changed') {
    return {
      event: topic,
      title: `${WORKFLOW_LABELS[workflow]}${STEP_TITLES[s('step')] ?? '期限变化'}：${s('matterNumber')}`,
      link: { [`${workflow}Id`]: s('subjectId'), matterId: s('matterId') },
      notifyAgencies: list('agencyIds'),
      webhookAgencies: [], // not among the webhook events (WEBHOOK_EVENTS) yet
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
