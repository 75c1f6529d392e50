import type { z } from 'zod';
import type { I18n, MessageKey } from '../app/i18n.js';
import {
  DISPUTE_LIFECYCLE,
  DISPUTE_PATTERN_LABELS,
  DisputeView,
  ENFORCEMENT_LIFECYCLE,
  EXECUTION_OUTCOME_LABELS,
  EnforcementView,
  INTERVIEW_LIFECYCLE,
  InterviewView,
  REVIEW_LIFECYCLE,
  ReviewView,
  type Lifecycle,
  type WorkflowClockView,
  type WorkflowKind,
} from '@xietong/shared';

/** What every workflow object shows the same way: its matter, state, clocks and the actions open to me. */
export interface WorkflowBase {
  id: string;
  matter: { id: string; number: string; itemCode: string; itemName: string };
  state: string;
  clocks: WorkflowClockView[];
  allowedActions: string[];
  createdAt: string;
}

export type AnyLifecycle = Lifecycle<string, string, string, string>;

/** One workflow as the client shows it: its API path, its schema, its lifecycle table and its own facts. */
export interface WorkflowKindDef<V extends WorkflowBase> {
  kind: WorkflowKind;
  /** the REST collection (`/api/<base>`) and the client route (`/<base>`) */
  base: string;
  schema: z.ZodType<V>;
  lifecycle: AnyLifecycle;
  /** label keys and values of the detail page (recorded text as recorded) */
  facts: (v: V, t: I18n['t']) => [MessageKey, string | null | undefined][];
  /** the other side, for the list */
  counterpart: (v: V) => string;
}

export const REVIEW: WorkflowKindDef<ReviewView> = {
  kind: 'review',
  base: 'reviews',
  schema: ReviewView,
  lifecycle: REVIEW_LIFECYCLE as unknown as AnyLifecycle,
  counterpart: (v) => v.bureau.nameZh,
  facts: (v) => [
    ['wf.review.procuratorate', v.procuratorate.nameZh],
    ['wf.review.bureau', v.bureau.nameZh],
    ['wf.review.police', v.police?.nameZh],
    ['wf.field.opinionText', v.opinionText],
    ['wf.field.suggestionText', v.suggestionText],
    ['wf.field.replyText', v.reply?.text],
    ['wf.field.measures', v.reply?.measures.join('；')],
    ['wf.review.explanation', v.explanation],
    ['wf.review.filing', v.filing],
  ],
};

export const INTERVIEW: WorkflowKindDef<InterviewView> = {
  kind: 'interview',
  base: 'interviews',
  schema: InterviewView,
  lifecycle: INTERVIEW_LIFECYCLE as unknown as AnyLifecycle,
  counterpart: (v) => v.party.name,
  facts: (v, t) => [
    ['wf.interview.organiser', v.organiser.nameZh],
    ['wf.interview.party', `${v.party.name}（${v.party.contact}）`],
    ['wf.interview.agenda', v.agenda],
    ['wf.field.scheduledAt', v.scheduledAt],
    ['wf.field.place', v.place],
    [
      'wf.interview.participants',
      v.participants
        .map(
          (p) =>
            `${p.agency.nameZh}（${p.confirmedAt ? t('wf.interview.confirmed') : t('wf.interview.unconfirmed')}${p.attendeeName ? `：${p.attendeeName}` : ''}）`,
        )
        .join('；'),
    ],
    ['wf.field.summary', v.minutes?.summary],
    ['wf.field.commitments', v.minutes?.commitments.join('；')],
    ['wf.field.rectificationDeadline', v.minutes?.rectificationDeadline],
    ['wf.interview.rectified', v.verification ? t(v.verification.rectified ? 'wf.yes' : 'wf.no') : null],
    ['wf.field.reasonText', v.cancelReason],
  ],
};

export const DISPUTE: WorkflowKindDef<DisputeView> = {
  kind: 'dispute',
  base: 'disputes',
  schema: DisputeView,
  lifecycle: DISPUTE_LIFECYCLE as unknown as AnyLifecycle,
  counterpart: (v) => `${v.agencyA.nameZh} ⇄ ${v.agencyB.nameZh}`,
  facts: (v, t) => [
    ['wf.dispute.pattern', DISPUTE_PATTERN_LABELS[v.pattern]],
    ['wf.dispute.parties', `${v.agencyA.nameZh}、${v.agencyB.nameZh}`],
    ...v.positions.map((p): [MessageKey, string] => [
      'wf.dispute.position',
      `${p.agency.nameZh}：${t(`wf.stance.${p.stance}`)}。${p.boundaryClause}；${p.legalBasis}`,
    ]),
    ['wf.dispute.responsible', v.ruling?.responsibleAgency.nameZh],
    ['wf.field.rulingText', v.ruling?.rulingText],
  ],
};

export const ENFORCEMENT: WorkflowKindDef<EnforcementView> = {
  kind: 'enforcement',
  base: 'enforcements',
  schema: EnforcementView,
  lifecycle: ENFORCEMENT_LIFECYCLE as unknown as AnyLifecycle,
  counterpart: (v) => v.matter.partyName,
  facts: (v, t) => [
    ['wf.enforcement.applicant', v.applicant.nameZh],
    ['wf.enforcement.court', v.court.nameZh],
    ['wf.field.decisionNumber', v.decisionNumber],
    ['wf.field.obligation', v.obligation],
    ['wf.enforcement.amount', v.amountYuan === null ? null : t('wf.yuan', { n: v.amountYuan })],
    ['wf.field.demandNoticeNumber', v.demandNotice ? `${v.demandNotice.number}（${v.demandNotice.on}）` : null],
    [
      'wf.field.rulingNumber',
      v.ruling
        ? `${v.ruling.number}：${t(v.ruling.execute ? 'wf.enforcement.execute' : 'wf.enforcement.refuse')}`
        : null,
    ],
    [
      'wf.field.executionOutcome',
      v.execution
        ? `${EXECUTION_OUTCOME_LABELS[v.execution.outcome]}${v.execution.note ? `：${v.execution.note}` : ''}`
        : null,
    ],
  ],
};
