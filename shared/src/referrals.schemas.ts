import { z } from 'zod';
import { IsoDate, AgencyRef } from './catalogue.schemas.js';
import { ITEM_CATEGORIES, REFERRAL_KINDS } from './catalogue.js';
import { HOLD_REASONS, OUTCOMES, REFERRAL_ACTIONS, REFERRAL_STATES, RETURN_REASONS } from './referral-lifecycle.js';
import { CLOCK_STATES } from './referral-clocks.js';
import { CLOCK_CODES } from './legal-clocks.js';

/** Payloads of matters and referrals: one definition for validation, OpenAPI, client and tests. */

export const CreateMatterRequest = z
  .object({
    itemCode: z.string({ error: '请选择执法事项' }).trim().min(1, '请选择执法事项').max(64),
    township: z.string({ error: '请选择乡镇' }).trim().min(1, '请选择乡镇').describe('township agency id or code'),
    place: z.string({ error: '请填写地点' }).trim().min(1, '请填写地点').max(256),
    party: z.object(
      {
        kind: z.enum(['person', 'company'], { error: "当事人类型须为 'person' 或 'company'" }),
        name: z.string({ error: '请填写当事人' }).trim().min(1, '请填写当事人').max(128),
        idNumber: z
          .string()
          .trim()
          .regex(/^[0-9A-Z]{15,18}$/, '身份证号或统一社会信用代码格式不正确')
          .optional(),
      },
      { error: '请填写当事人' },
    ),
    procedure: z.enum(['general', 'simple'], { error: "程序须为 'general'（一般程序）或 'simple'（简易程序）" }),
    flags: z
      .object({
        majorDifficult: z.boolean().default(false),
        publicInterestClue: z.boolean().default(false),
        suspectedCrime: z.boolean().default(false),
      })
      .default({ majorDifficult: false, publicInterestClue: false, suspectedCrime: false }),
    startedOn: IsoDate.optional().describe('defaults to today'),
    summary: z.string({ error: '请填写案情摘要' }).trim().min(1, '请填写案情摘要').max(5000),
  })
  .meta({ id: 'CreateMatterRequest' });
export type CreateMatterRequest = z.infer<typeof CreateMatterRequest>;

export const MatterView = z
  .object({
    id: z.uuid(),
    number: z.string(),
    item: z.object({ code: z.string(), nameZh: z.string(), category: z.enum(ITEM_CATEGORIES) }),
    boundaryVersionId: z.uuid(),
    township: AgencyRef,
    place: z.string(),
    party: z.object({ kind: z.enum(['person', 'company']), name: z.string(), idNumber: z.string().nullable() }),
    procedure: z.enum(['general', 'simple']),
    flags: z.object({ majorDifficult: z.boolean(), publicInterestClue: z.boolean(), suspectedCrime: z.boolean() }),
    originAgency: AgencyRef,
    agencies: z.array(AgencyRef.extend({ role: z.enum(['origin', 'receiver', 'informed']), since: z.string() })),
    startedOn: IsoDate,
    summary: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'Matter' });
export type MatterView = z.infer<typeof MatterView>;

export const CreateReferralRequest = z
  .object({
    matterId: z.uuid('须为案件 id'),
    kind: z.enum(REFERRAL_KINDS, { error: '请选择移送类型' }),
    /** Only to override the catalogue's routing, and then with a written reason. */
    toAgencyId: z.uuid('须为单位 id').optional(),
    overrideReason: z.string().trim().min(4, '改变移送对象须说明理由').max(1000).optional(),
    note: z.string().trim().max(2000).optional(),
    /** false keeps it as a draft; true (default) submits it at once. */
    submit: z.boolean().default(true),
  })
  .meta({ id: 'CreateReferralRequest' });
export type CreateReferralRequest = z.infer<typeof CreateReferralRequest>;

export const ReferralActionRequest = z
  .object({
    reasonCode: z.enum(RETURN_REASONS, { error: `退回原因须为：${RETURN_REASONS.join(', ')}` }).optional(),
    reasonText: z.string().trim().max(2000).optional(),
    boundaryClause: z.string().trim().max(2000).optional(),
    missingMaterials: z.array(z.string().trim().min(1).max(200)).max(50).optional(),
    holdReason: z.enum(HOLD_REASONS, { error: `中止原因须为：${HOLD_REASONS.join(', ')}` }).optional(),
    outcome: z.enum(OUTCOMES, { error: `办结结果须为：${OUTCOMES.join(', ')}` }).optional(),
    outcomeText: z.string().trim().max(5000).optional(),
    note: z.string().trim().max(2000).optional(),
    receivingAgencyId: z.uuid('须为单位 id').optional(),
    overrideReason: z.string().trim().max(1000).optional(),
  })
  .meta({ id: 'ReferralActionRequest' });
