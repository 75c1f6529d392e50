/**
 * The joint-interview lifecycle (共同约谈), as a table:
 *
 *   proposed ─confirm (an invited agency, naming its attendee)─▶ confirming ─schedule─▶ scheduled
 *   scheduled ─reschedule─▶ (same) ; scheduled ─hold (minutes)─▶ held ─sign_minutes─▶ (same)
 *   held ─start_follow_up─▶ awaiting_rectification ─verify_rectified─▶ rectified
 *                                                   ─escalate (not rectified)─▶ escalated
 *   proposed | confirming | scheduled ─cancel─▶ cancelled
 *
 * What the table cannot know and the server checks: that every invited agency confirmed before
 * scheduling, and every attending agency signed the minutes before the follow-up starts.
 */
import { Role } from './agencies.js';
import type { Lifecycle, WorkflowRule } from './workflow-lifecycle.js';

export const InterviewState = {
  Proposed: 'proposed',
  Confirming: 'confirming',
  Scheduled: 'scheduled',
  Held: 'held',
  AwaitingRectification: 'awaiting_rectification',
  Rectified: 'rectified',
  Escalated: 'escalated',
  Cancelled: 'cancelled',
} as const;
export type InterviewState = (typeof InterviewState)[keyof typeof InterviewState];
export const INTERVIEW_STATES = Object.values(InterviewState) as [InterviewState, ...InterviewState[]];

export const InterviewAction = {
  Confirm: 'confirm',
  Schedule: 'schedule',
  Reschedule: 'reschedule',
  Hold: 'hold',
  SignMinutes: 'sign_minutes',
  StartFollowUp: 'start_follow_up',
  VerifyRectified: 'verify_rectified',
  Escalate: 'escalate',
  Cancel: 'cancel',
} as const;
export type InterviewAction = (typeof InterviewAction)[keyof typeof InterviewAction];
export const INTERVIEW_ACTIONS = Object.values(InterviewAction) as [InterviewAction, ...InterviewAction[]];

export type InterviewSide = 'organiser' | 'invited';
export type InterviewField =
  | 'attendeeName'
  | 'scheduledAt'
  | 'place'
  | 'reasonText'
  | 'attendance'
  | 'summary'
  | 'commitments'
  | 'rectificationDeadline'
  | 'evidence'
  | 'escalateTo';

/** Where a party that did not rectify is sent. */
export const ESCALATION_TARGETS = ['public_security', 'court'] as const;
export type EscalationTarget = (typeof ESCALATION_TARGETS)[number];

const S = InterviewState;
const A = InterviewAction;
const STAFF: readonly Role[] = [Role.CaseOfficer, Role.LiaisonOfficer, Role.TownshipStaff, Role.AgencyHead];
const organiser = (
  action: InterviewAction,
  from: InterviewState[],
  to: InterviewState | 'same',
  required: InterviewField[],
  descriptionZh: string,
): WorkflowRule<InterviewState, InterviewAction, InterviewSide, InterviewField> => ({
  action,
  from,
  to,
  side: 'organiser',
  roles: STAFF,
  required,
  descriptionZh,
});

export const INTERVIEW_RULES: readonly WorkflowRule<InterviewState, InterviewAction, InterviewSide, InterviewField>[] =
  [
    {
      action: A.Confirm,
      from: [S.Proposed, S.Confirming],
      to: S.Confirming,
      side: 'invited',
      roles: STAFF,
      required: ['attendeeName'],
      descriptionZh: '受邀单位确认参加并指定参加人',
    },
    organiser(A.Schedule, [S.Confirming], S.Scheduled, ['scheduledAt', 'place'], '各受邀单位确认后确定时间地点'),
    organiser(A.Reschedule, [S.Scheduled], 'same', ['scheduledAt', 'place', 'reasonText'], '改期并通知全体参加人'),
    organiser(
      A.Hold,
      [S.Scheduled],
      S.Held,
      ['attendance', 'summary', 'commitments', 'rectificationDeadline'],
      '记录约谈：到场情况、陈述摘要、当事人承诺、整改期限',
    ),
    ...(['organiser', 'invited'] as const).map((side) => ({
      action: A.SignMinutes,
      from: [S.Held],
      to: 'same' as const,
      side,
      roles: STAFF,
      required: [] as InterviewField[],
      descriptionZh: '到场单位在平台确认约谈记录（会签）',
    })),
    organiser(A.StartFollowUp, [S.Held], S.AwaitingRectification, [], '约谈记录会签完毕，进入整改跟踪'),
    organiser(A.VerifyRectified, [S.AwaitingRectification], S.Rectified, ['evidence'], '核查确认已整改'),
    organiser(
      A.Escalate,
      [S.AwaitingRectification],
      S.Escalated,
      ['evidence', 'escalateTo'],
      '核查未整改：移送公安机关或申请法院强制执行',
    ),
    organiser(A.Cancel, [S.Proposed, S.Confirming, S.Scheduled], S.Cancelled, ['reasonText'], '取消约谈（须说明理由）'),
  ];

export const INTERVIEW_LIFECYCLE: Lifecycle<InterviewState, InterviewAction, InterviewSide, InterviewField> = {
  nameZh: '共同约谈',
  name: 'interview',
  actions: INTERVIEW_ACTIONS,
  stateLabels: {
    proposed: '已发起',
    confirming: '确认中',
    scheduled: '已安排',
    held: '已约谈',
    awaiting_rectification: '整改跟踪中',
    rectified: '已整改',
    escalated: '未整改已移送',
    cancelled: '已取消',
  },
  actionLabels: {
    confirm: '确认参加',
    schedule: '安排时间地点',
    reschedule: '改期',
    hold: '记录约谈',
    sign_minutes: '会签约谈记录',
    start_follow_up: '进入整改跟踪',
    verify_rectified: '确认已整改',
    escalate: '未整改移送',
    cancel: '取消',
  },
  sideLabels: { organiser: '组织单位', invited: '受邀单位' },
  rules: INTERVIEW_RULES,
  fieldMessages: {
    attendeeName: '须指定参加人（attendeeName is required）',
    scheduledAt: '须填写约谈时间（scheduledAt is required）',
    place: '须填写约谈地点（place is required）',
    reasonText: '须说明理由（reasonText is required）',
    attendance: '须记录各单位到场情况（attendance is required）',
    summary: '须记录陈述摘要（summary is required）',
    commitments: '须记录当事人承诺（commitments is required）',
    rectificationDeadline: '须确定整改期限（rectificationDeadline is required）',
    evidence: '须附核查情况或证据（evidence is required）',
    escalateTo: `须选择移送去向：${ESCALATION_TARGETS.join(' / ')}（escalateTo is required）`,
  },
};
