import { channelAccess, CHANNEL_OVERSIGHT_ROLES, Role, WORKFLOW_CREATE_ROLES } from '@xietong/shared';
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
  /** the matter's id: a read by someone outside its agencies is an audit entry */
  matterId?: string;
}

/** An interference record: the recording agency, and the platform user named in it, if any. */
export interface InterferenceScoped {
  agencyId: string;
  personUserId: string | null;
}

const partyOrOversight = (actor: Actor, r: PartyScoped): boolean =>
  r.partyAgencyIds.includes(actor.agencyId) ||
  hasRole(actor, Role.SystemAdmin, Role.Auditor) ||
  (r.flagged && hasRole(actor, Role.Prosecutor));

/**
 * Whose figures a statistics request asks for: `agencyId` null is county-wide; otherwise the
 * requested agency and the agencies above it, and the kind of the caller's own agency.
 */
export interface StatisticsScoped {
  agencyId: string | null;
  ancestorIds: readonly string[];
  callerAgencyKind: string;
}

/** County-wide figures: system admins, auditors, guidance-office arbiters and the guidance office itself. */
export const seesCountyStatistics = (actor: Actor, callerAgencyKind: string): boolean =>
  hasRole(actor, Role.SystemAdmin, Role.Auditor, Role.GuidanceArbiter) || callerAgencyKind === 'guidance_office';

