/**
 * The procuratorate review lifecycle (检察监督), as a table:
 *
 *   in_review ─record_checklist─▶ (same)
 *   in_review ─no_objection─▶ closed
 *   in_review ─suggest (检察建议; starts the 2-month reply clock)─▶ awaiting_reply ─reply─▶ replied ─close─▶ closed
 *   in_review ─take_up (公益诉讼)─▶ public_interest_litigation
 *   in_review ─require_explanation (要求说明不立案理由; 7-day clock)─▶ awaiting_explanation ─explain (police)─▶ explained
 *   explained ─notify_filing (通知立案; 15-day clock)─▶ awaiting_filing ─confirm_filing (police)─▶ closed
 *   explained ─close (the reasons hold)─▶ closed
 *
 * A review is opened by a prosecutor on a flagged matter. Every opinion needs the four questions
 * answered; a concern must say why, and may point at the matter's attachments or timeline entries.
 * The police steps apply to a suspected-crime transfer that public security concluded as not filed
 * (the server checks that such a transfer exists; the table cannot).
 */
import { Role } from './agencies.js';
import { isFilled, type Lifecycle, type WorkflowRule } from './workflow-lifecycle.js';

export const ReviewState = {
  InReview: 'in_review',
  AwaitingReply: 'awaiting_reply',
  Replied: 'replied',
  AwaitingExplanation: 'awaiting_explanation',
  Explained: 'explained',
  AwaitingFiling: 'awaiting_filing',
  Closed: 'closed',
  PublicInterestLitigation: 'public_interest_litigation',
} as const;
export type ReviewState = (typeof ReviewState)[keyof typeof ReviewState];
export const REVIEW_STATES = Object.values(ReviewState) as [ReviewState, ...ReviewState[]];

export const ReviewAction = {
  RecordChecklist: 'record_checklist',
  NoObjection: 'no_objection',
  Suggest: 'suggest',
  TakeUp: 'take_up',
  Reply: 'reply',
  RequireExplanation: 'require_explanation',
  Explain: 'explain',
  NotifyFiling: 'notify_filing',
  ConfirmFiling: 'confirm_filing',
  Close: 'close',
} as const;
export type ReviewAction = (typeof ReviewAction)[keyof typeof ReviewAction];
export const REVIEW_ACTIONS = Object.values(ReviewAction) as [ReviewAction, ...ReviewAction[]];

export type ReviewSide = 'prosecutor' | 'bureau' | 'police';
export type ReviewField = 'checklist' | 'opinionText' | 'suggestionText' | 'replyText' | 'measures';

/** The four questions (四个是否). */
export const REVIEW_QUESTIONS = ['factsClear', 'evidenceSufficient', 'lawCorrect', 'procedureLawful'] as const;
export type ReviewQuestion = (typeof REVIEW_QUESTIONS)[number];
export const REVIEW_QUESTION_LABELS: Record<ReviewQuestion, string> = {
  factsClear: '事实是否清楚',
  evidenceSufficient: '证据是否确实充分',
  lawCorrect: '适用法律是否正确',
  procedureLawful: '程序是否合法',
};

/** The opinions a review ends with. */
export const REVIEW_OPINIONS = ['no_objection', 'suggestion', 'public_interest_litigation'] as const;
export type ReviewOpinion = (typeof REVIEW_OPINIONS)[number];

/** Matter flags that put a matter in the prosecutors' review queue. */
export const isFlagged = (f: { majorDifficult: boolean; publicInterestClue: boolean; suspectedCrime: boolean }) =>
  f.majorDifficult || f.publicInterestClue || f.suspectedCrime;

/** A checklist is complete when each of the four questions is answered satisfied or not. */
export function checklistComplete(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, { satisfied?: unknown } | undefined>;
  return REVIEW_QUESTIONS.every((q) => typeof c[q]?.satisfied === 'boolean');
}

const S = ReviewState;
const A = ReviewAction;
const P: readonly Role[] = [Role.Prosecutor];
const BUREAU: readonly Role[] = [Role.AgencyHead, Role.LegalReviewer, Role.CaseOfficer, Role.LiaisonOfficer];
const POLICE: readonly Role[] = [Role.AgencyHead, Role.CaseOfficer, Role.LiaisonOfficer];
const opinion = (action: ReviewAction, to: ReviewState, extra: ReviewField[], descriptionZh: string) => ({
  action,
  from: [S.InReview],
  to,
  side: 'prosecutor' as const,
  roles: P,
  required: ['checklist', 'opinionText', ...extra] as ReviewField[],
  descriptionZh,
});

