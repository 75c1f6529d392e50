import { channelAccess, CHANNEL_OVERSIGHT_ROLES, Role } from '@xietong/shared';
import { hasRole, type Actor } from './actor.js';

/**
 * Every action a route or socket event can perform, and who may perform it. This table is the
 * one policy layer: REST guards and socket guards read `who` before the handler runs, services
 * call `object` checks with the object in hand. Later capabilities add rows here.
 *
 * - `who`: 'public' (no sign-in), 'signed-in' (any role), or the roles that may attempt it.
 * - `object`: whether this actor may act on this particular object (party agency, own agency…).
 *   `hide: true` answers 404 instead of 403 where even the object's existence must not leak.
 */
export interface PolicyRule<R = never> {
  description: string;
  who: 'public' | 'signed-in' | readonly Role[];
  object?: (actor: Actor, resource: R) => boolean;
  hide?: boolean;
}

export interface AgencyScoped {
  agencyId: string;
}

/** A matter or referral: the agencies party to it, and whether it is flagged for the procuratorate. */
export interface PartyScoped {
  partyAgencyIds: readonly string[];
  flagged: boolean;
}

const partyOrOversight = (actor: Actor, r: PartyScoped): boolean =>
  r.partyAgencyIds.includes(actor.agencyId) ||
  hasRole(actor, Role.SystemAdmin, Role.Auditor) ||
  (r.flagged && hasRole(actor, Role.Prosecutor));

/** A channel as the policy sees it: is the caller a member, is its matter flagged, is it archived. */
export interface ChannelScoped {
  member: boolean;
  matterFlagged: boolean;
  archived: boolean;
  createdById: string | null;
  /** the caller's agency is a member (liaison channels) */
  agencyMember: boolean;
}

const channelOversight = (actor: Actor, r: ChannelScoped): boolean =>
  hasRole(actor, ...CHANNEL_OVERSIGHT_ROLES) || (r.matterFlagged && hasRole(actor, Role.Prosecutor));
const channelRights = (actor: Actor, r: ChannelScoped) =>
  channelAccess({ member: r.member, oversight: channelOversight(actor, r), archived: r.archived });

const rule = <R = never>(r: PolicyRule<R>): PolicyRule<R> => r;

