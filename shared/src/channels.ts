import { z } from 'zod';
import { Role } from './agencies.js';
import {
  REFERRAL_ACTION_LABELS,
  REFERRAL_STATE_LABELS,
  type ReferralAction,
  type ReferralState,
} from './referral-lifecycle.js';
import { LEGAL_CLOCKS, type ClockCode } from './legal-clocks.js';
import type { WorkflowKind } from './workflows.schemas.js';

/**
 * Channels for liaison officers (联络群): kinds, who may do what, and the payloads of the REST
 * routes and socket events. Plain data and functions: the server enforces them, the client
 * reads them, the specs iterate them.
 */

export const CHANNEL_KINDS = ['matter', 'liaison', 'joint_meeting', 'direct'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export const CHANNEL_KIND_LABELS: Record<ChannelKind, string> = {
  matter: '案件协同群',
  liaison: '常设联络群',
  joint_meeting: '联席会议群',
  direct: '私聊',
};

/** Longest message text, in characters. */
export const MESSAGE_MAX_CHARS = 4000;
/** What a reader sees in place of a retracted message. */
export const RETRACTED_TEXT = '此消息已撤回 (message retracted)';

/**
 * How members are decided, per kind: matter channels follow the agencies on the matter (never a
 * copied list), liaison channels list agencies, joint meetings and direct messages list users.
 */
export const MEMBERSHIP_BY_KIND: Record<ChannelKind, 'matter_agencies' | 'agencies' | 'users'> = {
  matter: 'matter_agencies',
  liaison: 'agencies',
  joint_meeting: 'users',
  direct: 'users',
};

/** Roles that may open a channel of each kind (matter channels open with their matter). */
export const CREATE_ROLES: Record<ChannelKind, readonly Role[]> = {
  matter: [],
  liaison: [Role.LiaisonOfficer, Role.AgencyHead, Role.AgencyAdmin, Role.SystemAdmin],
  joint_meeting: [Role.LiaisonOfficer, Role.AgencyHead, Role.AgencyAdmin, Role.CaseOfficer, Role.SystemAdmin],
  direct: Object.values(Role),
};

/** Oversight reads every channel for the record but never writes in it. */
export const CHANNEL_OVERSIGHT_ROLES: readonly Role[] = [Role.Auditor, Role.SystemAdmin];

export interface ChannelAccessInput {
  /** the caller is a member (by agency or by name) */
  member: boolean;
  /** the caller holds an oversight role that may read this channel */
  oversight: boolean;
  archived: boolean;
}

/** Read and write rights of one caller on one channel. Archived channels are read-only for all. */
export function channelAccess(a: ChannelAccessInput): { read: boolean; post: boolean } {
  const read = a.member || a.oversight;
  return { read, post: a.member && !a.archived };
}

/** Whether a channel's members can be changed by hand (matter channels follow their matter). */
export function membershipEditable(kind: ChannelKind): boolean {
  return kind === 'liaison' || kind === 'joint_meeting';
}

/** The one channel between two users: the same key whichever of them opens it. */
export function directKey(a: string, b: string): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}

/**
 * A read position only moves forward and never past the last message: returns the new position,
 * or null when nothing changes (no change is recorded then).
 */
export function advanceReadPosition(current: number, requested: number, lastSeq: number): number | null {
  const next = Math.min(requested, lastSeq);
  return next > current ? next : null;
}

/**
 * A sliding-window send limit: given the times of a user's recent sends, whether one more is
 * allowed now and, if not, how long until it is.
 */
export function rateDecision(
  recent: readonly number[],
  now: number,
  limit: number,
  windowMs: number,
): { allowed: boolean; retryAfterMs: number; kept: number[] } {
  const kept = recent.filter((t) => t > now - windowMs);
  if (kept.length < limit) return { allowed: true, retryAfterMs: 0, kept: [...kept, now] };
  const oldest = Math.min(...kept);
  return { allowed: false, retryAfterMs: oldest + windowMs - now, kept };
}

/**
 * A message as one reader may see it: a retracted message keeps its place in the sequence but
 * not its text, unless the reader may read originals (auditors, system admins).
 */
export function visibleBody(
  m: { body: string; retracted: boolean },
  readsOriginals: boolean,
): { body: string | null; original: string | null } {
  if (!m.retracted) return { body: m.body, original: null };
  return { body: null, original: readsOriginals ? m.body : null };
}

