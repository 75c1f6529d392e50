import { z } from 'zod';
import { Role } from './agencies.js';
import { AgencyRef, IsoDate } from './catalogue.schemas.js';
import { REFERRAL_KINDS } from './catalogue.js';
import { CLOCK_CODES } from './legal-clocks.js';
import { CLOCK_STATES } from './referral-clocks.js';
import { DISPUTE_ACTIONS, DISPUTE_PATTERNS, DISPUTE_STANCES, DISPUTE_STATES } from './dispute-lifecycle.js';
import { ENFORCEMENT_ACTIONS, ENFORCEMENT_STATES, EXECUTION_OUTCOMES } from './enforcement-lifecycle.js';
import { ESCALATION_TARGETS, INTERVIEW_ACTIONS, INTERVIEW_STATES } from './interview-lifecycle.js';
import { REVIEW_ACTIONS, REVIEW_OPINIONS, REVIEW_QUESTIONS, REVIEW_STATES } from './review-lifecycle.js';

/**
 * Payloads of the four workflows beside referrals (disputes, procuratorate reviews, court
 * enforcement, joint interviews): one definition for validation, OpenAPI, client and tests.
 */

const text = (max: number) => z.string().trim().max(max);
const ids = z.array(z.uuid('须为 id')).max(50);

export const WORKFLOW_KINDS = ['dispute', 'review', 'enforcement', 'interview'] as const;
export type WorkflowKind = (typeof WORKFLOW_KINDS)[number];

/**
 * Who may start each workflow by hand (agencies on the matter): the policy rows `interview.create`,
 * `dispute.open` and `enforcement.create`, and the client's "新建" buttons, read this one table.
 */
export const WORKFLOW_CREATE_ROLES: Record<Exclude<WorkflowKind, 'review'>, readonly Role[]> = {
  interview: [Role.CaseOfficer, Role.LiaisonOfficer, Role.TownshipStaff, Role.AgencyHead],
  dispute: [Role.CaseOfficer, Role.LiaisonOfficer, Role.TownshipStaff, Role.AgencyHead],
  enforcement: [Role.CaseOfficer, Role.LiaisonOfficer, Role.AgencyHead],
};

/** A legal clock on a workflow object (a dispute, review, court application or interview). */
export const WorkflowClockView = z
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
    provisional: z.boolean(),
  })
  .meta({ id: 'WorkflowClock' });
export type WorkflowClockView = z.infer<typeof WorkflowClockView>;

const MatterSummary = z.object({ id: z.uuid(), number: z.string(), itemCode: z.string(), itemName: z.string() });

/**
 * Outbox payload and socket event of every workflow state change (topics `dispute.changed`,
 * `review.changed`, `enforcement.changed`, `interview.changed`). `agencyIds`: who is told. A matter
 * channel can subscribe to these topics and post them as system messages.
 */
export interface WorkflowChangedEvent {
  eventId: number;
  workflow: WorkflowKind;
  id: string;
  matterId: string;
  matterNumber: string;
  action: string;
  fromState: string | null;
  state: string;
  /** the acting user's display name and agency, null for the system */
  actor: { userId: string; agencyId: string } | null;
  agencyIds: string[];
  /** a short Chinese line, e.g. for a system message in the matter's channel */
  summaryZh: string;
  at: string;
}

/** A workflow clock's own step (warn, overdue, escalate): topic and event `workflow-clock.changed`. */
export interface WorkflowClockChangedEvent {
  eventId: number;
  clockId: string;
  code: string;
  step: 'warn' | 'overdue' | 'escalate';
  state: string;
  deadline: string;
  workflow: WorkflowKind;
  subjectId: string;
  matterId: string;
  matterNumber: string;
  agencyIds: string[];
}

// ---------------------------------------------------------------------------------------------
// Responsibility disputes

const Position = {
  stance: z.enum(DISPUTE_STANCES, { error: "立场须为 'ours' 或 'not_ours'" }).optional(),
  boundaryClause: text(2000).optional(),
  legalBasis: text(2000).optional(),
  attachmentIds: ids.optional(),
};

