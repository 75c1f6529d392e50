import type { AuditNote } from '../audit/audit-context.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import { visibleBody, type ChangeType, type ChannelChange, type MessageView } from '@xietong/shared';

/** A message row as the views read it (sender joined). */
export interface MessageRow {
  id: string;
  channel_id: string;
  seq: number;
  client_id: string | null;
  kind: 'user' | 'system';
  sender_id: string | null;
  sender_name: string | null;
  sender_agency_id: string | null;
  body: string;
  reply_to: string | null;
  mention_user_ids: string[];
  mention_agency_ids: string[];
  attachment_ids: string[];
  requires_ack: boolean;
  ack_closed_at: Date | null;
  version: number;
  edited_at: Date | null;
  retracted_at: Date | null;
  system: Record<string, unknown> | null;
  created_at: Date;
}

export const MESSAGE_COLUMNS = `m.id, m.channel_id, m.seq, m.client_id, m.kind, m.sender_id, u.display_name sender_name,
  u.agency_id sender_agency_id, m.body, m.reply_to, m.mention_user_ids, m.mention_agency_ids, m.attachment_ids,
  m.requires_ack, m.ack_closed_at, m.version, m.edited_at, m.retracted_at, m.system, m.created_at`;
export const MESSAGE_FROM = `channel_message m left join app_user u on u.id = m.sender_id`;

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

/** One message as this reader may see it (retracted text only for those who read originals). */
export function messageView(r: MessageRow, readsOriginals: boolean): MessageView {
  const retracted = r.retracted_at !== null;
  const shown = visibleBody({ body: r.body, retracted }, readsOriginals);
  return {
    id: r.id,
    channelId: r.channel_id,
    seq: r.seq,
    clientId: r.client_id,
    kind: r.kind,
    sender:
      r.sender_id && r.sender_name && r.sender_agency_id
        ? { id: r.sender_id, displayName: r.sender_name, agencyId: r.sender_agency_id }
        : null,
    body: shown.body,
    retracted,
    original: shown.original,
    version: r.version,
    replyTo: r.reply_to,
    mentions: retracted
      ? { userIds: [], agencyIds: [] }
      : { userIds: r.mention_user_ids, agencyIds: r.mention_agency_ids },
    attachmentIds: retracted ? [] : r.attachment_ids,
    requiresAck: r.requires_ack,
    ackClosed: r.ack_closed_at !== null,
    system: r.system,
    createdAt: new Date(r.created_at).toISOString(),
    editedAt: iso(r.edited_at),
    retractedAt: iso(r.retracted_at),
  };
}

export async function messagesById(em: EntityManager, ids: string[]): Promise<Map<string, MessageRow>> {
  if (ids.length === 0) return new Map();
  const rows = await em.execute<MessageRow[]>(
    `select ${MESSAGE_COLUMNS} from ${MESSAGE_FROM} where m.id = any(?::uuid[])`,
    [`{${ids.join(',')}}`],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

export interface ChangeRow {
  channel_id: string;
  change_seq: number;
  type: ChangeType;
  message_id: string | null;
  user_id: string | null;
  data: Record<string, unknown> | null;
  created_at: Date;
}

/**
 * Changes of a channel after a cursor, in order, each rendered from the current state of its
 * message: a client that catches up sees edits and retractions of older messages as they stand.
 */
export async function changesAfter(
  em: EntityManager,
  channelId: string,
  after: number,
  limit: number,
  readsOriginals: boolean,
): Promise<{ changes: ChannelChange[]; hasMore: boolean }> {
  const rows = await em.execute<ChangeRow[]>(
    `select channel_id, change_seq, type, message_id, user_id, data, created_at from channel_change
      where channel_id = ? and change_seq > ? order by change_seq limit ?`,
    [channelId, after, limit + 1],
  );
  const page = rows.slice(0, limit);
  const messages = await messagesById(em, [...new Set(page.flatMap((r) => (r.message_id ? [r.message_id] : [])))]);
  return { changes: page.map((r) => changeView(r, messages, readsOriginals)), hasMore: rows.length > limit };
}

export function changeView(r: ChangeRow, messages: Map<string, MessageRow>, readsOriginals: boolean): ChannelChange {
  const m = r.message_id ? messages.get(r.message_id) : undefined;
  return {
    channelId: r.channel_id,
    changeSeq: r.change_seq,
    type: r.type,
    at: new Date(r.created_at).toISOString(),
    ...(m ? { message: messageView(m, readsOriginals) } : {}),
    ...(r.user_id ? { userId: r.user_id } : {}),
    ...(r.data ? { data: r.data } : {}),
  };
}

/** Records one change in the caller's transaction (its position already taken under the row lock). */
export async function recordChange(
  em: EntityManager,
  c: { channelId: string; changeSeq: number; type: ChangeType; messageId?: string; userId?: string; data?: object },
): Promise<ChangeRow> {
  const [row] = await em.execute<ChangeRow[]>(
    `insert into channel_change (id, channel_id, change_seq, type, message_id, user_id, data, created_at)
     values (gen_random_uuid(), ?, ?, ?, ?, ?, ?::jsonb, now())
     returning channel_id, change_seq, type, message_id, user_id, data, created_at`,
    [c.channelId, c.changeSeq, c.type, c.messageId ?? null, c.userId ?? null, c.data ? JSON.stringify(c.data) : null],
  );
  if (!row) throw new Error('change not recorded');
  return row;
}

/**
 * The audit entry of a channel change. Channel writes are raw SQL, which the flush subscriber
 * never sees, so each write appends this in its own transaction (read positions are not audited:
 * they say nothing a reviewer needs and would double the trail).
 */
export function channelAuditNote(c: Pick<ChangeRow, 'channel_id' | 'type' | 'message_id' | 'data'>): AuditNote {
  return {
    action: `channel.${c.type}`,
    objectType: c.message_id ? 'ChannelMessage' : 'Channel',
    objectId: c.message_id ?? c.channel_id,
    after: { channelId: c.channel_id, ...(c.data ?? {}) },
  };
}