export const REVIEW_RULES: readonly WorkflowRule<ReviewState, ReviewAction, ReviewSide, ReviewField>[] = [
  {
    action: A.RecordChecklist,
    from: [S.InReview],
    to: 'same',
    side: 'prosecutor',
    roles: P,
    required: ['checklist'],
    descriptionZh: '记录审查意见：事实、证据、适用法律、程序',
  },
  opinion(A.NoObjection, S.Closed, [], '审查无异议，结案'),
  opinion(A.Suggest, S.AwaitingReply, ['suggestionText'], '制发检察建议，被建议单位两个月内书面回复'),
  opinion(A.TakeUp, S.PublicInterestLitigation, [], '作为公益诉讼线索立案审查'),
  {
    action: A.Reply,
    from: [S.AwaitingReply],
    to: S.Replied,
    side: 'bureau',
    roles: BUREAU,
    required: ['replyText', 'measures'],
    descriptionZh: '被建议单位书面回复并说明整改措施',
  },
  {
    action: A.RequireExplanation,
    from: [S.InReview],
    to: S.AwaitingExplanation,
    side: 'prosecutor',
    roles: P,
    required: ['opinionText'],
    descriptionZh: '要求公安机关说明不立案理由（七日内书面说明）',
  },
  {
    action: A.Explain,
    from: [S.AwaitingExplanation],
    to: S.Explained,
    side: 'police',
    roles: POLICE,
    required: ['replyText'],
    descriptionZh: '公安机关书面说明不立案理由',
  },
  {
    action: A.NotifyFiling,
    from: [S.Explained],
    to: S.AwaitingFiling,
    side: 'prosecutor',
    roles: P,
    required: ['opinionText'],
    descriptionZh: '不立案理由不能成立，通知公安机关立案（十五日内立案）',
  },
  {
    action: A.ConfirmFiling,
    from: [S.AwaitingFiling],
    to: S.Closed,
    side: 'police',
    roles: POLICE,
    required: ['replyText'],
    descriptionZh: '公安机关立案并告知检察院',
  },
  {
    action: A.Close,
    from: [S.Replied, S.Explained],
    to: S.Closed,
    side: 'prosecutor',
    roles: P,
    required: [],
    descriptionZh: '检察院确认回复（或认为不立案理由成立），结案',
  },
];

export const REVIEW_LIFECYCLE: Lifecycle<ReviewState, ReviewAction, ReviewSide, ReviewField> = {
  nameZh: '检察监督',
  name: 'review',
  actions: REVIEW_ACTIONS,
  stateLabels: {
    in_review: '审查中',
    awaiting_reply: '待回复检察建议',
    replied: '已回复',
    awaiting_explanation: '待说明不立案理由',
    explained: '已说明不立案理由',
    awaiting_filing: '已通知立案',
    closed: '已结案',
    public_interest_litigation: '转公益诉讼',
  },
  actionLabels: {
    record_checklist: '记录审查意见',
    no_objection: '无异议',
    suggest: '制发检察建议',
    take_up: '转公益诉讼',
    reply: '回复检察建议',
    require_explanation: '要求说明不立案理由',
    explain: '说明不立案理由',
    notify_filing: '通知立案',
    confirm_filing: '告知已立案',
    close: '结案',
  },
  sideLabels: { prosecutor: '检察院', bureau: '被监督单位', police: '公安机关' },
  rules: REVIEW_RULES,
  fieldMessages: {
    checklist: `须逐项回答四个问题（${REVIEW_QUESTIONS.join(', ')}）（checklist must answer all four questions）`,
    opinionText: '须写明审查意见（opinionText is required）',
    suggestionText: '须写明检察建议内容（suggestionText is required）',
    replyText: '须书面回复（replyText is required）',
    measures: '须列明整改措施（measures must list at least one measure）',
  },
  fieldValid: (field, value) => (field === 'checklist' ? checklistComplete(value) : isFilled(value)),
};
