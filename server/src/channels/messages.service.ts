import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import {
  advanceReadPosition,
  Role,
  disputeSystemText,
  postsToMatterChannel,
  referralSystemText,
  workflowClockSystemText,
  workflowSystemText,
  SYNC_PAGE,
  type ChannelChange,
  type EditMessagePayload,
  type MarkReadPayload,
  type MessageAck,
  type MessageRefPayload,
  type MessageView,
  type DisputeOpenedEvent,
  type ReferralChangedEvent,
  type SendMessagePayload,
  type SyncPayload,
  type SyncResult,
  type WorkflowChangedEvent,
  type WorkflowClockChangedEvent,
} from '@xietong/shared';
import type { z } from 'zod';
import type { EditMessagePayload as EditSchema, SendMessagePayload as SendSchema } from '@xietong/shared';
import { currentAuditContext, type AuditNote } from '../audit/audit-context.js';
import { AuditService } from '../audit/audit.service.js';
import { AppConfig } from '../config/app-config.provider.js';
import { Conflict, DomainError, Forbidden, NotFound, ValidationFailed } from '../common/errors.js';
import type { Actor } from '../common/policy/actor.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { DeliveryProcessor } from '../outbox/delivery.processor.js';
import { OutboxRelay, WORKFLOW_TOPICS } from '../outbox/outbox.service.js';
import { QueueService } from '../queue/queue.service.js';
import { archivedConflict, ChannelAccess, type ChannelContext } from './channel-access.js';
import { ChannelEvents } from './channel-events.js';
import {
  changesAfter,
  channelAuditNote,
  changeView,
  MESSAGE_COLUMNS,
  messagesById,
  messageView,
  recordChange,
  type MessageRow,
} from './channel-views.js';
import { MatterChannel } from './matter-channel.js';
import { SendLimiter } from './presence.service.js';
import type { PostGrants } from './post-grants.js';
import { MicroBatch } from '../database/micro-batch.js';
import { storeSystemPosts, type SystemPost, type SystemPostResult } from './system-posts.js';
import { SendBatcher } from './send-batcher.js';

type Send = z.output<typeof SendSchema>;
type Edit = z.output<typeof EditSchema>;

const isUniqueViolation = (e: unknown): boolean =>
  e instanceof UniqueConstraintViolationException || (e as { code?: string } | null)?.code === '23505';

/**
 * Messages and everything that happens to them: send (idempotent by the client's id), edit,
 * retract, read positions, acknowledgements, catch-up from a cursor, and the system messages
 * the platform posts. Every write takes the channel's next position under its row lock in the
 * same transaction, and the live event goes out only after the commit.
 */
@Injectable()
export class MessagesService implements OnModuleInit {
  private readonly logger = new Logger(MessagesService.name);
  private readonly batcher: SendBatcher;
  /** System messages of the delivery jobs running together, stored by one statement. */
  private readonly systemPosts = new MicroBatch<SystemPost, SystemPostResult>(
    (posts) => storeSystemPosts(this.em.fork(), posts),
    { max: 200, alone: true },
  );

