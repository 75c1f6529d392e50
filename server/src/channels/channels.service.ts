import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { z } from 'zod';
import {
  CREATE_ROLES,
  directKey,
  membershipEditable,
  Role,
  type ChannelMembersRequest,
  type ChannelView,
  type CreateChannelRequest,
  type HistoryPage,
  type HistoryQuery,
  type MessageVersionView,
  type ReadersView,
  type SearchHit,
  type SearchQuery,
  type UpdateChannelRequest,
} from '@xietong/shared';
import { AuditService } from '../audit/audit.service.js';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../common/errors.js';
import { hasRole, type Actor } from '../common/policy/actor.js';
import { PolicyService } from '../common/policy/policy.service.js';
import { archivedConflict, ChannelAccess, type ChannelContext, type ChannelRow } from './channel-access.js';
import { ChannelEvents } from './channel-events.js';
import {
  channelAuditNote,
  changeView,
  MESSAGE_COLUMNS,
  MESSAGE_FROM,
  messageView,
  recordChange,
  type MessageRow,
} from './channel-views.js';
import { MatterChannel } from './matter-channel.js';
import { pgArray } from './messages.service.js';
import { PresenceService } from './presence.service.js';

type Members = z.output<typeof ChannelMembersRequest>;

/** Members whose presence an opened channel carries (a county-wide liaison channel can be large). */
const PRESENCE_SNAPSHOT_MAX = 500;

/** Channels as objects: list with badges, open, rename, archive, members, history, search, receipts. */
@Injectable()
export class ChannelsService {
  constructor(
    private readonly em: EntityManager,
    private readonly policy: PolicyService,
    private readonly access: ChannelAccess,
    private readonly events: ChannelEvents,
    private readonly audit: AuditService,
    private readonly presence: PresenceService,
  ) {}

  /** The caller's channels (member of), with read position, unread and mention counts. */
  async list(actor: Actor): Promise<ChannelView[]> {
    const em = this.em.fork();
    const ids = await this.access.memberChannelIds(em, actor);
    return this.views(em, actor, ids);
  }

  async get(actor: Actor, channelId: string): Promise<ChannelView> {
    const em = this.em.fork();
    await this.access.readable(em, actor, channelId);
    const [view] = await this.views(em, actor, [channelId]);
    if (!view) throw new NotFound('channel');
    // Live presence events only say what changed; an opened channel needs where things stand.
    const users = (await this.access.memberUsers(em, channelId)).slice(0, PRESENCE_SNAPSHOT_MAX);
    const presence = await this.presence.of(users.map((u) => u.id)).catch(() => undefined);
    return presence ? { ...view, presence } : view;
  }

  /** The matter's channel, for whoever may read the matter's channel. */
  async ofMatter(actor: Actor, matterId: string): Promise<ChannelView> {
    const em = this.em.fork();
    const [m] = await em.execute<{ id: string }[]>(`select id from matter where id = ?`, [matterId]);
    if (!m) throw new NotFound('matter');
    return this.get(actor, await MatterChannel.ensure(em, matterId));
  }

  async create(actor: Actor, input: CreateChannelRequest): Promise<ChannelView> {
    if (!hasRole(actor, ...CREATE_ROLES[input.kind])) {
      throw new Forbidden(`无权创建此类群 (your roles may not open a ${input.kind} channel)`);
    }
    const em = this.em.fork();
    let members: { userIds: string[]; agencyIds: string[] };
    let title: string;
    let key: string | null = null;
    if (input.kind === 'liaison') {
      const agencyIds = [...new Set(input.agencyIds)];
      if (!agencyIds.includes(actor.agencyId) && !hasRole(actor, Role.SystemAdmin)) {
        throw new ValidationFailed([{ field: 'agencyIds', message: '联络群须包括本单位' }]);
      }
      await this.mustExist(em, 'agency', agencyIds, 'agencyIds');
      members = { userIds: [], agencyIds };
      title = input.title;
    } else if (input.kind === 'joint_meeting') {
      const userIds = [...new Set([actor.userId, ...input.userIds])];
      await this.mustExist(em, 'app_user', userIds, 'userIds');
      members = { userIds, agencyIds: [] };
      title = input.title;
    } else {
      if (input.userId === actor.userId) throw new ValidationFailed([{ field: 'userId', message: '不能与自己私聊' }]);
      const names = await em.execute<{ id: string; display_name: string }[]>(
        `select id, display_name from app_user where id in (?, ?) and active`,
        [actor.userId, input.userId],
      );
      if (names.length < 2) throw new ValidationFailed([{ field: 'userId', message: '未知用户 (unknown user)' }]);
      key = directKey(actor.userId, input.userId);
      const [existing] = await em.execute<{ id: string }[]>(`select id from channel where direct_key = ?`, [key]);
      if (existing) return this.get(actor, existing.id);
      members = { userIds: [actor.userId, input.userId], agencyIds: [] };
      title = names.map((n) => n.display_name).join(' · ');
    }
    const id = await em.transactional(async (tx) => {
      const [row] = await tx.execute<{ id: string }[]>(
        `insert into channel (id, kind, title, topic, direct_key, created_by_id, created_at, last_seq, last_change_seq)
         values (gen_random_uuid(), ?, ?, ?, ?, ?, now(), 0, 0) returning id`,
        [input.kind, title, input.kind === 'joint_meeting' ? input.topic : null, key, actor.userId],
      );
      if (!row) throw new Error('channel not created');
      const added = await this.addMembers(tx, row.id, actor, members);
      await this.audit.recordIn(
        tx,
        { action: 'channel.created', objectType: 'Channel', objectId: row.id, after: { kind: input.kind, title } },
        ...added.map(channelAuditNote),
      );
      return row.id;
    });
    this.events.join(id, members);
    return this.get(actor, id);
  }

