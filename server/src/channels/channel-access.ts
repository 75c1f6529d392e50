import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { CHANNEL_OVERSIGHT_ROLES, Role, type ChannelKind } from '@xietong/shared';
import { Conflict, NotFound } from '../common/errors.js';
import { hasRole, type Actor } from '../common/policy/actor.js';
import type { ChannelScoped } from '../common/policy/policies.js';
import { PolicyService } from '../common/policy/policy.service.js';

/** A channel row with what the policy needs about the caller. */
export interface ChannelRow {
  id: string;
  kind: ChannelKind;
  title: string;
  topic: string | null;
  matter_id: string | null;
  created_by_id: string | null;
  created_at: Date;
  archived_at: Date | null;
  last_seq: number;
  last_change_seq: number;
  member: boolean;
  agency_member: boolean;
  matter_flagged: boolean;
}

export interface ChannelContext {
  channel: ChannelRow;
  scope: ChannelScoped;
  /** may read retracted originals and every version */
  readsOriginals: boolean;
}

export interface MemberUser {
  id: string;
  display_name: string;
  agency_id: string;
  roles: string[];
}

/**
 * Who is in a channel, decided in SQL from the source of truth: for a matter channel the agencies
 * on the matter (`matter_agency`, so an agency added by a referral is in from that moment), for
 * the others the live `channel_member` rows (by agency or by user).
 */
const memberSql = (c: string, actor: Actor): { sql: string; params: string[] } => ({
  sql: memberCondition(c, '?', '?', '?'),
  params: [actor.agencyId, actor.userId, actor.agencyId],
});

/**
 * The membership rule as a SQL condition on channel alias `c`, for a user and agency given as SQL
 * expressions (parameters, or columns of a batch): the one place the rule is written.
 */
export const memberCondition = (c: string, agency: string, user: string, agencyAgain = agency): string =>
  `(case when ${c}.kind = 'matter'
    then exists (select 1 from matter_agency ma where ma.matter_id = ${c}.matter_id and ma.agency_id = ${agency})
    else exists (select 1 from channel_member cm where cm.channel_id = ${c}.id and cm.removed_at is null
                 and (cm.user_id = ${user} or cm.agency_id = ${agencyAgain})) end)`;

@Injectable()
export class ChannelAccess {
  constructor(private readonly policy: PolicyService) {}

  /** The channel with the caller's standing, or 404 for anyone it is hidden from. */
  async readable(em: EntityManager, actor: Actor, channelId: string): Promise<ChannelContext> {
    const ctx = await this.load(em, actor, channelId);
    this.policy.authorize(actor, 'channel.read', ctx.scope, 'channel');
    return ctx;
  }

  /** As `readable`, and the caller may write in it now (403 for readers who are not members, 409 when archived). */
  async postable(em: EntityManager, actor: Actor, channelId: string): Promise<ChannelContext> {
    const ctx = await this.readable(em, actor, channelId);
    if (ctx.channel.archived_at && ctx.scope.member) {
      throw archivedConflict();
    }
    this.policy.authorize(actor, 'channel.post', ctx.scope, 'channel');
    return ctx;
  }

  async load(em: EntityManager, actor: Actor, channelId: string): Promise<ChannelContext> {
    const member = memberSql('c', actor);
    const [row] = await em.execute<ChannelRow[]>(
      `select c.*, ${member.sql} as member,
              exists (select 1 from channel_member cm where cm.channel_id = c.id and cm.removed_at is null
                      and cm.agency_id = ?) as agency_member,
              coalesce((select m.major_difficult or m.public_interest_clue or m.suspected_crime
                          from matter m where m.id = c.matter_id), false) as matter_flagged
         from channel c where c.id = ?`,
      [...member.params, actor.agencyId, channelId],
    );
    if (!row) throw new NotFound('channel');
    return {
      channel: row,
      scope: {
        member: row.member,
        matterFlagged: row.matter_flagged,
        archived: row.archived_at !== null,
        createdById: row.created_by_id,
        agencyMember: row.agency_member,
      },
      readsOriginals: hasRole(actor, ...CHANNEL_OVERSIGHT_ROLES),
    };
  }