const ownUnitOrCounty = (actor: Actor, r: StatisticsScoped): boolean =>
  seesCountyStatistics(actor, r.callerAgencyKind) ||
  (r.agencyId !== null && [r.agencyId, ...r.ancestorIds].includes(actor.agencyId));

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
  'matter.collective_discussion': rule({
    description:
      'record the collective discussion (集体讨论) of a major decision: agencies on the matter (checked against it)',
    who: [Role.AgencyHead, Role.CaseOfficer, Role.LiaisonOfficer, Role.TownshipStaff],
  }),
  'matter.legal_review': rule({
    description: 'record the legal review (法制审核) of a major decision: legal reviewers of agencies on the matter',
    who: [Role.LegalReviewer],
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
  'dispute.open': rule({
    description: 'open a responsibility dispute on a matter by hand (agencies on the matter)',
    who: WORKFLOW_CREATE_ROLES.dispute,
  }),
  'dispute.read': rule<PartyScoped>({
    description:
      'read a responsibility dispute: the disputing agencies, the guidance office, prosecutors for flagged matters, auditors and system admins',
    who: 'signed-in',
    object: partyOrOversight,
    hide: true,
  }),
  'dispute.act': rule({
    description: 'act on a dispute (the dispute lifecycle table decides which action, side and role)',
    who: 'signed-in',
  }),
  'dispute.stats': rule({
    description: 'counts of 争着推 and 争着管 by item and agency pair (guidance office, agency heads, oversight)',
    who: [Role.GuidanceArbiter, Role.AgencyHead, Role.Auditor, Role.SystemAdmin],
  }),
  'review.queue': rule({
    description: "the prosecutors' review queue: flagged matters and supervision requests",
    who: [Role.Prosecutor],
  }),
  'review.open': rule({ description: 'open a procuratorate review of a flagged matter', who: [Role.Prosecutor] }),
  'review.read': rule<PartyScoped>({
    description:
      'read a procuratorate review: the procuratorate, the reviewed agency, prosecutors for flagged matters, auditors and system admins',
    who: 'signed-in',
    object: partyOrOversight,
    hide: true,
  }),
  'review.act': rule({
    description: 'act on a review (the review lifecycle table decides which action, side and role)',
    who: 'signed-in',
  }),
  'enforcement.create': rule({
    description: 'prepare an application to the court for compulsory enforcement (agencies on the matter)',
    who: WORKFLOW_CREATE_ROLES.enforcement,
  }),
  'enforcement.read': rule<PartyScoped>({
    description:
      'read an enforcement application: agencies on the matter, the court once it is sent, prosecutors for flagged matters, auditors and system admins',
    who: 'signed-in',
    object: partyOrOversight,
    hide: true,
  }),
  'enforcement.act': rule({
    description: 'act on an enforcement application (the enforcement lifecycle table decides)',
    who: 'signed-in',
  }),
  'interview.create': rule({
    description: 'propose a joint interview on a matter (agencies on the matter)',
    who: WORKFLOW_CREATE_ROLES.interview,
  }),
  'interview.read': rule<PartyScoped>({
    description:
      'read a joint interview and its invitation: the organiser, invited agencies, agencies on the matter, prosecutors for flagged matters, auditors and system admins',
    who: 'signed-in',
    object: partyOrOversight,
    hide: true,
  }),
  'interview.act': rule({
    description: 'act on a joint interview (the interview lifecycle table decides which action, side and role)',
    who: 'signed-in',
  }),
  'socket.ping': rule({ description: 'socket liveness probe', who: 'signed-in' }),
  'audit.read': rule({
    description: 'read and verify the audit trail (auditors only: 三员分立, the system admin does not audit himself)',
    who: [Role.Auditor],
  }),
  'audit.export': rule({ description: 'export a date range of the audit trail (auditors only)', who: [Role.Auditor] }),
  'interference.record': rule({
    description: 'record that someone asked about or tried to influence a case (any user, from a matter they can read)',
    who: 'signed-in',
  }),
  'interference.read': rule<InterferenceScoped>({
    description:
      "read interference records: the recording agency's discipline contact and auditors, never the person named",
    who: [Role.DisciplineContact, Role.Auditor],
    object: (actor, r) =>
      r.personUserId !== actor.userId && (hasRole(actor, Role.Auditor) || r.agencyId === actor.agencyId),
    hide: true,
  }),
  'interference.report': rule({
    description: 'quarterly interference reports: discipline contacts (own agency) and auditors (all agencies)',
    who: [Role.DisciplineContact, Role.Auditor],
  }),
  'disclosure.public': rule({ description: '行政执法公示: published results, masked, for anyone', who: 'public' }),
  'disclosure.manage': rule<AgencyScoped>({
    description:
      "publish or withdraw an agency's disclosures: its legal reviewers, heads and agency admins; system admins",
    who: [Role.LegalReviewer, Role.AgencyHead, Role.AgencyAdmin, Role.SystemAdmin],
    object: (actor, target) => hasRole(actor, Role.SystemAdmin) || target.agencyId === actor.agencyId,
    hide: true,
  }),
  'disclosure.read': rule({
    description: 'the disclosure queue: those who manage it, and auditors (all agencies)',
    who: [Role.LegalReviewer, Role.AgencyHead, Role.AgencyAdmin, Role.SystemAdmin, Role.Auditor],
  }),
  'statistics.read': rule<StatisticsScoped>({
    description:
      'read statistics and workload: agency heads for their own agency and the units under it; guidance office, auditors and system admins county-wide',
    who: [Role.AgencyHead, Role.GuidanceArbiter, Role.SystemAdmin, Role.Auditor],
    object: ownUnitOrCounty,
  }),
  'statistics.refresh': rule({
    description: 'refresh the statistics rollups now (system admins, guidance-office arbiters)',
    who: [Role.SystemAdmin, Role.GuidanceArbiter],
  }),
  'report.annual': rule<StatisticsScoped>({
    description: 'download the statistical part of the annual rule-of-law report (the same scope as the statistics)',
    who: [Role.AgencyHead, Role.GuidanceArbiter, Role.SystemAdmin, Role.Auditor],
    object: ownUnitOrCounty,
  }),
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
  | PolicyRule<never>
  | PolicyRule<AgencyScoped>
  | PolicyRule<PartyScoped>
  | PolicyRule<InterferenceScoped>
  | PolicyRule<StatisticsScoped>
  | PolicyRule<ChannelScoped>
>;

export type PolicyName = keyof typeof POLICIES;
export type PolicyResource<P extends PolicyName> = (typeof POLICIES)[P] extends PolicyRule<infer R> ? R : never;