  /** Rename, change the topic, or archive (read-only for good; nothing is deleted). */
  async update(actor: Actor, channelId: string, input: UpdateChannelRequest): Promise<ChannelView> {
    const em = this.em.fork();
    const ctx = await this.manageable(em, actor, channelId);
    const change = await em.transactional(async (tx) => {
      const pos = await this.access.nextPosition(tx, channelId, false);
      await tx.execute(
        `update channel set title = coalesce(?, title), topic = coalesce(?, topic),
                archived_at = case when ? then now() else archived_at end,
                archived_by_id = case when ? then ? else archived_by_id end
          where id = ?`,
        [
          input.title ?? null,
          input.topic ?? null,
          input.archived === true,
          input.archived === true,
          actor.userId,
          channelId,
        ],
      );
      const data = {
        ...(input.title ? { title: input.title, previousTitle: ctx.channel.title } : {}),
        ...(input.topic ? { topic: input.topic } : {}),
        ...(input.archived ? { archived: true } : {}),
      };
      const c = await recordChange(tx, {
        channelId,
        changeSeq: pos.changeSeq,
        type: 'channel.updated',
        userId: actor.userId,
        data,
      });
      await this.audit.recordIn(tx, channelAuditNote(c));
      return c;
    });
    this.events.change(changeView(change, new Map(), false));
    return this.get(actor, channelId);
  }

  /** Adds and removes members; removed users' live sockets leave the room before anything else is sent. */
  async changeMembers(actor: Actor, channelId: string, input: Members): Promise<ChannelView> {
    const em = this.em.fork();
    const ctx = await this.manageable(em, actor, channelId);
    const kind = ctx.channel.kind;
    if (!membershipEditable(kind)) {
      const e = new Conflict(
        kind === 'matter'
          ? '案件群成员随案件当事单位变化，不能手动修改 (matter channel members follow the matter)'
          : '私聊成员不能修改 (direct channels have two fixed members)',
      );
      e.details = [{ field: 'kind', message: kind }];
      throw e;
    }
    const byAgency = kind === 'liaison';
    const wrong = byAgency ? 'userIds' : 'agencyIds';
    if (input.add[wrong].length + input.remove[wrong].length > 0) {
      throw new ValidationFailed([
        { field: `add.${wrong}`, message: byAgency ? '联络群的成员是单位' : '联席会议群的成员是用户' },
      ]);
    }
    const column = byAgency ? 'agency_id' : 'user_id';
    const add = byAgency ? input.add.agencyIds : input.add.userIds;
    const remove = byAgency ? input.remove.agencyIds : input.remove.userIds;
    await this.mustExist(em, byAgency ? 'agency' : 'app_user', add, `add.${byAgency ? 'agencyIds' : 'userIds'}`);
    const changes = await em.transactional(async (tx) => {
      const added = await this.addMembers(tx, channelId, actor, byAgency ? { agencyIds: add } : { userIds: add });
      const out = added;
      for (const id of new Set(remove)) {
        const ended = await tx.execute<{ id: string }[]>(
          `update channel_member set removed_at = now(), removed_by_id = ?
            where channel_id = ? and ${column} = ? and removed_at is null returning id`,
          [actor.userId, channelId, id],
        );
        if (ended.length === 0) continue;
        const pos = await this.access.nextPosition(tx, channelId, false);
        out.push(
          await recordChange(tx, {
            channelId,
            changeSeq: pos.changeSeq,
            type: 'member.removed',
            userId: actor.userId,
            data: byAgency ? { agencyId: id } : { userId: id },
          }),
        );
      }
      const [left] = await tx.execute<{ n: string }[]>(
        `select count(*) n from channel_member where channel_id = ? and removed_at is null`,
        [channelId],
      );
      if (Number(left?.n ?? 0) === 0) throw new ValidationFailed([{ field: 'remove', message: '群至少保留一名成员' }]);
      // Membership is raw SQL: its audit entries commit with it.
      await this.audit.recordIn(tx, ...out.map(channelAuditNote));
      return out;
    });
    const who = byAgency ? { agencyIds: remove } : { userIds: remove };
    this.events.leave(channelId, who);
    this.events.join(channelId, byAgency ? { agencyIds: add } : { userIds: add });
    changes.forEach((c) => this.events.change(changeView(c, new Map(), false)));
    return this.get(actor, channelId);
  }