export const OpenDisputeRequest = z
  .object({
    matterId: z.uuid('须为案件 id'),
    otherAgencyId: z.uuid('须为单位 id'),
    pattern: z.enum(DISPUTE_PATTERNS, { error: "须为 'both_refuse'（争着推）或 'both_claim'（争着管）" }),
    ...Position,
  })
  .meta({ id: 'OpenDisputeRequest' });
export type OpenDisputeRequest = z.infer<typeof OpenDisputeRequest>;

export const DisputeActionRequest = z
  .object({
    ...Position,
    note: text(2000).optional(),
    responsibleAgencyId: z.uuid('须为单位 id').optional(),
    rulingText: text(5000).optional(),
    /** the ruling moves the matter: a referral to the responsible agency is created */
    moveMatter: z.boolean().default(false),
    referralKind: z.enum(REFERRAL_KINDS).default('jurisdiction_transfer'),
    /** the ruling changes the item's boundary from a date: a new catalogue version linked to the dispute */
    amendBoundary: z
      .object({
        effectiveFrom: IsoDate,
        note: z.string({ error: '请说明变更理由' }).trim().min(2, '请说明变更理由').max(1000),
        supervisingAgencyId: z.uuid().nullable().optional(),
        approvingAgencyId: z.uuid().nullable().optional(),
        penalisingAgencyId: z.uuid().nullable().optional(),
        delegatedTownshipIds: ids.optional(),
      })
      .optional(),
  })
  .meta({ id: 'DisputeActionRequest' });
export type DisputeActionRequest = z.infer<typeof DisputeActionRequest>;
export const DisputeActionParam = z.enum(DISPUTE_ACTIONS, { error: `未知操作，可选：${DISPUTE_ACTIONS.join(', ')}` });

export const DisputeView = z
  .object({
    id: z.uuid(),
    matter: MatterSummary,
    agencyA: AgencyRef,
    agencyB: AgencyRef,
    pattern: z.enum(DISPUTE_PATTERNS),
    state: z.enum(DISPUTE_STATES),
    openedByReferralId: z.uuid().nullable(),
    positions: z.array(
      z.object({
        agency: AgencyRef,
        stance: z.enum(DISPUTE_STANCES),
        boundaryClause: z.string(),
        legalBasis: z.string(),
        attachmentIds: z.array(z.uuid()),
        statedAt: z.string(),
      }),
    ),
    acceptedAt: z.string().nullable(),
    ruling: z
      .object({
        responsibleAgency: AgencyRef,
        rulingText: z.string(),
        ruledAt: z.string(),
        referralId: z.uuid().nullable(),
        boundaryVersionId: z.uuid().nullable(),
      })
      .nullable(),
    clocks: z.array(WorkflowClockView),
    allowedActions: z.array(z.enum(DISPUTE_ACTIONS)),
    createdAt: z.string(),
  })
  .meta({ id: 'Dispute' });
export type DisputeView = z.infer<typeof DisputeView>;

const PatternCounts = { both_refuse: z.number().int(), both_claim: z.number().int() };
export const DisputeStats = z
  .object({
    byItem: z.array(z.object({ itemCode: z.string(), itemName: z.string(), ...PatternCounts })),
    byAgencyPair: z.array(z.object({ agencies: z.array(AgencyRef), ...PatternCounts })),
  })
  .meta({ id: 'DisputeStats' });
export type DisputeStats = z.infer<typeof DisputeStats>;

// ---------------------------------------------------------------------------------------------
// Procuratorate review

const Answer = z
  .object({
    satisfied: z.boolean({ error: '须回答是或否（satisfied）' }),
    comment: text(5000).optional(),
    attachmentIds: ids.default([]),
    timelineEntryIds: ids.default([]),
  })
  .refine((a) => a.satisfied || (a.comment ?? '') !== '', {
    message: '存在问题的须写明意见（comment is required for a concern）',
    path: ['comment'],
  });
export const ReviewChecklist = z.object(
  Object.fromEntries(REVIEW_QUESTIONS.map((q) => [q, Answer])) as Record<
    (typeof REVIEW_QUESTIONS)[number],
    typeof Answer
  >,
);
export type ReviewChecklist = z.infer<typeof ReviewChecklist>;

