import type { EntityManager } from '@mikro-orm/postgresql';
import type { SendMessagePayload } from '@xietong/shared';
import type { z } from 'zod';
import type { AuditHash } from '../audit/audit-chain.js';
import type { AuditContext } from '../audit/audit-context.js';
import { memberCondition } from './channel-access.js';
import { MESSAGE_COLUMNS, type MessageRow } from './channel-views.js';

type Send = z.output<typeof SendMessagePayload>;

/** What one plain send (no mentions, no 需确认) needs stored. */
export interface PlainSend {
  senderId: string;
  /** the sender's agency (membership by agency: liaison and matter channels) */
  senderAgencyId: string;
  msg: Pick<Send, 'clientId' | 'text' | 'replyTo' | 'attachmentIds'>;
  /** the sender's request context, for the audit entry (the batch runs outside it) */
  audit?: AuditContext;
}

export interface BatchAudit {
  hash: AuditHash;
  /** entries were queued by a batch statement: the chain writer links them */
  queued: () => void;
}

export type StoredRow = MessageRow & { change_seq: number };

/**
 * Stored now (`row`), stored before under the same client id (`existing`), or `refused`: the
 * channel is archived or gone, or the sender is not a member of it at the statement's snapshot.
 */
export type BatchResult =
  | { row: StoredRow; existing?: undefined; refused?: undefined }
  | {
      row?: undefined;
      existing: { id: string; channel_id: string; seq: number; created_at: Date };
      refused?: undefined;
    }
  | { row?: undefined; existing?: undefined; refused: true };

interface Waiting {
  channelId: string;
  send: PlainSend;
  resolve: (r: BatchResult) => void;
  reject: (e: unknown) => void;
}

/** Most sends one statement stores: bounds the statement's size and its row locks' hold. */
const MAX_BATCH = 200;

/**
 * Write batching. While one statement runs, the sends that arrive wait; the next statement stores
 * all of them at once, whatever their channels: consecutive seqs per channel under each channel's
 * row lock (taken in id order, so two nodes' statements cannot deadlock), one commit, and each
 * caller gets its row only after that commit. A commit costs PostgreSQL more than the rows it
 * carries, so sharing it across channels is what makes many busy channels cheap. A statement that
 * fails as a whole (a client id racing itself) is retried one send at a time, so one bad send
 * cannot fail its neighbours.
 */
export class SendBatcher {
  private readonly queue: Waiting[] = [];
  private draining = false;

  constructor(
    private readonly fork: () => EntityManager,
    private readonly audit: BatchAudit,
  ) {}

  store(channelId: string, send: PlainSend): Promise<BatchResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ channelId, send, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) await this.run(this.queue.splice(0, MAX_BATCH));
    } finally {
      this.draining = false;
    }
  }

  private async run(batch: Waiting[]): Promise<void> {
    try {
      const results = await this.storeAll(batch);
      batch.forEach((w, i) => w.resolve(results[i] ?? { refused: true }));
    } catch (e) {
      if (batch.length === 1) return batch[0]?.reject(e);
      for (const w of batch) {
        try {
          const [one] = await this.storeAll([w]);
          w.resolve(one ?? { refused: true });
        } catch (err) {
          w.reject(err);
        }
      }
    }
  }

  /** One statement, its own commit: the messages and their audit entries are stored together or not at all. */
  private async storeAll(batch: Waiting[]): Promise<BatchResult[]> {
    const results = await storeBatch(this.fork(), batch, this.audit.hash);
    if (results.some((r) => r.row)) this.audit.queued();
    return results;
  }
}

/**
 * One statement for many sends (to any channels), committed on its own: skips client ids the
 * sender used before (the unique index backs this) and senders who are not members of the channel
 * now (so a removal committed before the statement stops sending whatever a node has cached),
 * advances each channel's counters by the number of its new messages under its row lock, and stores
 * messages, first versions, sender read positions, change records and the audit entries.
 * Returns one result per send, in order; `refused` where nothing was stored (archived, or not a
 * member).
 */