  private async addMembers(
    tx: EntityManager,
    channelId: string,
    actor: Actor,
    who: { userIds?: string[]; agencyIds?: string[] },
  ) {
    const out = [];
    for (const [column, ids] of [
      ['user_id', who.userIds ?? []],
      ['agency_id', who.agencyIds ?? []],
    ] as const) {
      for (const id of new Set(ids)) {
        const inserted = await tx.execute<{ id: string }[]>(
          `insert into channel_member (id, channel_id, ${column}, added_by_id, added_at)
           select gen_random_uuid(), ?, ?, ?, now()
            where not exists (select 1 from channel_member where channel_id = ? and ${column} = ? and removed_at is null)
           returning id`,
          [channelId, id, actor.userId, channelId, id],
        );
        if (inserted.length === 0) continue;
        const pos = await this.access.nextPosition(tx, channelId, false);
        out.push(
          await recordChange(tx, {
            channelId,
            changeSeq: pos.changeSeq,
            type: 'member.added',
            userId: actor.userId,
            data: column === 'user_id' ? { userId: id } : { agencyId: id },
          }),
        );
      }
    }
    return out;
  }

  private async manageable(em: EntityManager, actor: Actor, channelId: string): Promise<ChannelContext> {
    const ctx = await this.access.readable(em, actor, channelId);
    this.policy.authorize(actor, 'channel.manage', ctx.scope, 'channel');
    if (ctx.channel.archived_at) {
      throw archivedConflict();
    }
    return ctx;
  }

  private async mustExist(em: EntityManager, table: 'agency' | 'app_user', ids: string[], field: string) {
    if (ids.length === 0) return;
    const rows = await em.execute<{ id: string }[]>(`select id from ${table} where id = any(?::uuid[])`, [
      pgArray(ids),
    ]);
    const found = new Set(rows.map((r) => r.id));
    const bad = ids.flatMap((id, i) =>
      found.has(id) ? [] : [{ field: `${field}.${i}`, message: '不存在 (unknown)' }],
    );
    if (bad.length > 0) throw new ValidationFailed(bad);
  }

  // ---- reading -----------------------------------------------------------------------------

  /** Messages by seq: `before` pages back (older), `after` pages forward; always returned oldest first. */
  async history(actor: Actor, channelId: string, q: HistoryQuery): Promise<HistoryPage> {
    const em = this.em.fork();
    const ctx = await this.access.readable(em, actor, channelId);
    const forward = q.after !== undefined;
    const rows = await em.execute<MessageRow[]>(
      `select ${MESSAGE_COLUMNS} from ${MESSAGE_FROM} where m.channel_id = ?
         and ${forward ? 'm.seq > ?' : 'm.seq < ?'} order by m.seq ${forward ? 'asc' : 'desc'} limit ?`,
      [channelId, forward ? q.after : (q.before ?? 2 ** 31 - 1), q.limit + 1],
    );
    const page = rows.slice(0, q.limit);
    if (!forward) page.reverse();
    return { messages: page.map((r) => messageView(r, ctx.readsOriginals)), hasMore: rows.length > q.limit };
  }

  /** Who has read a message (read position at or past it) and who has not; acknowledgements if it asked. */
  async readers(actor: Actor, channelId: string, messageId: string): Promise<ReadersView> {
    const em = this.em.fork();
    await this.access.readable(em, actor, channelId);
    const [m] = await em.execute<{ seq: number; sender_id: string | null }[]>(
      `select seq, sender_id from channel_message where id = ? and channel_id = ?`,
      [messageId, channelId],
    );
    if (!m) throw new NotFound('message');
    const members = await this.access.memberUsers(em, channelId);
    const reads = await em.execute<{ user_id: string; seq: number }[]>(
      `select user_id, seq from channel_read where channel_id = ?`,
      [channelId],
    );
    const readSeq = new Map(reads.map((r) => [r.user_id, r.seq]));
    const others = members.filter((u) => u.id !== m.sender_id);
    const acks = await em.execute<{ user_id: string; display_name: string; acked_at: Date | null }[]>(
      `select a.user_id, u.display_name, a.acked_at from channel_ack a join app_user u on u.id = a.user_id
        where a.message_id = ? order by u.display_name`,
      [messageId],
    );
    return {
      messageId,
      seq: m.seq,
      read: others
        .filter((u) => (readSeq.get(u.id) ?? 0) >= m.seq)
        .map((u) => ({ userId: u.id, displayName: u.display_name, readSeq: readSeq.get(u.id) ?? 0 })),
      unread: others
        .filter((u) => (readSeq.get(u.id) ?? 0) < m.seq)
        .map((u) => ({ userId: u.id, displayName: u.display_name })),
      acknowledgements: acks.map((a) => ({
        userId: a.user_id,
        displayName: a.display_name,
        ackedAt: a.acked_at ? new Date(a.acked_at).toISOString() : null,
      })),
    };
  }