  /** Ids of the channels the caller is a member of (the rooms a socket joins). */
  async memberChannelIds(em: EntityManager, actor: Actor): Promise<string[]> {
    const member = memberSql('c', actor);
    const rows = await em.execute<{ id: string }[]>(`select c.id from channel c where ${member.sql}`, member.params);
    return rows.map((r) => r.id);
  }

  /** Of these channels, those the caller is a member of now (one lookup by id). */
  async stillMemberOf(em: EntityManager, actor: Actor, channelIds: string[]): Promise<Set<string>> {
    if (channelIds.length === 0) return new Set();
    const member = memberSql('c', actor);
    const rows = await em.execute<{ id: string }[]>(
      `select c.id from channel c where c.id = any(?::uuid[]) and ${member.sql}`,
      [`{${channelIds.join(',')}}`, ...member.params],
    );
    return new Set(rows.map((r) => r.id));
  }

  /**
   * A SQL condition on channel alias `c` for "the caller may read it", with its parameters: the
   * same rule as the policy row, for lists and search.
   */
  readableWhere(actor: Actor): { sql: string; params: unknown[] } {
    if (hasRole(actor, ...CHANNEL_OVERSIGHT_ROLES)) return { sql: 'true', params: [] };
    const member = memberSql('c', actor);
    if (!hasRole(actor, Role.Prosecutor)) return member;
    return {
      sql: `(${member.sql} or exists (select 1 from matter m where m.id = c.matter_id
              and (m.major_difficult or m.public_interest_clue or m.suspected_crime)))`,
      params: member.params,
    };
  }

  /** The active users who are members of a channel now. */
  async memberUsers(em: EntityManager, channelId: string): Promise<MemberUser[]> {
    return em.execute<MemberUser[]>(
      `select u.id, u.display_name, u.agency_id, u.roles from app_user u, channel c
        where c.id = ? and u.active and (
          (c.kind = 'matter' and u.agency_id in (select ma.agency_id from matter_agency ma where ma.matter_id = c.matter_id))
          or (c.kind <> 'matter' and exists (select 1 from channel_member cm where cm.channel_id = c.id
               and cm.removed_at is null and (cm.user_id = u.id or cm.agency_id = u.agency_id))))
        order by u.display_name`,
      [channelId],
    );
  }

  /** Member agencies and users by name (for views): matter agencies for matter channels. */
  async memberIds(
    em: EntityManager,
    channelIds: string[],
  ): Promise<Map<string, { agencyIds: string[]; userIds: string[] }>> {
    const out = new Map<string, { agencyIds: string[]; userIds: string[] }>();
    if (channelIds.length === 0) return out;
    for (const id of channelIds) out.set(id, { agencyIds: [], userIds: [] });
    const rows = await em.execute<{ channel_id: string; agency_id: string | null; user_id: string | null }[]>(
      `select c.id channel_id, ma.agency_id, null user_id from channel c join matter_agency ma on ma.matter_id = c.matter_id
        where c.id = any(?::uuid[]) and c.kind = 'matter'
       union all
       select cm.channel_id, cm.agency_id, cm.user_id from channel_member cm
        where cm.channel_id = any(?::uuid[]) and cm.removed_at is null`,
      [`{${channelIds.join(',')}}`, `{${channelIds.join(',')}}`],
    );
    for (const r of rows) {
      const m = out.get(r.channel_id);
      if (!m) continue;
      if (r.agency_id) m.agencyIds.push(r.agency_id);
      if (r.user_id) m.userIds.push(r.user_id);
    }
    return out;
  }

  /** Takes the channel's counter row lock and advances its change cursor (and message seq if asked). */
  async nextPosition(
    em: EntityManager,
    channelId: string,
    withMessage: boolean,
  ): Promise<{ seq: number; changeSeq: number }> {
    const [row] = await em.execute<{ last_seq: number; last_change_seq: number }[]>(
      `update channel set last_change_seq = last_change_seq + 1${withMessage ? ', last_seq = last_seq + 1' : ''}
        where id = ? and archived_at is null returning last_seq, last_change_seq`,
      [channelId],
    );
    if (!row) {
      throw archivedConflict();
    }
    return { seq: row.last_seq, changeSeq: row.last_change_seq };
  }
}

/** 409 for writing in an archived channel: read-only for good. */
export function archivedConflict(): Conflict {
  const e = new Conflict('该群已归档，只读 (the channel is archived: read-only)');
  e.details = [{ field: 'state', message: 'archived' }];
  return e;
}