export type ReferralActionRequest = z.infer<typeof ReferralActionRequest>;

export const ReferralActionParam = z.enum(REFERRAL_ACTIONS, {
  error: `未知操作，可选：${REFERRAL_ACTIONS.join(', ')}`,
});

export const ClockView = z
  .object({
    id: z.uuid(),
    code: z.enum(CLOCK_CODES),
    labelZh: z.string(),
    legalBasis: z.string(),
    state: z.enum(CLOCK_STATES),
    startedAt: z.string(),
    deadline: z.string(),
    warnAt: z.string(),
    escalateAt: z.string(),
    warned: z.boolean(),
    /** computed from statutory holidays alone until the year's official arrangement is loaded */
    provisional: z.boolean(),
    extendedBy: z.number().int(),
    pendingExtension: z.object({ amount: z.number().int(), reason: z.string(), requestedAt: z.string() }).nullable(),
  })
  .meta({ id: 'Clock' });
export type ClockView = z.infer<typeof ClockView>;

export const ClockSettingRequest = z
  .object({
    amount: z.number({ error: '请填写期限' }).int().min(1, '至少 1').max(365, '最多 365'),
    reason: z.string({ error: '请说明依据' }).trim().min(2, '请说明依据').max(2000),
  })
  .meta({ id: 'ClockSettingRequest' });
export type ClockSettingRequest = z.infer<typeof ClockSettingRequest>;

export const ClockRuleView = z
  .object({
    code: z.enum(CLOCK_CODES),
    labelZh: z.string(),
    legalBasis: z.string(),
    unit: z.enum(['natural_days', 'working_days', 'months']),
    legalAmount: z.number().int(),
    amount: z.number().int().describe("in force in this county: the county's setting or the legal default"),
    configurable: z.boolean(),
    countyReason: z.string().nullable(),
  })
  .meta({ id: 'ClockRule' });
export type ClockRuleView = z.infer<typeof ClockRuleView>;

export const ExtensionRequest = z
  .object({
    amount: z.number({ error: '请填写延长期限' }).int().min(1, '至少 1').max(60, '最多 60'),
    reason: z.string({ error: '请说明延期理由' }).trim().min(2, '请说明延期理由').max(2000),
  })
  .meta({ id: 'ExtensionRequest' });
export type ExtensionRequest = z.infer<typeof ExtensionRequest>;

export const ExtensionDecision = z
  .object({
    grant: z.boolean({ error: '须为 true（批准）或 false（不批准）' }),
    note: z.string().trim().max(2000).optional(),
  })
  .meta({ id: 'ExtensionDecision' });
export type ExtensionDecision = z.infer<typeof ExtensionDecision>;

export const ReferralView = z
  .object({
    id: z.uuid(),
    matter: z.object({
      id: z.uuid(),
      number: z.string(),
      itemName: z.string(),
      township: z.string(),
      flagged: z.boolean(),
    }),
    kind: z.enum(REFERRAL_KINDS),
    state: z.enum(REFERRAL_STATES),
    from: AgencyRef,
    to: AgencyRef,
    inform: z.array(AgencyRef),
    routingRule: z.string(),
    overrideReason: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    /** what the caller may do now (empty when not a party) */
    allowedActions: z.array(z.string()),
    clocks: z.array(ClockView),
    /** the nearest deadline of a clock still running (or overdue) */
    nearestDeadline: z.string().nullable(),
  })
  .meta({ id: 'Referral' });
export type ReferralView = z.infer<typeof ReferralView>;