  /** Every version of a message: its sender, auditors and system admins. */
  async versions(actor: Actor, channelId: string, messageId: string): Promise<MessageVersionView[]> {
    const em = this.em.fork();
    await this.access.readable(em, actor, channelId);
    const [m] = await em.execute<{ sender_id: string | null; retracted: boolean }[]>(
      `select sender_id, retracted_at is not null retracted from channel_message where id = ? and channel_id = ?`,
      [messageId, channelId],
    );
    if (!m) throw new NotFound('message');
    const own = m.sender_id === actor.userId && !m.retracted;
    if (!own) this.policy.assertAttempt(actor, 'channel.originals');
    const rows = await em.execute<{ version: number; body: string; edited_by_id: string | null; created_at: Date }[]>(
      `select version, body, edited_by_id, created_at from channel_message_version where message_id = ? order by version`,
      [messageId],
    );
    return rows.map((r) => ({
      version: r.version,
      body: r.body,
      editedBy: r.edited_by_id,
      at: new Date(r.created_at).toISOString(),
    }));
  }

  /**
   * Substring search over the channels the caller may read (trigram GIN index on the body:
   * works for Chinese without a word segmenter). Retracted messages are not found.
   */
  async search(actor: Actor, q: SearchQuery): Promise<SearchHit[]> {
    const em = this.em.fork();
    const readable = this.access.readableWhere(actor);
    const pattern = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = await em.execute<(MessageRow & { channel_title: string })[]>(
      `select ${MESSAGE_COLUMNS}, c.title channel_title from ${MESSAGE_FROM} join channel c on c.id = m.channel_id
        where m.body ilike ? and m.retracted_at is null and ${readable.sql}
          ${q.channelId ? 'and c.id = ?' : ''}
        order by m.created_at desc limit ?`,
      [pattern, ...readable.params, ...(q.channelId ? [q.channelId] : []), q.limit],
    );
    const originals = hasRole(actor, Role.Auditor, Role.SystemAdmin);
    return rows.map((r) => ({ message: messageView(r, originals), channelTitle: r.channel_title }));
  }

  private async views(em: EntityManager, actor: Actor, ids: string[]): Promise<ChannelView[]> {
    if (ids.length === 0) return [];
    const rows = await em.execute<(ChannelRow & { read_seq: number; unread: string; mentions: string })[]>(
      `select c.*, coalesce(r.seq, 0) read_seq,
              (select count(*) from channel_message m where m.channel_id = c.id and m.seq > coalesce(r.seq, 0)
                  and m.retracted_at is null and m.sender_id is distinct from ?) unread,
              (select count(*) from channel_message m where m.channel_id = c.id and m.seq > coalesce(r.seq, 0)
                  and m.retracted_at is null and (? = any(m.mention_user_ids) or ? = any(m.mention_agency_ids))) mentions
         from channel c left join channel_read r on r.channel_id = c.id and r.user_id = ?
        where c.id = any(?::uuid[]) order by c.kind, c.title`,
      [actor.userId, actor.userId, actor.agencyId, actor.userId, pgArray(ids)],
    );
    const memberIds = await this.access.memberIds(em, ids);
    const mine = new Set(await this.access.memberChannelIds(em, actor));
    return rows.map((c) => {
      const member = mine.has(c.id);
      return {
        id: c.id,
        kind: c.kind,
        title: c.title,
        topic: c.topic,
        matterId: c.matter_id,
        archived: c.archived_at !== null,
        member,
        canPost: member && c.archived_at === null,
        lastSeq: c.last_seq,
        lastChangeSeq: c.last_change_seq,
        readSeq: c.read_seq,
        unread: member ? Number(c.unread) : 0,
        mentions: member ? Number(c.mentions) : 0,
        memberAgencyIds: memberIds.get(c.id)?.agencyIds ?? [],
        memberUserIds: memberIds.get(c.id)?.userIds ?? [],
        createdAt: new Date(c.created_at).toISOString(),
      };
    });
  }
}