/** Whether a message mentions this reader, by name or by agency. */
export function mentions(
  m: { mentionUserIds: readonly string[]; mentionAgencyIds: readonly string[] },
  reader: { userId: string; agencyId: string },
): boolean {
  return m.mentionUserIds.includes(reader.userId) || m.mentionAgencyIds.includes(reader.agencyId);
}

/** The text of the system message posted on a matter channel when one of its referrals changes state. */
export function referralSystemText(e: {
  matterNumber: string;
  action: string;
  fromState: string | null;
  state: string;
}): string {
  const state = (s: string) => REFERRAL_STATE_LABELS[s as ReferralState] ?? s;
  const from = e.fromState ? state(e.fromState) : '新建';
  const action = REFERRAL_ACTION_LABELS[e.action as ReferralAction] ?? e.action;
  return `移送 ${e.matterNumber}：${action}（${from} → ${state(e.state)}）`;
}

/** The system message posted on a matter channel when a responsibility dispute opens about the matter. */
export function disputeSystemText(e: { matterNumber: string; pattern: 'both_refuse' | 'both_claim' }): string {
  const how = e.pattern === 'both_refuse' ? '两单位均认为不属本单位职责（争着推）' : '两单位均主张管辖（争着管）';
  return `职责争议 ${e.matterNumber}：${how}，已提请综合行政执法指导办协调`;
}

export const WORKFLOW_LABELS: Record<WorkflowKind, string> = {
  dispute: '职责争议',
  review: '检察监督',
  enforcement: '申请强制执行',
  interview: '共同约谈',
};

/**
 * Whether a workflow change is posted on the matter channel, which every agency on the matter
 * reads. A procuratorate review is visible only to the procuratorate and the reviewed agency, so
 * nothing of it (not even its clocks) is posted there. A dispute's opening is posted from its own
 * `dispute.opened` message, not twice.
 */
export const postsToMatterChannel = (e: { workflow: WorkflowKind; action?: string }): boolean =>
  e.workflow !== 'review' && !(e.workflow === 'dispute' && e.action === 'opened');

/** The system message for a workflow's state change (`dispute.changed` …), from its `summaryZh`. */
export function workflowSystemText(e: { workflow: WorkflowKind; matterNumber: string; summaryZh: string }): string {
  return `${WORKFLOW_LABELS[e.workflow]} ${e.matterNumber}：${e.summaryZh}`;
}

const CLOCK_STEP_LABELS = { warn: '即将到期', overdue: '已逾期', escalate: '逾期已升级' } as const;

/** The system message for a workflow clock's step (`workflow-clock.changed`). */
export function workflowClockSystemText(e: {
  workflow: WorkflowKind;
  matterNumber: string;
  code: string;
  step: keyof typeof CLOCK_STEP_LABELS;
}): string {
  const clock = LEGAL_CLOCKS[e.code as ClockCode]?.labelZh ?? e.code;
  return `${WORKFLOW_LABELS[e.workflow]} ${e.matterNumber}：期限“${clock}”${CLOCK_STEP_LABELS[e.step]}`;
}

/** A user's presence from the states of their open sockets: online wins, then away; none is offline. */
export function presenceOf(socketStates: readonly PresenceState[]): PresenceState {
  if (socketStates.includes('online')) return 'online';
  if (socketStates.includes('away')) return 'away';
  return 'offline';
}

// ---- payloads ------------------------------------------------------------------------------

const Uuid = (what: string) => z.uuid({ error: `${what}须为 UUID` });
const Title = z.string({ error: '请填写群名称' }).trim().min(1, '请填写群名称').max(128, '群名称最多 128 字');

export const CreateChannelRequest = z
  .discriminatedUnion(
    'kind',
    [
      z.object({
        kind: z.literal('liaison'),
        title: Title,
        agencyIds: z.array(Uuid('单位')).min(2, '联络群至少包括两个单位').max(50),
      }),
      z.object({
        kind: z.literal('joint_meeting'),
        title: Title,
        topic: z.string({ error: '请填写议题' }).trim().min(1, '请填写议题').max(2000),
        userIds: z.array(Uuid('成员')).min(1, '请至少邀请一名成员').max(500),
      }),
      z.object({ kind: z.literal('direct'), userId: Uuid('对方') }),
    ],
    { error: "kind 须为 'liaison'、'joint_meeting' 或 'direct'（案件群随案件创建）" },
  )
  .meta({ id: 'CreateChannelRequest' });