export const POLICIES = {
  'public.read': rule({ description: 'health, API docs, sign-in: reachable without a session', who: 'public' }),
  'session.self': rule({ description: 'act on one’s own session and profile', who: 'signed-in' }),
  'agency.list': rule({
    description: 'read the directory of agencies (names and kinds are not confidential)',
    who: 'signed-in',
  }),
  'user.list': rule<AgencyScoped>({
    description: 'list users of an agency: agency admins their own, system admins and auditors all',
    who: [Role.AgencyAdmin, Role.SystemAdmin, Role.Auditor],
    object: (actor, target) => hasRole(actor, Role.SystemAdmin, Role.Auditor) || target.agencyId === actor.agencyId,
  }),
  'user.manage': rule<AgencyScoped>({
    description: 'create and change users: agency admins in their own agency only, system admins anywhere',
    who: [Role.AgencyAdmin, Role.SystemAdmin],
    object: (actor, target) => hasRole(actor, Role.SystemAdmin) || target.agencyId === actor.agencyId,
  }),
  'queue.dashboard': rule({ description: 'open the queue dashboard', who: [Role.SystemAdmin] }),
  'catalogue.read': rule({
    description: 'search the enforcement item catalogue, read boundaries and ask who is responsible',
    who: 'signed-in',
  }),
  'catalogue.amend': rule({
    description:
      'amend responsibility boundaries and delegations, import the catalogue (guidance-office arbiters and system admins)',
    who: [Role.GuidanceArbiter, Role.SystemAdmin],
  }),
  'catalogue.export': rule({ description: 'export the catalogue as XLSX or CSV', who: 'signed-in' }),
  'matter.create': rule({
    description: 'open a matter (case officers, liaison officers, township staff, agency heads)',
    who: [Role.CaseOfficer, Role.LiaisonOfficer, Role.TownshipStaff, Role.AgencyHead],
  }),
  'matter.read': rule<PartyScoped>({
    description:
      'read a matter and its timeline: agencies on it, prosecutors for flagged matters, auditors and system admins',
    who: 'signed-in',
    object: partyOrOversight,
    hide: true,
  }),
  'referral.create': rule({
    description: 'refer a matter to another agency',
    who: [Role.CaseOfficer, Role.LiaisonOfficer, Role.TownshipStaff, Role.AgencyHead],
  }),
  'referral.read': rule<PartyScoped>({
    description:
      'read a referral: its sender, receiver and informed agencies, prosecutors for flagged matters, auditors and system admins',
    who: 'signed-in',
    object: partyOrOversight,
    hide: true,
  }),
  'attachment.upload': rule({
    description: 'add a file to a matter: agencies on the matter (checked against the matter)',
    who: 'signed-in',
  }),
  'clock.extension': rule({
    description:
      'request more time on a legal clock (receiving side, before expiry) or decide it (sending side, guidance office)',
    who: 'signed-in',
  }),
  'webhook.manage': rule<AgencyScoped>({
    description: "manage an agency's outbound webhooks: its agency admins, system admins",
    who: [Role.AgencyAdmin, Role.SystemAdmin],
    object: (actor, target) => hasRole(actor, Role.SystemAdmin) || target.agencyId === actor.agencyId,
    hide: true,
  }),
  'notification.self': rule({ description: 'read and mark one’s own notifications', who: 'signed-in' }),
  'calendar.read': rule({ description: 'read the loaded holiday arrangements', who: 'signed-in' }),
  'calendar.manage': rule({
    description: "load a year's official holiday arrangement (system admins, guidance-office arbiters)",
    who: [Role.SystemAdmin, Role.GuidanceArbiter],
  }),
  'referral.act': rule({
    description: 'act on a referral (the lifecycle table decides which action, side and role)',
    who: 'signed-in',
  }),
  'socket.ping': rule({ description: 'socket liveness probe', who: 'signed-in' }),
  'channel.list': rule({ description: 'list one’s channels with unread and mention counts', who: 'signed-in' }),
  'channel.create': rule({
    description:
      'open a liaison channel, a joint meeting or a direct message (the roles per kind are in shared CREATE_ROLES)',
    who: 'signed-in',
  }),
  'channel.read': rule<ChannelScoped>({
    description:
      'read a channel, its history and its read receipts: members, auditors and system admins, prosecutors for flagged matters',
    who: 'signed-in',
    object: (actor, r) => channelRights(actor, r).read,
    hide: true,
  }),
  'channel.post': rule<ChannelScoped>({
    description: 'post, edit, retract, mark read and acknowledge in a channel: its members, while it is not archived',
    who: 'signed-in',
    object: (actor, r) => channelRights(actor, r).post,
  }),
  'channel.manage': rule<ChannelScoped>({
    description:
      'rename, archive and change the members of a channel: its creator, agency admins and heads of a member agency, system admins',
    who: 'signed-in',
    object: (actor, r) =>
      hasRole(actor, Role.SystemAdmin) ||
      (r.member && r.createdById === actor.userId) ||
      (r.agencyMember && hasRole(actor, Role.AgencyAdmin, Role.AgencyHead)),
  }),
  'channel.originals': rule({
    description: 'read every version of a message and the text of retracted ones (auditors, system admins)',
    who: [Role.Auditor, Role.SystemAdmin],
  }),
  'channel.search': rule({ description: 'search messages of the channels one may read', who: 'signed-in' }),
  'presence.self': rule({ description: 'set one’s presence and send typing indicators', who: 'signed-in' }),
} satisfies Record<
  string,
  PolicyRule<never> | PolicyRule<AgencyScoped> | PolicyRule<PartyScoped> | PolicyRule<ChannelScoped>
>;

export type PolicyName = keyof typeof POLICIES;
export type PolicyResource<P extends PolicyName> = (typeof POLICIES)[P] extends PolicyRule<infer R> ? R : never;