async function storeBatch(
  em: EntityManager,
  batch: { channelId: string; send: PlainSend }[],
  hash: AuditHash,
): Promise<BatchResult[]> {
  const input = batch.map(({ channelId, send: s }) => ({
    channelId: channelId.toLowerCase(),
    senderId: s.senderId,
    agencyId: s.senderAgencyId,
    clientId: s.msg.clientId.toLowerCase(),
    text: s.msg.text,
    replyTo: s.msg.replyTo ?? null,
    attachmentIds: s.msg.attachmentIds,
    // The audit entry's context, as `rowFromNote` takes it from the request.
    auditActorId: s.audit?.actorId ?? null,
    auditActorName: s.audit?.actorName ?? null,
    auditAgencyId: s.audit?.agencyId ?? null,
    requestId: s.audit?.requestId ?? null,
    clientAddress: s.audit?.clientAddress ?? null,
  }));
  // Millisecond precision, one instant per statement, as `queueAudit` stamps its rows.
  const auditAt = new Date().toISOString();
  const rows = await em.execute<StoredRow[]>(
    `with input as (
       select e.ord, (e.j->>'channelId')::uuid channel_id, (e.j->>'senderId')::uuid sender_id,
              (e.j->>'agencyId')::uuid agency_id, (e.j->>'clientId')::uuid client_id, e.j->>'text' body,
              (e.j->>'replyTo')::uuid reply_to,
              array(select jsonb_array_elements_text(e.j->'attachmentIds'))::uuid[] attachment_ids,
              (e.j->>'auditActorId')::uuid audit_actor_id, e.j->>'auditActorName' audit_actor_name,
              (e.j->>'auditAgencyId')::uuid audit_agency_id, e.j->>'requestId' request_id,
              e.j->>'clientAddress' client_address
         from jsonb_array_elements(?::jsonb) with ordinality e(j, ord)),
     accepted as (
       select distinct on (i.sender_id, i.client_id) i.* from input i join channel ch on ch.id = i.channel_id
        where ${memberCondition('ch', 'i.agency_id', 'i.sender_id')}
          and not exists (select 1 from channel_message x where x.sender_id = i.sender_id and x.client_id = i.client_id)
        order by i.sender_id, i.client_id, i.ord),
     k as (select channel_id, count(*)::int k from accepted group by channel_id),
     -- Row locks in id order: concurrent batches (other nodes) wait for each other, never deadlock.
     locked as materialized (
       select c.id from channel c where c.id in (select channel_id from k) and c.archived_at is null
        order by c.id for update),
     pos as (
       update channel c set last_seq = c.last_seq + k.k, last_change_seq = c.last_change_seq + k.k
         from k join locked l on l.id = k.channel_id
        where c.id = k.channel_id and c.archived_at is null
        returning c.id channel_id, c.last_seq - k.k base_seq, c.last_change_seq - k.k base_change),
     fresh as (select a.*, row_number() over (partition by a.channel_id order by a.ord) n from accepted a),
     m as (
       insert into channel_message (id, channel_id, seq, client_id, kind, sender_id, body, reply_to,
         mention_user_ids, mention_agency_ids, attachment_ids, requires_ack, version, created_at)
       select gen_random_uuid(), f.channel_id, pos.base_seq + f.n, f.client_id, 'user', f.sender_id, f.body, f.reply_to,
              '{}', '{}', f.attachment_ids, false, 1, now()
         from fresh f join pos on pos.channel_id = f.channel_id order by f.channel_id, f.n
       returning *),
     v as (
       insert into channel_message_version (id, message_id, version, body, mention_user_ids, mention_agency_ids, edited_by_id, created_at)
       select gen_random_uuid(), m.id, 1, m.body, m.mention_user_ids, m.mention_agency_ids, m.sender_id, now() from m),
     r as (
       insert into channel_read (id, channel_id, user_id, seq, updated_at)
       select gen_random_uuid(), m.channel_id, m.sender_id, max(m.seq), now() from m group by m.channel_id, m.sender_id
       on conflict (channel_id, user_id) do update set seq = greatest(channel_read.seq, excluded.seq), updated_at = now()),
     c as (
       insert into channel_change (id, channel_id, change_seq, type, message_id, user_id, created_at)
       select gen_random_uuid(), m.channel_id, pos.base_change + (m.seq - pos.base_seq), 'message.created', m.id, m.sender_id, now()
         from m join pos on pos.channel_id = m.channel_id
       returning change_seq, message_id),
     -- The audit entry of each message (what sentNote() notes), queued like queueAudit() does.
     a as (
       insert into audit_pending (at, actor_id, actor_name, agency_id, action, object_type, object_id, before, after,
         request_id, client_address, hash_alg)
       select ?::timestamptz, f.audit_actor_id, f.audit_actor_name, f.audit_agency_id, 'channel.message.created',
              'ChannelMessage', m.id, null, jsonb_build_object('channelId', m.channel_id, 'seq', m.seq, 'requiresAck', false),
              f.request_id, f.client_address, ?
         from m join fresh f on f.sender_id = m.sender_id and f.client_id = m.client_id
        order by m.channel_id, m.seq)
     select ${MESSAGE_COLUMNS}, c.change_seq from m join c on c.message_id = m.id
       left join app_user u on u.id = m.sender_id`,
    [JSON.stringify(input), auditAt, hash],
  );
  const stored = new Map(rows.map((r) => [`${r.sender_id}/${r.client_id}`, r]));
  const missing = input.filter((i) => !stored.has(`${i.senderId}/${i.clientId}`));
  const before = new Map<string, { id: string; channel_id: string; seq: number; created_at: Date }>();
  if (missing.length > 0) {
    // Sent before (or twice in this batch: the first one stored it, the second gets its ack).
    const found = await em.execute<
      { id: string; channel_id: string; seq: number; created_at: Date; sender_id: string; client_id: string }[]
    >(
      `select m.id, m.channel_id, m.seq, m.created_at, m.sender_id, m.client_id from channel_message m
         join jsonb_to_recordset(?::jsonb) i(sender_id uuid, client_id uuid) on m.sender_id = i.sender_id and m.client_id = i.client_id`,
      [JSON.stringify(missing.map((i) => ({ sender_id: i.senderId, client_id: i.clientId })))],
    );
    for (const f of found) before.set(`${f.sender_id}/${f.client_id}`, f);
  }
  const seen = new Set<string>();
  return input.map((i): BatchResult => {
    const key = `${i.senderId}/${i.clientId}`;
    const row = stored.get(key);
    if (row && !seen.has(key)) {
      seen.add(key);
      return { row };
    }
    const existing = row
      ? { id: row.id, channel_id: row.channel_id, seq: row.seq, created_at: row.created_at }
      : before.get(key);
    return existing ? { existing } : { refused: true };
  });
}