export type CreateChannelRequest = z.infer<typeof CreateChannelRequest>;

export const UpdateChannelRequest = z
  .object({
    title: Title.optional(),
    topic: z.string().trim().min(1).max(2000).optional(),
    archived: z.literal(true, { error: '归档后不可恢复；只接受 true' }).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: '没有要修改的字段' })
  .meta({ id: 'UpdateChannelRequest' });
export type UpdateChannelRequest = z.infer<typeof UpdateChannelRequest>;

export const ChannelMembersRequest = z
  .object({
    add: z
      .object({
        userIds: z.array(Uuid('成员')).max(500).default([]),
        agencyIds: z.array(Uuid('单位')).max(50).default([]),
      })
      .default({ userIds: [], agencyIds: [] }),
    remove: z
      .object({
        userIds: z.array(Uuid('成员')).max(500).default([]),
        agencyIds: z.array(Uuid('单位')).max(50).default([]),
      })
      .default({ userIds: [], agencyIds: [] }),
  })
  .meta({ id: 'ChannelMembersRequest' });
export type ChannelMembersRequest = z.infer<typeof ChannelMembersRequest>;

export const SendMessagePayload = z.object({
  channelId: Uuid('channelId '),
  clientId: Uuid('clientId（客户端生成的消息编号）'),
  text: z
    .string({ error: '请填写消息内容' })
    .max(MESSAGE_MAX_CHARS, `消息最多 ${MESSAGE_MAX_CHARS} 字`)
    .refine((t) => t.trim().length > 0, '消息不能为空'),
  replyTo: Uuid('replyTo ').optional(),
  mentions: z
    .object({
      userIds: z.array(Uuid('被提及的用户')).max(100).default([]),
      agencyIds: z.array(Uuid('被提及的单位')).max(50).default([]),
    })
    .default({ userIds: [], agencyIds: [] }),
  attachmentIds: z.array(Uuid('附件')).max(20).default([]),
  requiresAck: z.boolean().default(false),
});
export type SendMessagePayload = z.input<typeof SendMessagePayload>;

export const EditMessagePayload = z.object({
  messageId: Uuid('messageId '),
  text: SendMessagePayload.shape.text,
  mentions: SendMessagePayload.shape.mentions,
});
export type EditMessagePayload = z.input<typeof EditMessagePayload>;

export const MessageRefPayload = z.object({ messageId: Uuid('messageId ') });
export type MessageRefPayload = z.input<typeof MessageRefPayload>;

export const MarkReadPayload = z.object({
  channelId: Uuid('channelId '),
  seq: z.number({ error: 'seq 须为整数' }).int('seq 须为整数').min(0),
});
export type MarkReadPayload = z.input<typeof MarkReadPayload>;

/** How many changes one sync answers per channel; the client asks again while `hasMore`. */
export const SYNC_PAGE = 500;

export const SyncPayload = z.object({
  /** the last change cursor the client has applied, per channel (0 = from the beginning) */
  cursors: z
    .array(z.object({ channelId: Uuid('channelId '), after: z.number().int().min(0, 'after 不能为负') }))
    .max(500, '一次最多同步 500 个群'),
});
export type SyncPayload = z.input<typeof SyncPayload>;

export const TypingPayload = z.object({ channelId: Uuid('channelId ') });
export type TypingPayload = z.input<typeof TypingPayload>;

export const PRESENCE_STATES = ['online', 'away', 'offline'] as const;
export type PresenceState = (typeof PRESENCE_STATES)[number];
export const PresencePayload = z.object({
  state: z.enum(['online', 'away'], { error: "state 须为 'online' 或 'away'" }),
});
export type PresencePayload = z.input<typeof PresencePayload>;