/** `GET /api/matters`: the matters the caller's agency is on, newest first. */
export const MatterListQuery = z.object({
  q: z.string().trim().max(100).optional().describe('part of the number, the item name, the party or the place'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type MatterListQuery = z.infer<typeof MatterListQuery>;

export const MatterSummary = z
  .object({
    id: z.uuid(),
    number: z.string(),
    itemName: z.string(),
    township: z.string(),
    partyName: z.string(),
    place: z.string(),
    flagged: z.boolean(),
    startedOn: z.string(),
  })
  .meta({ id: 'MatterSummary' });
export type MatterSummary = z.infer<typeof MatterSummary>;

export const MatterList = z
  .object({ total: z.number().int(), matters: z.array(MatterSummary) })
  .meta({ id: 'MatterList' });
export type MatterList = z.infer<typeof MatterList>;

export const ReferralListQuery = z.object({
  state: z.enum(REFERRAL_STATES).optional(),
  kind: z.enum(REFERRAL_KINDS).optional(),
  township: z.string().trim().optional(),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('only referrals with an overdue or escalated clock'),
  dueWithinDays: z.coerce.number().int().min(0).max(365).optional().describe('a running clock due within N days'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type ReferralListQuery = z.infer<typeof ReferralListQuery>;

export const ReferralList = z
  .object({
    total: z.number().int(),
    counts: z.record(z.string(), z.number().int()).describe('per state, for badges'),
    referrals: z.array(ReferralView),
  })
  .meta({ id: 'ReferralList' });
export type ReferralList = z.infer<typeof ReferralList>;

export const TimelineEntryView = z
  .object({
    id: z.uuid(),
    at: z.string(),
    action: z.string(),
    fromState: z.string().nullable(),
    toState: z.string().nullable(),
    referralId: z.uuid().nullable(),
    actor: z.object({ id: z.uuid(), displayName: z.string() }).nullable(),
    agency: AgencyRef.nullable(),
    detail: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'TimelineEntry' });
export type TimelineEntryView = z.infer<typeof TimelineEntryView>;

export const AttachmentView = z
  .object({
    id: z.uuid(),
    matterId: z.uuid(),
    referralId: z.uuid().nullable(),
    fileName: z.string(),
    contentType: z.string().describe('sniffed from the bytes'),
    size: z.number().int(),
    sha256: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'Attachment' });
export type AttachmentView = z.infer<typeof AttachmentView>;

export const WEBHOOK_EVENTS = ['referral.delivered', 'referral.changed', 'clock.changed', 'dispute.opened'] as const;

export const CreateWebhookRequest = z
  .object({
    url: z.url({ protocol: /^https?$/, error: '须为 http(s) 地址' }).max(512),
    events: z
      .array(z.enum(WEBHOOK_EVENTS, { error: `可选事件：${WEBHOOK_EVENTS.join(', ')}` }))
      .min(1, '至少订阅一个事件'),
  })
  .meta({ id: 'CreateWebhookRequest' });
export type CreateWebhookRequest = z.infer<typeof CreateWebhookRequest>;

export const WebhookView = z
  .object({ id: z.uuid(), url: z.string(), events: z.array(z.string()), active: z.boolean(), createdAt: z.string() })
  .meta({ id: 'Webhook' });
export type WebhookView = z.infer<typeof WebhookView>;

export const WebhookDeliveryView = z
  .object({
    id: z.uuid(),
    event: z.string(),
    status: z.enum(['pending', 'delivered', 'dead']),
    attempts: z.number().int(),
    lastStatus: z.number().int().nullable(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'WebhookDelivery' });
export type WebhookDeliveryView = z.infer<typeof WebhookDeliveryView>;

export const NotificationList = z
  .object({
    unread: z.number().int(),
    notifications: z.array(
      z.object({
        id: z.uuid(),
        kind: z.string(),
        title: z.string(),
        link: z.record(z.string(), z.string()),
        read: z.boolean(),
        createdAt: z.string(),
      }),
    ),
  })
  .meta({ id: 'NotificationList' });
export type NotificationList = z.infer<typeof NotificationList>;

/** Socket payloads: each carries its outbox id so a client can drop a repeat. */
export interface ReferralChangedEvent {
  eventId: number;
  referralId: string;
  matterId: string;
  matterNumber: string;
  kind: (typeof REFERRAL_KINDS)[number];
  action: string;
  fromState: string | null;
  state: string;
  fromAgencyId: string;
  toAgencyId: string;
  informAgencyIds: string[];
  at: string;
}

/** A legal clock warned (75 %), went overdue (100 %) or escalated (one working day later). */
export interface ClockChangedEvent {
  eventId: number;
  clockId: string;
  code: string;
  step: 'warn' | 'overdue' | 'escalate';
  state: string;
  deadline: string;
  provisional: boolean;
  referralId: string;
  matterId: string;
  matterNumber: string;
  receivingAgencyId: string;
  sendingAgencyId: string;
  /** on escalation: the guidance office */
  escalateToAgencyIds: string[];
}

export interface DisputeOpenedEvent {
  eventId: number;
  disputeId: string;
  matterId: string;
  matterNumber: string;
  agencyAId: string;
  agencyBId: string;
  guidanceOfficeId: string;
  pattern: 'both_refuse' | 'both_claim';
}
