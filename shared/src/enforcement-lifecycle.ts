/**
 * Applying to the court for compulsory enforcement (申请强制执行), as a table:
 *
 *   draft ─record_demand (催告)─▶ demanded ─apply─▶ applied ─accept─▶ accepted ─grant─▶ granted ─record_execution─▶ executed
 *                                                 applied ─decline─▶ not_accepted      accepted ─refuse─▶ refused
 *   draft | demanded | applied ─withdraw─▶ withdrawn
 *
 * 《行政强制法》: a demand notice comes first (第五十四条); the application is signed by the agency
 * head (第五十五条); the court accepts within 5 days (第五十六条) and rules within 7 days of
 * accepting (第五十七条), working days (第六十九条).
 */
import { Role } from './agencies.js';
import type { Lifecycle, WorkflowRule } from './workflow-lifecycle.js';

export const EnforcementState = {
  Draft: 'draft',
  Demanded: 'demanded',
  Applied: 'applied',
  Accepted: 'accepted',
  NotAccepted: 'not_accepted',
  Granted: 'granted',
  Refused: 'refused',
  Executed: 'executed',
  Withdrawn: 'withdrawn',
} as const;
export type EnforcementState = (typeof EnforcementState)[keyof typeof EnforcementState];
export const ENFORCEMENT_STATES = Object.values(EnforcementState) as [EnforcementState, ...EnforcementState[]];

export const EnforcementAction = {
  RecordDemand: 'record_demand',
  Apply: 'apply',
  Accept: 'accept',
  Decline: 'decline',
  Grant: 'grant',
  Refuse: 'refuse',
  RecordExecution: 'record_execution',
  Withdraw: 'withdraw',
} as const;
export type EnforcementAction = (typeof EnforcementAction)[keyof typeof EnforcementAction];
export const ENFORCEMENT_ACTIONS = Object.values(EnforcementAction) as [EnforcementAction, ...EnforcementAction[]];

export type EnforcementSide = 'applicant' | 'court';
export type EnforcementField =
  | 'demandNoticeNumber'
  | 'demandNoticeOn'
  | 'decisionNumber'
  | 'obligation'
  | 'reasonText'
  | 'rulingNumber'
  | 'executionOutcome';

/** How an enforcement ended: the party complied, the court executed, the original state restored. */
export const EXECUTION_OUTCOMES = ['party_complied', 'court_executed', 'original_state_restored'] as const;
export type ExecutionOutcome = (typeof EXECUTION_OUTCOMES)[number];
export const EXECUTION_OUTCOME_LABELS: Record<ExecutionOutcome, string> = {
  party_complied: '当事人自行履行',
  court_executed: '法院强制执行',
  original_state_restored: '已恢复原状',
};

const S = EnforcementState;
const A = EnforcementAction;
const APPLICANT: readonly Role[] = [Role.CaseOfficer, Role.LiaisonOfficer, Role.AgencyHead];
const COURT: readonly Role[] = [Role.CourtClerk, Role.AgencyHead];

export const ENFORCEMENT_RULES: readonly WorkflowRule<
  EnforcementState,
  EnforcementAction,
  EnforcementSide,
  EnforcementField
>[] = [
  {
    action: A.RecordDemand,
    from: [S.Draft],
    to: S.Demanded,
    side: 'applicant',
    roles: APPLICANT,
    required: ['demandNoticeNumber', 'demandNoticeOn'],
    descriptionZh: '记录催告书（申请强制执行前须先催告当事人履行）',
  },
  {
    action: A.Apply,
    from: [S.Demanded],
    to: S.Applied,
    side: 'applicant',
    roles: [Role.AgencyHead],
    required: ['decisionNumber', 'obligation'],
    descriptionZh: '单位负责人签署，向人民法院申请强制执行',
  },
  {
    action: A.Accept,
    from: [S.Applied],
    to: S.Accepted,
    side: 'court',
    roles: COURT,
    required: [],
    descriptionZh: '法院受理（5 个工作日内）',
  },
  {
    action: A.Decline,
    from: [S.Applied],
    to: S.NotAccepted,
    side: 'court',
    roles: COURT,
    required: ['reasonText'],
    descriptionZh: '法院不予受理（须说明理由）',
  },
  {
    action: A.Grant,
    from: [S.Accepted],
    to: S.Granted,
    side: 'court',
    roles: COURT,
    required: ['rulingNumber', 'reasonText'],
    descriptionZh: '法院裁定准予执行（受理后 7 个工作日内）',
  },
  {
    action: A.Refuse,
    from: [S.Accepted],
    to: S.Refused,
    side: 'court',
    roles: COURT,
    required: ['rulingNumber', 'reasonText'],
    descriptionZh: '法院裁定不予执行（须说明理由）',
  },
  ...(['applicant', 'court'] as const).map((side) => ({
    action: A.RecordExecution,
    from: [S.Granted],
    to: S.Executed,
    side,
    roles: side === 'court' ? COURT : APPLICANT,
    required: ['executionOutcome'] as EnforcementField[],
    descriptionZh: '记录执行结果，闭环反馈执法局',
  })),
  {
    action: A.Withdraw,
    from: [S.Draft, S.Demanded, S.Applied],
    to: S.Withdrawn,
    side: 'applicant',
    roles: APPLICANT,
    required: ['reasonText'],
    descriptionZh: '撤回（如当事人已履行）',
  },
];

export const ENFORCEMENT_LIFECYCLE: Lifecycle<EnforcementState, EnforcementAction, EnforcementSide, EnforcementField> =
  {
    nameZh: '强制执行申请',
    name: 'enforcement application',
    actions: ENFORCEMENT_ACTIONS,
    stateLabels: {
      draft: '草稿',
      demanded: '已催告',
      applied: '已申请',
      accepted: '法院已受理',
      not_accepted: '法院不予受理',
      granted: '裁定准予执行',
      refused: '裁定不予执行',
      executed: '已执行',
      withdrawn: '已撤回',
    },
    actionLabels: {
      record_demand: '记录催告',
      apply: '申请强制执行',
      accept: '受理',
      decline: '不予受理',
      grant: '裁定准予执行',
      refuse: '裁定不予执行',
      record_execution: '记录执行结果',
      withdraw: '撤回',
    },
    sideLabels: { applicant: '申请机关', court: '人民法院' },
    rules: ENFORCEMENT_RULES,
    fieldMessages: {
      demandNoticeNumber: '须填写催告书文号（demandNoticeNumber is required）',
      demandNoticeOn: '须填写催告日期（demandNoticeOn is required）',
      decisionNumber: '须填写行政决定书文号（decisionNumber is required）',
      obligation: '须写明当事人应履行的义务或金额（obligation is required）',
      reasonText: '须说明理由（reasonText is required）',
      rulingNumber: '须填写裁定书文号（rulingNumber is required）',
      executionOutcome: `须选择执行结果：${EXECUTION_OUTCOMES.join(' / ')}（executionOutcome is required）`,
    },
  };