export const HistoryQuery = z.object({
  before: z.coerce.number().int().min(1).optional().describe('messages with seq below this, newest first'),
  after: z.coerce.number().int().min(0).optional().describe('messages with seq above this, oldest first'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type HistoryQuery = z.infer<typeof HistoryQuery>;

export const SearchQuery = z.object({
  q: z.string({ error: '请输入搜索词' }).trim().min(2, '搜索词至少 2 个字').max(100),
  channelId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});
export type SearchQuery = z.infer<typeof SearchQuery>;

// ---- views ---------------------------------------------------------------------------------

export const MessageView = z
  .object({
    id: z.uuid(),
    channelId: z.uuid(),
    seq: z.number().int(),
    clientId: z.uuid().nullable(),
    kind: z.enum(['user', 'system']),
    sender: z.object({ id: z.uuid(), displayName: z.string(), agencyId: z.uuid() }).nullable(),
    /** null when retracted */
    body: z.string().nullable(),
    retracted: z.boolean(),
    /** the retracted text: only for auditors and system admins */
    original: z.string().nullable(),
    version: z.number().int().describe('1 = never edited'),
    replyTo: z.uuid().nullable(),
    mentions: z.object({ userIds: z.array(z.uuid()), agencyIds: z.array(z.uuid()) }),
    attachmentIds: z.array(z.uuid()),
    requiresAck: z.boolean(),
    ackClosed: z.boolean(),
    system: z.record(z.string(), z.unknown()).nullable(),
    createdAt: z.string(),
    editedAt: z.string().nullable(),
    retractedAt: z.string().nullable(),
  })
  .meta({ id: 'ChannelMessage' });
export type MessageView = z.infer<typeof MessageView>;

export const CHANGE_TYPES = [
  'message.created',
  'message.edited',
  'message.retracted',
  'message.ack',
  'message.ack_closed',
  'read',
  'channel.updated',
  'member.added',
  'member.removed',
] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

/** One position in a channel's change stream: what the client applies, in `changeSeq` order. */
export const ChannelChange = z
  .object({
    channelId: z.uuid(),
    changeSeq: z.number().int(),
    type: z.enum(CHANGE_TYPES),
    at: z.string(),
    /** the message as it stands now (for message.* changes) */
    message: MessageView.optional(),
    /** who did it: the reader (read), the acknowledger (message.ack), the member (member.*) */
    userId: z.uuid().nullable().optional(),
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'ChannelChange' });
export type ChannelChange = z.infer<typeof ChannelChange>;

export const ChannelView = z
  .object({
    id: z.uuid(),
    kind: z.enum(CHANNEL_KINDS),
    title: z.string(),
    topic: z.string().nullable(),
    matterId: z.uuid().nullable(),
    archived: z.boolean(),
    /** the caller is a member (oversight readers are not) */
    member: z.boolean(),
    canPost: z.boolean(),
    lastSeq: z.number().int(),
    lastChangeSeq: z.number().int(),
    readSeq: z.number().int(),
    unread: z.number().int(),
    mentions: z.number().int(),
    memberAgencyIds: z.array(z.uuid()),
    memberUserIds: z.array(z.uuid()),
    /** the members' presence when the channel was opened (on a single channel's view only) */
    presence: z.record(z.string(), z.enum(PRESENCE_STATES)).optional(),
    createdAt: z.string(),
  })
  .meta({ id: 'Channel' });
export type ChannelView = z.infer<typeof ChannelView>;

export const MessageAck = z.object({ id: z.uuid(), seq: z.number().int(), createdAt: z.string() });
export type MessageAck = z.infer<typeof MessageAck>;

export const HistoryPage = z
  .object({ messages: z.array(MessageView), hasMore: z.boolean() })
  .meta({ id: 'ChannelHistory' });
export type HistoryPage = z.infer<typeof HistoryPage>;

export const ReadersView = z
  .object({
    messageId: z.uuid(),
    seq: z.number().int(),
    read: z.array(z.object({ userId: z.uuid(), displayName: z.string(), readSeq: z.number().int() })),
    unread: z.array(z.object({ userId: z.uuid(), displayName: z.string() })),
    acknowledgements: z
      .array(z.object({ userId: z.uuid(), displayName: z.string(), ackedAt: z.string().nullable() }))
      .describe('for messages that require acknowledgement: each recipient'),
  })
  .meta({ id: 'MessageReaders' });
export type ReadersView = z.infer<typeof ReadersView>;

export const MessageVersionView = z
  .object({ version: z.number().int(), body: z.string(), editedBy: z.uuid().nullable(), at: z.string() })
  .meta({ id: 'MessageVersion' });
export type MessageVersionView = z.infer<typeof MessageVersionView>;

export const SearchHit = z.object({ message: MessageView, channelTitle: z.string() }).meta({ id: 'ChannelSearchHit' });
export type SearchHit = z.infer<typeof SearchHit>;

export interface SyncResult {
  channels: { channelId: string; changes: ChannelChange[]; hasMore: boolean; lastChangeSeq: number }[];
  /** channels the caller may not read (or that do not exist): nothing is sent for them */
  denied: string[];
}
