/**
 * The responsibility-dispute lifecycle (职责争议), as a table:
 *
 *   open ─accept (guidance office, within 5 working days)─▶ accepted ─rule─▶ ruled
 *   open | accepted ─state_position (either party, as often as it refines it)─▶ (same)
 *
 * Opened by the referral workflow (a second not-ours return between the same agencies: 争着推) or
 * by hand by an agency on the matter (争着推 or 争着管). What the table cannot know and the server
 * checks: that the responsible agency named is one of the parties or another real agency.
 */
import { Role } from './agencies.js';
import type { Lifecycle, WorkflowRule } from './workflow-lifecycle.js';

export const DisputeState = { Open: 'open', Accepted: 'accepted', Ruled: 'ruled' } as const;
export type DisputeState = (typeof DisputeState)[keyof typeof DisputeState];
export const DISPUTE_STATES = Object.values(DisputeState) as [DisputeState, ...DisputeState[]];

export const DisputeAction = { StatePosition: 'state_position', Accept: 'accept', Rule: 'rule' } as const;
export type DisputeAction = (typeof DisputeAction)[keyof typeof DisputeAction];
export const DISPUTE_ACTIONS = Object.values(DisputeAction) as [DisputeAction, ...DisputeAction[]];

export type DisputeSide = 'party' | 'guidance';
export type DisputeField = 'stance' | 'boundaryClause' | 'legalBasis' | 'responsibleAgencyId' | 'rulingText';

/** 争着推 (both refuse) and 争着管 (both claim). */
export const DISPUTE_PATTERNS = ['both_refuse', 'both_claim'] as const;
export type DisputePattern = (typeof DISPUTE_PATTERNS)[number];
export const DISPUTE_PATTERN_LABELS: Record<DisputePattern, string> = { both_refuse: '争着推', both_claim: '争着管' };

/** A party's position: the matter is ours (争着管) or not ours (争着推). */
export const DISPUTE_STANCES = ['ours', 'not_ours'] as const;
export type DisputeStance = (typeof DISPUTE_STANCES)[number];

export const DISPUTE_PARTY_ROLES: readonly Role[] = [
  Role.CaseOfficer,
  Role.LiaisonOfficer,
  Role.TownshipStaff,
  Role.AgencyHead,
];

const S = DisputeState;
const A = DisputeAction;

export const DISPUTE_RULES: readonly WorkflowRule<DisputeState, DisputeAction, DisputeSide, DisputeField>[] = [
  {
    action: A.StatePosition,
    from: [S.Open, S.Accepted],
    to: 'same',
    side: 'party',
    roles: DISPUTE_PARTY_ROLES,
    required: ['stance', 'boundaryClause', 'legalBasis'],
    descriptionZh: '争议一方陈述意见，援引职责边界条款和法律依据（可附材料）',
  },
  {
    action: A.Accept,
    from: [S.Open],
    to: S.Accepted,
    side: 'guidance',
    roles: [Role.GuidanceArbiter, Role.AgencyHead],
    required: [],
    descriptionZh: '综合行政执法指导办受理争议（5 个工作日内）',
  },
  {
    action: A.Rule,
    from: [S.Accepted],
    to: S.Ruled,
    side: 'guidance',
    roles: [Role.GuidanceArbiter],
    required: ['responsibleAgencyId', 'rulingText'],
    descriptionZh: '指导办裁决责任单位，必要时修改事项职责边界',
  },
];

export const DISPUTE_LIFECYCLE: Lifecycle<DisputeState, DisputeAction, DisputeSide, DisputeField> = {
  nameZh: '职责争议',
  name: 'dispute',
  actions: DISPUTE_ACTIONS,
  stateLabels: { open: '待受理', accepted: '已受理', ruled: '已裁决' },
  actionLabels: { state_position: '陈述意见', accept: '受理', rule: '裁决' },
  sideLabels: { party: '争议单位', guidance: '综合行政执法指导办' },
  rules: DISPUTE_RULES,
  fieldMessages: {
    stance: "须表明立场：'ours'（属本单位）或 'not_ours'（不属本单位）（stance is required）",
    boundaryClause: '须援引所依据的职责边界条款（boundaryClause is required）',
    legalBasis: '须写明法律依据（legalBasis is required）',
    responsibleAgencyId: '须指定责任单位（responsibleAgencyId is required）',
    rulingText: '须写明裁决理由（rulingText is required）',
  },
};