export const ReviewActionRequest = z
  .object({
    checklist: ReviewChecklist.optional(),
    opinionText: text(5000).optional(),
    suggestionText: text(5000).optional(),
    /** a suggestion's reply term in months, when shorter or longer than the default two */
    replyMonths: z.number().int().min(1).max(6).optional(),
    replyText: text(5000).optional(),
    measures: z.array(text(1000).min(1)).max(50).optional(),
  })
  .meta({ id: 'ReviewActionRequest' });
export type ReviewActionRequest = z.infer<typeof ReviewActionRequest>;
export const ReviewActionParam = z.enum(REVIEW_ACTIONS, { error: `未知操作，可选：${REVIEW_ACTIONS.join(', ')}` });

export const ReviewView = z
  .object({
    id: z.uuid(),
    matter: MatterSummary,
    procuratorate: AgencyRef,
    bureau: AgencyRef,
    state: z.enum(REVIEW_STATES),
    checklist: ReviewChecklist.nullable(),
    opinion: z.enum(REVIEW_OPINIONS).nullable(),
    opinionText: z.string().nullable(),
    suggestionText: z.string().nullable(),
    reply: z.object({ text: z.string(), measures: z.array(z.string()), at: z.string() }).nullable(),
    /** the police agency whose not-filed transfer is supervised (要求说明不立案理由 / 通知立案) */
    police: AgencyRef.nullable(),
    explanation: z.string().nullable(),
    filing: z.string().nullable(),
    clocks: z.array(WorkflowClockView),
    allowedActions: z.array(z.enum(REVIEW_ACTIONS)),
    createdAt: z.string(),
  })
  .meta({ id: 'Review' });
export type ReviewView = z.infer<typeof ReviewView>;

export const ReviewQueue = z
  .object({
    matters: z.array(
      z.object({
        matter: MatterSummary.extend({
          township: z.string(),
          flags: z.object({
            majorDifficult: z.boolean(),
            publicInterestClue: z.boolean(),
            suspectedCrime: z.boolean(),
          }),
          supervisionRequested: z.boolean(),
        }),
        review: z.object({ id: z.uuid(), state: z.enum(REVIEW_STATES) }).nullable(),
      }),
    ),
  })
  .meta({ id: 'ReviewQueue' });
export type ReviewQueue = z.infer<typeof ReviewQueue>;

// ---------------------------------------------------------------------------------------------
// Court enforcement

const Application = {
  decisionNumber: text(128).optional(),
  obligation: text(2000).optional(),
  amountYuan: z.number().nonnegative().max(1e10).optional(),
};

export const CreateEnforcementRequest = z
  .object({ matterId: z.uuid('须为案件 id'), ...Application, note: text(2000).optional() })
  .meta({ id: 'CreateEnforcementRequest' });
export type CreateEnforcementRequest = z.infer<typeof CreateEnforcementRequest>;

export const EnforcementActionRequest = z
  .object({
    ...Application,
    demandNoticeNumber: text(128).optional(),
    demandNoticeOn: IsoDate.optional(),
    reasonText: text(5000).optional(),
    rulingNumber: text(128).optional(),
    executionOutcome: z
      .enum(EXECUTION_OUTCOMES, { error: `执行结果须为：${EXECUTION_OUTCOMES.join(', ')}` })
      .optional(),
    executionNote: text(5000).optional(),
  })
  .meta({ id: 'EnforcementActionRequest' });
export type EnforcementActionRequest = z.infer<typeof EnforcementActionRequest>;
export const EnforcementActionParam = z.enum(ENFORCEMENT_ACTIONS, {
  error: `未知操作，可选：${ENFORCEMENT_ACTIONS.join(', ')}`,
});

export const EnforcementView = z
  .object({
    id: z.uuid(),
    matter: MatterSummary.extend({ partyName: z.string() }),
    applicant: AgencyRef,
    court: AgencyRef,
    state: z.enum(ENFORCEMENT_STATES),
    decisionNumber: z.string().nullable(),
    obligation: z.string().nullable(),
    amountYuan: z.number().nullable(),
    demandNotice: z.object({ number: z.string(), on: IsoDate }).nullable(),
    ruling: z.object({ number: z.string(), execute: z.boolean(), reasons: z.string() }).nullable(),
    execution: z.object({ outcome: z.enum(EXECUTION_OUTCOMES), note: z.string() }).nullable(),
    fromInterviewId: z.uuid().nullable(),
    clocks: z.array(WorkflowClockView),
    allowedActions: z.array(z.enum(ENFORCEMENT_ACTIONS)),
    createdAt: z.string(),
  })
  .meta({ id: 'Enforcement' });