  constructor(
    private readonly em: EntityManager,
    private readonly access: ChannelAccess,
    private readonly events: ChannelEvents,
    private readonly limiter: SendLimiter,
    private readonly delivery: DeliveryProcessor,
    private readonly relay: OutboxRelay,
    private readonly queues: QueueService,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {
    this.batcher = new SendBatcher(() => this.em.fork(), {
      hash: config.audit.hash,
      queued: () => this.audit.pendingQueued(),
    });
  }

  onModuleInit(): void {
    this.delivery.onDelivered(async (outboxId, topic, payload) => {
      if (topic === 'referral.changed') await this.onReferralChanged(outboxId, payload);
      if (topic === 'dispute.opened') {
        const e = payload as unknown as Omit<DisputeOpenedEvent, 'eventId'>;
        await this.postSystem(outboxId, e.matterId, disputeSystemText(e), { type: topic, ...payload }, []);
      }
      if ((WORKFLOW_TOPICS as readonly string[]).includes(topic) || topic === 'workflow-clock.changed') {
        await this.onWorkflowChanged(outboxId, topic, payload);
      }
    });
    this.delivery.registerTopic('channel.ack_requested', async (payload) => {
      const messageId = String(payload.messageId);
      await this.scheduleReminder(messageId, 1);
    });
    this.queues.handle('notifications', 'channel.ack-remind', (data) => this.remind(data.messageId, data.round));
    this.queues.onRedisLost('acknowledgement reminders', () => this.rescheduleReminders());
  }

  /**
   * Redis lost its data: every open acknowledgement request with someone still to acknowledge
   * gets its next round queued again (a full interval from now: late rather than never).
   */
  private async rescheduleReminders(): Promise<number> {
    const open = await this.em.fork().execute<{ message_id: string; rounds: number }[]>(
      `select a.message_id, max(a.reminders)::int rounds from channel_ack a
         join channel_message m on m.id = a.message_id join channel c on c.id = m.channel_id
        where a.acked_at is null and m.ack_closed_at is null and m.retracted_at is null and c.archived_at is null
        group by a.message_id`,
    );
    for (const o of open) await this.scheduleReminder(o.message_id, o.rounds + 1);
    return open.length;
  }

  // ---- send --------------------------------------------------------------------------------

  /**
   * `grants`: the channels this caller's socket may post in, as the policy layer decided when it
   * last checked (see `PostGrants`); a plain send into one of them skips the access query, and the
   * batch statement still refuses a sender who is not a member now.
   */
  async send(actor: Actor, input: SendMessagePayload, grants?: PostGrants): Promise<MessageAck> {
    const msg = input as Send;
    const em = this.em.fork();
    const plain = !msg.requiresAck && msg.mentions.userIds.length + msg.mentions.agencyIds.length === 0;
    let ctx: ChannelContext;
    let recipients: { mentioned: string[]; ackRecipients: string[] };
    let release: () => Promise<void>;
    try {
      const granted = plain ? grants?.get(msg.channelId.toLowerCase()) : undefined;
      ctx = granted ?? (await this.access.postable(em, actor, msg.channelId));
      if (plain && !granted) grants?.set(ctx);
      release = await this.limiter.take(actor.userId);
      recipients = await this.checkReferences(em, actor, ctx, msg);
    } catch (e) {
      // A resend of a stored message gets its ack even when a new send would be refused now
      // (rate limited, removed since): the lookup runs only on this path, not on every send.
      const first = await this.byClientId(em, actor.userId, msg.clientId);
      if (first) return this.sameAck(first, msg.channelId);
      throw e;
    }
    let row: MessageRow & ChangeColumns;
    if (plain) {
      // The common case: batched with the other sends into this channel (one statement, one commit).
      const send = { senderId: actor.userId, senderAgencyId: actor.agencyId, msg, audit: currentAuditContext() };
      let stored = await this.batcher.store(ctx.channel.id, send);
      if (stored.refused) {
        // Archived, or no longer a member: forget the grant and let the policy layer say why.
        grants?.drop(ctx.channel.id);
        await release();
        await this.access.postable(em, actor, ctx.channel.id);
        // Allowed again by now (re-added meanwhile): one more try, counted like any send.
        release = await this.limiter.take(actor.userId);
        stored = await this.batcher.store(ctx.channel.id, send);
        if (stored.refused) {
          await release();
          throw archivedConflict();
        }
      }
      if (stored.existing) {
        await release(); // a resend stores nothing and is not counted
        return this.sameAck(stored.existing, msg.channelId);
      }
      row = stored.row;
    } else {
      const store = async (tx: EntityManager) => {
        const r = await this.storeMessage(tx, ctx.channel.id, actor.userId, msg);
        if (recipients.mentioned.length > 0) await this.notifyMentions(tx, ctx, r, recipients.mentioned);
        if (msg.requiresAck) {
          await tx.execute(
            `insert into channel_ack (id, message_id, user_id, reminders) select gen_random_uuid(), ?, u, 0 from unnest(?::uuid[]) u`,
            [r.id, pgArray(recipients.ackRecipients)],
          );
          OutboxRelay.record(tx, 'channel.ack_requested', { messageId: r.id });
        }
        // The audit entry commits with the message (raw SQL: the flush subscriber does not see it).
        await this.audit.recordIn(tx, sentNote(r, msg.requiresAck));
        return r;
      };
      try {
        row = await em.transactional(store);
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
        // Sent before, or the same client id raced itself: the first one stored it.
        const first = await this.byClientId(this.em.fork(), actor.userId, msg.clientId);
        if (!first) throw e;
        await release();
        return this.sameAck(first, msg.channelId);
      }
    }
    if (msg.requiresAck) this.relay.kick();
    this.events.change(
      changeView(
        {
          channel_id: row.channel_id,
          change_seq: row.change_seq,
          type: 'message.created',
          message_id: row.id,
          user_id: actor.userId,
          data: null,
          created_at: row.created_at,
        },
        new Map([[row.id, row]]),
        false,
      ),
    );
    return { id: row.id, seq: row.seq, createdAt: new Date(row.created_at).toISOString() };
  }

  /**
   * One statement: takes the channel's next seq and change position under its row lock, stores
   * the message, its first version, the sender's read position and the change record.
   */
  private async storeMessage(
    em: EntityManager,
    channelId: string,
    senderId: string,
    msg: Pick<Send, 'clientId' | 'text' | 'replyTo' | 'mentions' | 'attachmentIds' | 'requiresAck'>,
  ): Promise<MessageRow & ChangeColumns> {
    const [row] = await em.execute<(MessageRow & ChangeColumns)[]>(
      `with pos as (
         update channel set last_seq = last_seq + 1, last_change_seq = last_change_seq + 1
          where id = ? and archived_at is null returning last_seq, last_change_seq),
       m as (
         insert into channel_message (id, channel_id, seq, client_id, kind, sender_id, body, reply_to,
           mention_user_ids, mention_agency_ids, attachment_ids, requires_ack, version, created_at)
         select gen_random_uuid(), ?, pos.last_seq, ?, 'user', ?, ?, ?, ?::uuid[], ?::uuid[], ?::uuid[], ?, 1, now() from pos
         returning *),
       v as (
         insert into channel_message_version (id, message_id, version, body, mention_user_ids, mention_agency_ids, edited_by_id, created_at)
         select gen_random_uuid(), m.id, 1, m.body, m.mention_user_ids, m.mention_agency_ids, m.sender_id, now() from m),
       r as (
         insert into channel_read (id, channel_id, user_id, seq, updated_at)
         select gen_random_uuid(), m.channel_id, m.sender_id, m.seq, now() from m
         on conflict (channel_id, user_id) do update set seq = greatest(channel_read.seq, excluded.seq), updated_at = now()),
       c as (
         insert into channel_change (id, channel_id, change_seq, type, message_id, user_id, created_at)
         select gen_random_uuid(), m.channel_id, pos.last_change_seq, 'message.created', m.id, m.sender_id, now() from m, pos
         returning change_seq)
       select ${MESSAGE_COLUMNS}, c.change_seq from m cross join c left join app_user u on u.id = m.sender_id`,
      [
        channelId,
        channelId,
        msg.clientId,
        senderId,
        msg.text,
        msg.replyTo ?? null,
        pgArray(msg.mentions.userIds),
        pgArray(msg.mentions.agencyIds),
        pgArray(msg.attachmentIds),
        msg.requiresAck,
      ],
    );
    if (!row) throw archivedConflict();
    return row;
  }

  private async byClientId(em: EntityManager, senderId: string, clientId: string) {
    const [row] = await em.execute<{ id: string; channel_id: string; seq: number; created_at: Date }[]>(
      `select id, channel_id, seq, created_at from channel_message where sender_id = ? and client_id = ?`,
      [senderId, clientId],
    );
    return row;
  }

  private sameAck(row: { id: string; channel_id: string; seq: number; created_at: Date }, channelId: string) {
    if (row.channel_id !== channelId) {
      throw new ValidationFailed([{ field: 'clientId', message: '该 clientId 已用于另一个群的消息' }]);
    }
    return { id: row.id, seq: row.seq, createdAt: new Date(row.created_at).toISOString() };
  }

  /**
   * Replies stay in their channel, mentions name members, attachments belong to the channel's
   * matter (or were uploaded by the sender). Returns who is mentioned and who must acknowledge.
   */
  private async checkReferences(
    em: EntityManager,
    actor: Actor,
    ctx: ChannelContext,
    msg: Pick<Send, 'replyTo' | 'mentions' | 'attachmentIds' | 'requiresAck'>,
  ): Promise<{ mentioned: string[]; ackRecipients: string[] }> {
    if (msg.replyTo) {
      const [parent] = await em.execute<{ id: string }[]>(
        `select id from channel_message where id = ? and channel_id = ?`,
        [msg.replyTo, ctx.channel.id],
      );
      if (!parent) throw new ValidationFailed([{ field: 'replyTo', message: '回复的消息不在本群' }]);
    }
    const needMembers = msg.mentions.userIds.length + msg.mentions.agencyIds.length > 0 || msg.requiresAck;
    const members = needMembers ? await this.access.memberUsers(em, ctx.channel.id) : [];
    const memberIds = new Set(members.map((m) => m.id));
    const memberAgencies = new Set(members.map((m) => m.agency_id));
    const bad: { field: string; message: string }[] = [];
    msg.mentions.userIds.forEach((u, i) => {
      if (!memberIds.has(u)) bad.push({ field: `mentions.userIds.${i}`, message: '被提及的用户不是本群成员' });
    });
    msg.mentions.agencyIds.forEach((a, i) => {
      if (!memberAgencies.has(a)) bad.push({ field: `mentions.agencyIds.${i}`, message: '被提及的单位不在本群' });
    });
    if (msg.attachmentIds.length > 0) {
      const ok = await em.execute<{ id: string }[]>(
        // A matter channel carries its matter's documents; other channels what the sender uploaded.
        `select id from attachment where id = any(?::uuid[])
            and (case when ?::uuid is null then uploaded_by_id = ? else matter_id = ? end)`,
        [pgArray(msg.attachmentIds), ctx.channel.matter_id, actor.userId, ctx.channel.matter_id],
      );
      const found = new Set(ok.map((r) => r.id));
      msg.attachmentIds.forEach((a, i) => {
        if (!found.has(a)) bad.push({ field: `attachmentIds.${i}`, message: '附件不存在或不属于本案件' });
      });
    }
    if (bad.length > 0) throw new ValidationFailed(bad);
    const liaisonOfMentioned = members.filter(
      (m) => msg.mentions.agencyIds.includes(m.agency_id) && m.roles.includes(Role.LiaisonOfficer),
    );
    return {
      mentioned: [...new Set([...msg.mentions.userIds, ...liaisonOfMentioned.map((m) => m.id)])].filter(
        (u) => u !== actor.userId,
      ),
      ackRecipients: msg.requiresAck ? members.filter((m) => m.id !== actor.userId).map((m) => m.id) : [],
    };
  }

  /** Mentioned users, and the liaison officers of mentioned agencies, get an in-app notification. */
  private async notifyMentions(em: EntityManager, ctx: ChannelContext, m: MessageRow, userIds: string[]) {
    await NotificationsService.notifyUsers(em, userIds, {
      eventKey: `channel-mention-${m.id}`,
      kind: 'channel.mention',
      title: `${m.sender_name ?? '系统'} 在「${ctx.channel.title}」中提到了你：${m.body.slice(0, 60)}`,
      link: { channelId: ctx.channel.id, messageId: m.id },
    });
  }

  // ---- edit, retract -----------------------------------------------------------------------

  async edit(actor: Actor, input: EditMessagePayload): Promise<MessageView> {
    const msg = input as Edit;
    const { em, ctx, row } = await this.ownMessage(actor, msg.messageId);
    await this.checkReferences(em, actor, ctx, { mentions: msg.mentions, attachmentIds: [], requiresAck: false });
    const same =
      row.body === msg.text &&
      sameSet(row.mention_user_ids, msg.mentions.userIds) &&
      sameSet(row.mention_agency_ids, msg.mentions.agencyIds);
    if (same) return messageView(row, ctx.readsOriginals);
    return this.changeMessage(em, ctx, row.id, 'message.edited', actor, async (tx) => {
      const [v] = await tx.execute<{ version: number }[]>(
        `update channel_message set body = ?, mention_user_ids = ?::uuid[], mention_agency_ids = ?::uuid[],
                version = version + 1, edited_at = now()
          where id = ? and retracted_at is null returning version`,
        [msg.text, pgArray(msg.mentions.userIds), pgArray(msg.mentions.agencyIds), row.id],
      );
      if (!v) throw retractedConflict();
      await tx.execute(
        `insert into channel_message_version (id, message_id, version, body, mention_user_ids, mention_agency_ids, edited_by_id, created_at)
         values (gen_random_uuid(), ?, ?, ?, ?::uuid[], ?::uuid[], ?, now())`,
        [row.id, v.version, msg.text, pgArray(msg.mentions.userIds), pgArray(msg.mentions.agencyIds), actor.userId],
      );
    });
  }

  /** 撤回: readers see it retracted; the text stays in the record (versions, auditors). Retracting twice is a no-op. */
  async retract(actor: Actor, input: MessageRefPayload): Promise<MessageView> {
    const { em, ctx, row } = await this.ownMessage(actor, input.messageId, true);
    if (row.retracted_at) return messageView(row, ctx.readsOriginals);
    return this.changeMessage(em, ctx, row.id, 'message.retracted', actor, async (tx) => {
      await tx.execute(`update channel_message set retracted_at = now(), retracted_by_id = ? where id = ?`, [
        actor.userId,
        row.id,
      ]);
    });
  }

  /** The sender stops asking for acknowledgements: reminders end. */
  async closeAck(actor: Actor, input: MessageRefPayload): Promise<MessageView> {
    const { em, ctx, row } = await this.ownMessage(actor, input.messageId, true);
    if (!row.requires_ack) throw new ValidationFailed([{ field: 'messageId', message: '该消息不需要确认' }]);
    if (row.ack_closed_at) return messageView(row, ctx.readsOriginals);
    return this.changeMessage(em, ctx, row.id, 'message.ack_closed', actor, async (tx) => {
      await tx.execute(`update channel_message set ack_closed_at = now() where id = ?`, [row.id]);
    });
  }

  private async ownMessage(actor: Actor, messageId: string, allowRetracted = false) {
    const em = this.em.fork();
    const row = (await messagesById(em, [messageId])).get(messageId);
    if (!row) throw new NotFound('message');
    const ctx = await this.access.postable(em, actor, row.channel_id);
    if (row.sender_id !== actor.userId)
      throw new Forbidden('只能修改自己发送的消息 (only the sender may change a message)');
    if (row.retracted_at && !allowRetracted) throw retractedConflict();
    return { em, ctx, row };
  }

  private async changeMessage(
    em: EntityManager,
    ctx: ChannelContext,
    messageId: string,
    type: 'message.edited' | 'message.retracted' | 'message.ack_closed',
    actor: Actor,
    write: (tx: EntityManager) => Promise<void>,
  ): Promise<MessageView> {
    const change = await em.transactional(async (tx) => {
      const pos = await this.access.nextPosition(tx, ctx.channel.id, false);
      await write(tx);
      const c = await recordChange(tx, {
        channelId: ctx.channel.id,
        changeSeq: pos.changeSeq,
        type,
        messageId,
        userId: actor.userId,
      });
      await this.audit.recordIn(tx, channelAuditNote(c));
      return changeView(c, await messagesById(tx, [messageId]), false);
    });
    this.events.change(change);
    const row = (await messagesById(em, [messageId])).get(messageId);
    if (!row) throw new NotFound('message');
    return messageView(row, ctx.readsOriginals);
  }

  // ---- read positions, acknowledgements ----------------------------------------------------

  async markRead(actor: Actor, input: MarkReadPayload): Promise<{ readSeq: number }> {
    const msg = input;
    const em = this.em.fork();
    const ctx = await this.access.postable(em, actor, msg.channelId);
    const result = await em.transactional(async (tx) => {
      const [c] = await tx.execute<{ last_seq: number }[]>(`select last_seq from channel where id = ? for update`, [
        ctx.channel.id,
      ]);
      const [r] = await tx.execute<{ seq: number }[]>(
        `select seq from channel_read where channel_id = ? and user_id = ?`,
        [ctx.channel.id, actor.userId],
      );
      const current = r?.seq ?? 0;
      const next = advanceReadPosition(current, msg.seq, c?.last_seq ?? 0);
      if (next === null) return { readSeq: current, change: undefined };
      const pos = await this.access.nextPosition(tx, ctx.channel.id, false);
      await this.setReadPosition(tx, ctx.channel.id, actor.userId, next);
      const change = await recordChange(tx, {
        channelId: ctx.channel.id,
        changeSeq: pos.changeSeq,
        type: 'read',
        userId: actor.userId,
        data: { seq: next },
      });
      return { readSeq: next, change: changeView(change, new Map(), false) };
    });
    if (result.change) this.events.change(result.change);
    return { readSeq: result.readSeq };
  }

  private async setReadPosition(em: EntityManager, channelId: string, userId: string, seq: number): Promise<void> {
    await em.execute(
      `insert into channel_read (id, channel_id, user_id, seq, updated_at) values (gen_random_uuid(), ?, ?, ?, now())
       on conflict (channel_id, user_id) do update set seq = greatest(channel_read.seq, excluded.seq), updated_at = now()`,
      [channelId, userId, seq],
    );
  }

  async acknowledge(actor: Actor, input: MessageRefPayload): Promise<{ ackedAt: string }> {
    const em = this.em.fork();
    const row = (await messagesById(em, [input.messageId])).get(input.messageId);
    if (!row) throw new NotFound('message');
    const ctx = await this.access.postable(em, actor, row.channel_id);
    const [ack] = await em.execute<{ acked_at: Date | null }[]>(
      `select acked_at from channel_ack where message_id = ? and user_id = ?`,
      [row.id, actor.userId],
    );
    if (!ack) throw new Forbidden('该消息未要求你确认 (this message does not ask you to acknowledge)');
    if (ack.acked_at) return { ackedAt: new Date(ack.acked_at).toISOString() };
    if (row.ack_closed_at || row.retracted_at) {
      const e = new Conflict('发送人已结束确认 (the sender closed acknowledgements)');
      e.details = [{ field: 'state', message: row.retracted_at ? 'retracted' : 'closed' }];
      throw e;
    }
    const { ackedAt, change } = await em.transactional(async (tx) => {
      const pos = await this.access.nextPosition(tx, ctx.channel.id, false);
      const [done] = await tx.execute<{ acked_at: Date }[]>(
        `update channel_ack set acked_at = coalesce(acked_at, now()) where message_id = ? and user_id = ? returning acked_at`,
        [row.id, actor.userId],
      );
      const c = await recordChange(tx, {
        channelId: ctx.channel.id,
        changeSeq: pos.changeSeq,
        type: 'message.ack',
        messageId: row.id,
        userId: actor.userId,
      });
      await this.audit.recordIn(tx, channelAuditNote(c));
      return {
        ackedAt: new Date(done?.acked_at ?? new Date()).toISOString(),
        change: changeView(c, await messagesById(tx, [row.id]), false),
      };
    });
    this.events.change(change);
    return { ackedAt };
  }

  private async scheduleReminder(messageId: string, round: number): Promise<void> {
    await this.queues.add(
      'notifications',
      'channel.ack-remind',
      { messageId, round },
      { jobId: `ack-remind-${messageId}-${round}`, delay: this.config.channels.ackRemindMs, removeOnComplete: 1000 },
    );
  }

  /** Reminds the recipients who still have not acknowledged, then schedules the next round while any remain. */
  private async remind(messageId: string, round: number): Promise<{ reminded: number }> {
    const em = this.em.fork();
    const [m] = await em.execute<{ channel_id: string; title: string; body: string; open: boolean }[]>(
      `select m.channel_id, c.title, m.body, (m.ack_closed_at is null and m.retracted_at is null and c.archived_at is null) open
         from channel_message m join channel c on c.id = m.channel_id where m.id = ?`,
      [messageId],
    );
    if (!m?.open) return { reminded: 0 };
    // Someone who has left the channel since is not reminded any more.
    const members = (await this.access.memberUsers(em, m.channel_id)).map((u) => u.id);
    const pending = await em.execute<{ user_id: string }[]>(
      `update channel_ack set reminders = reminders + 1
        where message_id = ? and acked_at is null and user_id = any(?::uuid[]) returning user_id`,
      [messageId, pgArray(members)],
    );
    await NotificationsService.notifyUsers(
      em,
      pending.map((p) => p.user_id),
      {
        eventKey: `channel-ack-${messageId}-${round}`,
        kind: 'channel.ack_reminder',
        title: `请确认「${m.title}」中的消息：${m.body.slice(0, 60)}`,
        link: { channelId: m.channel_id, messageId },
      },
    );
    if (pending.length > 0) await this.scheduleReminder(messageId, round + 1);
    return { reminded: pending.length };
  }

  // ---- catch-up ----------------------------------------------------------------------------

  /**
   * Every change after the client's cursor, per channel, in order. `join` is called for each
   * readable channel before its changes are read, so a change committed meanwhile arrives live
   * (or in this answer, or both: the client drops a `changeSeq` it has applied).
   */
  async sync(actor: Actor, input: SyncPayload, join: (channelIds: string[]) => Promise<void>): Promise<SyncResult> {
    const msg = input;
    const em = this.em.fork();
    const result: SyncResult = { channels: [], denied: [] };
    const readable: { channelId: string; after: number; readsOriginals: boolean }[] = [];
    for (const c of msg.cursors) {
      try {
        const ctx = await this.access.readable(em, actor, c.channelId);
        readable.push({ channelId: c.channelId, after: c.after, readsOriginals: ctx.readsOriginals });
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        result.denied.push(c.channelId);
      }
    }
    await join(readable.map((r) => r.channelId));
    for (const r of readable) {
      const page = await changesAfter(em, r.channelId, r.after, SYNC_PAGE, r.readsOriginals);
      const [c] = await em.execute<{ last_change_seq: number }[]>(`select last_change_seq from channel where id = ?`, [
        r.channelId,
      ]);
      result.channels.push({ channelId: r.channelId, ...page, lastChangeSeq: c?.last_change_seq ?? 0 });
    }
    return result;
  }

  // ---- system messages ---------------------------------------------------------------------

  /**
   * A referral on the matter changed state: the matter channel gets a system message (once per
   * outbox message), and agencies admitted by a delivery join the channel's live room.
   */
  async onReferralChanged(outboxId: number, p: Record<string, unknown>): Promise<void> {
    const e = p as unknown as Omit<ReferralChangedEvent, 'eventId'>;
    const joined = e.state === 'delivered' ? [e.toAgencyId, ...(e.informAgencyIds ?? [])] : [];
    await this.postSystem(outboxId, e.matterId, referralSystemText(e), { type: 'referral.changed', ...p }, joined);
  }

  /**
   * A workflow (dispute, court application, interview) changed state or one of its clocks stepped:
   * a system message on the matter channel, once per outbox message. Reviews post nothing there
   * (`postsToMatterChannel`): every agency on the matter reads the channel, a review only the
   * procuratorate and the reviewed agency.
   */
  private async onWorkflowChanged(outboxId: number, topic: string, p: Record<string, unknown>): Promise<void> {
    const e = p as unknown as Omit<WorkflowChangedEvent, 'eventId'> | Omit<WorkflowClockChangedEvent, 'eventId'>;
    if (!postsToMatterChannel({ workflow: e.workflow, action: 'action' in e ? e.action : undefined })) return;
    const body = 'step' in e ? workflowClockSystemText(e) : workflowSystemText(e);
    await this.postSystem(outboxId, e.matterId, body, { type: topic, ...p }, []);
  }

  /**
   * Posts one system message on a matter's channel, once per outbox message (`source_key`);
   * `joined` agencies' sockets join its room. The posts of the delivery jobs running together share
   * one statement (`storeSystemPosts`): the channels' next positions under their row locks, the
   * messages, their changes and one `member.added` change per joined agency.
   */
  private async postSystem(
    outboxId: number,
    matterId: string,
    body: string,
    system: Record<string, unknown>,
    joined: string[],
  ): Promise<void> {
    if (!matterId) return;
    const post: SystemPost = { matterId, body, system, sourceKey: `outbox-${outboxId}`, joined };
    let m: (MessageRow & { change_seq: number }) | undefined;
    try {
      let stored = await this.systemPosts.add(post);
      if (stored.noChannel) {
        // No live channel: an older matter without one gets it now; an archived one is read-only.
        const em = this.em.fork();
        const [c] = await em.execute<{ archived: boolean }[]>(
          'select archived_at is not null archived from channel where matter_id = ?',
          [matterId],
        );
        if (c) return;
        await MatterChannel.ensure(em, matterId);
        stored = await this.systemPosts.add(post);
      }
      m = stored.row;
      if (!m) return; // posted already (a retried delivery)
    } catch (e) {
      if (isUniqueViolation(e)) return; // posted by another worker at the same moment
      throw e;
    }
    const at = m.created_at;
    const changes: ChannelChange[] = [
      changeView(
        {
          channel_id: m.channel_id,
          change_seq: m.change_seq,
          type: 'message.created',
          message_id: m.id,
          user_id: null,
          data: null,
          created_at: at,
        },
        new Map([[m.id, m]]),
        false,
      ),
      ...joined.map((agencyId, i) =>
        changeView(
          {
            channel_id: m.channel_id,
            change_seq: m.change_seq + 1 + i,
            type: 'member.added',
            message_id: null,
            user_id: null,
            data: { agencyId },
            created_at: at,
          },
          new Map(),
          false,
        ),
      ),
    ];
    if (joined.length > 0) this.events.join(m.channel_id, { agencyIds: joined });
    changes.forEach((c) => this.events.change(c));
    this.logger.debug({ outboxId, channelId: m.channel_id }, 'system message posted');
  }
}

interface ChangeColumns {
  change_seq: number;
}

function retractedConflict(): Conflict {
  const e = new Conflict('消息已撤回 (the message was retracted)');
  e.details = [{ field: 'state', message: 'retracted' }];
  return e;
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** A PostgreSQL array literal of uuids (ids are validated as uuids before they get here). */
export const pgArray = (ids: readonly string[]): string => `{${ids.join(',')}}`;

/** The audit entry of a stored message. */
function sentNote(row: Pick<MessageRow, 'id' | 'channel_id' | 'seq'>, requiresAck: boolean): AuditNote {
  return channelAuditNote({
    channel_id: row.channel_id,
    type: 'message.created',
    message_id: row.id,
    data: { seq: row.seq, requiresAck },
  });
}
