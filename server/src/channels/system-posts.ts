import type { EntityManager } from '@mikro-orm/postgresql';
import { MESSAGE_COLUMNS, type MessageRow } from './channel-views.js';

/** One system message for a matter's channel, once per source (an outbox message). */
export interface SystemPost {
  matterId: string;
  body: string;
  system: Record<string, unknown>;
  /** `outbox-<id>`: a second post from the same source stores nothing */
  sourceKey: string;
  /** agencies joining the channel with this message: one `member.added` change each */
  joined: string[];
}

/**
 * Stored now (`row`), posted before from the same source (`duplicate`), or `noChannel`: the
 * matter has no live channel (an older matter without one, or an archived one).
 */
export type SystemPostResult =
  | { row: MessageRow & { change_seq: number }; duplicate?: undefined; noChannel?: undefined }
  | { row?: undefined; duplicate: true; noChannel?: undefined }
  | { row?: undefined; duplicate?: undefined; noChannel: true };

/**
 * One statement, its own commit, for system messages on any number of matter channels: under each
 * channel's row lock (taken in id order, so two workers' statements cannot deadlock) it advances
 * the channel's counters by its new messages and their `member.added` changes, and stores the
 * messages and changes with consecutive positions, in input order. A source posted before is
 * skipped; one racing this statement from another worker fails it on the unique source key.
 */
export async function storeSystemPosts(em: EntityManager, posts: SystemPost[]): Promise<SystemPostResult[]> {
  const input = posts.map((p, ord) => ({
    ord,
    matter_id: p.matterId,
    body: p.body,
    system: p.system,
    source_key: p.sourceKey,
    joined: p.joined,
  }));
  const rows = await em.execute<(MessageRow & { change_seq: number; source_key: string })[]>(
    `with input as (
       select * from jsonb_to_recordset(?::jsonb) x(ord int, matter_id uuid, body text, system jsonb, source_key text, joined uuid[])),
     fresh as (
       select distinct on (i.source_key) i.* from input i
        where not exists (select 1 from channel_message x where x.source_key = i.source_key)
        order by i.source_key, i.ord),
     locked as materialized (
       select c.id, c.matter_id from channel c
        where c.matter_id in (select matter_id from fresh) and c.archived_at is null
        order by c.id for update),
     placed as (
       select f.*, l.id channel_id, row_number() over w n,
              sum(1 + cardinality(f.joined)) over w changes_so_far
         from fresh f join locked l on l.matter_id = f.matter_id
       window w as (partition by l.id order by f.ord rows between unbounded preceding and current row)),
     k as (select channel_id, count(*)::int k, sum(1 + cardinality(joined))::int changes from placed group by channel_id),
     pos as (
       update channel c set last_seq = c.last_seq + k.k, last_change_seq = c.last_change_seq + k.changes
         from k where c.id = k.channel_id
        returning c.id channel_id, c.last_seq - k.k base_seq, c.last_change_seq - k.changes base_change),
     m as (
       insert into channel_message (id, channel_id, seq, kind, body, system, source_key, version, created_at)
       select gen_random_uuid(), p.channel_id, pos.base_seq + p.n, 'system', p.body, p.system, p.source_key, 1, now()
         from placed p join pos on pos.channel_id = p.channel_id order by p.channel_id, p.n
       returning *),
     mm as (
       select m.*, (pos.base_change + p.changes_so_far - cardinality(p.joined))::int change_seq, p.joined
         from m join placed p on p.source_key = m.source_key join pos on pos.channel_id = m.channel_id),
     mc as (
       insert into channel_change (id, channel_id, change_seq, type, message_id, created_at)
       select gen_random_uuid(), mm.channel_id, mm.change_seq, 'message.created', mm.id, now() from mm),
     jc as (
       insert into channel_change (id, channel_id, change_seq, type, data, created_at)
       select gen_random_uuid(), mm.channel_id, mm.change_seq + j.n, 'member.added', jsonb_build_object('agencyId', j.a), now()
         from mm, unnest(mm.joined) with ordinality j(a, n))
     select ${MESSAGE_COLUMNS}, m.change_seq, m.source_key from mm m left join app_user u on u.id = m.sender_id`,
    [JSON.stringify(input)],
  );
  const stored = new Map(rows.map((r) => [r.source_key, r]));
  const live = new Set(
    rows.length === posts.length
      ? []
      : (
          await em.execute<{ matter_id: string }[]>(
            `select matter_id from channel where matter_id = any(?::uuid[]) and archived_at is null`,
            [`{${[...new Set(posts.map((p) => p.matterId))].join(',')}}`],
          )
        ).map((c) => c.matter_id),
  );
  const seen = new Set<string>();
  return posts.map((p): SystemPostResult => {
    const row = stored.get(p.sourceKey);
    if (row && !seen.has(p.sourceKey)) {
      seen.add(p.sourceKey);
      const { source_key: _key, ...message } = row;
      return { row: message };
    }
    return row || live.has(p.matterId) ? { duplicate: true } : { noChannel: true };
  });
}