export type EnforcementView = z.infer<typeof EnforcementView>;

// ---------------------------------------------------------------------------------------------
// Joint interviews

export const CreateInterviewRequest = z
  .object({
    matterId: z.uuid('须为案件 id'),
    reason: z.enum(['refuses_cooperation', 'refuses_rectification'], {
      error: "须为 'refuses_cooperation'（拒不配合）或 'refuses_rectification'（拒不整改）",
    }),
    invitedAgencyIds: z.array(z.uuid('须为单位 id')).min(1, '须邀请公安机关').max(20),
    invitedOfficerIds: ids.default([]),
    party: z.object({
      name: z.string({ error: '请填写当事人' }).trim().min(1, '请填写当事人').max(128),
      contact: z.string({ error: '请填写当事人联系方式' }).trim().min(1, '请填写当事人联系方式').max(128),
    }),
    agenda: z.string({ error: '请填写约谈事项' }).trim().min(1, '请填写约谈事项').max(5000),
  })
  .meta({ id: 'CreateInterviewRequest' });
export type CreateInterviewRequest = z.infer<typeof CreateInterviewRequest>;

export const InterviewActionRequest = z
  .object({
    attendeeName: text(64).optional(),
    scheduledAt: z.iso.datetime({ offset: true, error: '须为带时区的时间 (ISO 8601)' }).optional(),
    place: text(256).optional(),
    reasonText: text(2000).optional(),
    attendance: z
      .array(z.object({ agencyId: z.uuid(), attended: z.boolean(), attendeeName: text(64).optional() }))
      .max(30)
      .optional(),
    summary: text(10000).optional(),
    commitments: z.array(text(1000).min(1)).max(50).optional(),
    rectificationDeadline: IsoDate.optional(),
    evidence: text(5000).optional(),
    evidenceAttachmentIds: ids.optional(),
    escalateTo: z.enum(ESCALATION_TARGETS, { error: `须为：${ESCALATION_TARGETS.join(', ')}` }).optional(),
    /** escalating to public security: a suspected-crime transfer (default) or an assistance request */
    referralKind: z.enum(['suspected_crime_transfer', 'police_assistance']).default('suspected_crime_transfer'),
  })
  .meta({ id: 'InterviewActionRequest' });
export type InterviewActionRequest = z.infer<typeof InterviewActionRequest>;
export const InterviewActionParam = z.enum(INTERVIEW_ACTIONS, {
  error: `未知操作，可选：${INTERVIEW_ACTIONS.join(', ')}`,
});

export const InterviewView = z
  .object({
    id: z.uuid(),
    matter: MatterSummary,
    organiser: AgencyRef,
    state: z.enum(INTERVIEW_STATES),
    reason: z.enum(['refuses_cooperation', 'refuses_rectification']),
    party: z.object({ name: z.string(), contact: z.string() }),
    agenda: z.string(),
    invitedOfficerIds: z.array(z.uuid()),
    participants: z.array(
      z.object({
        agency: AgencyRef,
        invited: z.boolean(),
        confirmedAt: z.string().nullable(),
        attendeeName: z.string().nullable(),
        attended: z.boolean().nullable(),
        minutesSignedAt: z.string().nullable(),
      }),
    ),
    scheduledAt: z.string().nullable(),
    place: z.string().nullable(),
    sequence: z.number().int(),
    minutes: z
      .object({ summary: z.string(), commitments: z.array(z.string()), rectificationDeadline: IsoDate })
      .nullable(),
    verification: z
      .object({ rectified: z.boolean(), evidence: z.string(), attachmentIds: z.array(z.uuid()) })
      .nullable(),
    escalation: z
      .object({
        target: z.enum(ESCALATION_TARGETS),
        referralId: z.uuid().nullable(),
        enforcementId: z.uuid().nullable(),
      })
      .nullable(),
    cancelReason: z.string().nullable(),
    clocks: z.array(WorkflowClockView),
    allowedActions: z.array(z.enum(INTERVIEW_ACTIONS)),
    createdAt: z.string(),
  })
  .meta({ id: 'Interview' });
export type InterviewView = z.infer<typeof InterviewView>;
