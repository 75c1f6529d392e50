/**
 * The referral lifecycle (移送/转办的流转), defined once as a table. The server enforces it with
 * `decide`, the client reads it (`allowedActions`) to show which buttons are available, and the
 * tests iterate it. Plain data and plain functions, no I/O.
 *
 *   draft ─submit─▶ submitted ─approve─▶ delivered        (kinds that need the head's sign-off)
 *   draft ─submit──────────────────────▶ delivered        (all other kinds)
 *   submitted ─reject_approval─▶ draft
 *   delivered ─sign─▶ signed ─accept─▶ accepted ─start─▶ in_progress ⇄ on_hold (hold / resume)
 *                     signed ─return─▶ returned
 *   in_progress ─conclude─▶ concluded ─feed_back─▶ result_fed_back ─close─▶ closed
 *   returned ─resubmit / reroute─▶ submitted | delivered (as submit) ; returned ─escalate─▶ escalated
 *   draft | submitted | delivered | signed | returned ─withdraw─▶ withdrawn
 *
 * What the table cannot know and the server must check with its own data: that a reroute goes to
 * a different receiver than the last one, that an escalation follows a real dispute (`isDispute`),
 * that an approver is not the person who drafted the referral, and that a matter flagged
 * major/difficult has its collective discussion and legal review on record before a conclusion
 * (`missingForConclusion` in `major-decisions.ts`).
 */
import { Role } from './agencies.js';
import { type ReferralKind } from './catalogue.js';

// ---------------------------------------------------------------------------------------------
// States and actions

export const ReferralState = {
  Draft: 'draft',
  Submitted: 'submitted',
  Delivered: 'delivered',
  Signed: 'signed',
  Accepted: 'accepted',
  Returned: 'returned',
  InProgress: 'in_progress',
  OnHold: 'on_hold',
  Concluded: 'concluded',
  ResultFedBack: 'result_fed_back',
  Closed: 'closed',
  Withdrawn: 'withdrawn',
  Escalated: 'escalated',
} as const;
export type ReferralState = (typeof ReferralState)[keyof typeof ReferralState];
export const REFERRAL_STATES = Object.values(ReferralState) as [ReferralState, ...ReferralState[]];

export const REFERRAL_STATE_LABELS: Record<ReferralState, string> = {
  draft: '草稿',
  submitted: '待审批',
  delivered: '待签收',
  signed: '已签收',
  accepted: '已受理',
  returned: '已退回',
  in_progress: '办理中',
  on_hold: '中止办理',
  concluded: '已办结',
  result_fed_back: '已反馈',
  closed: '已关闭',
  withdrawn: '已撤回',
  escalated: '已提请争议裁决',
};

/** States no action leaves: the referral's story is over (an escalation continues as a dispute). */
export const TERMINAL_STATES: readonly ReferralState[] = [
  ReferralState.Closed,
  ReferralState.Withdrawn,
  ReferralState.Escalated,
];

export const ReferralAction = {
  Submit: 'submit',
  Approve: 'approve',
  RejectApproval: 'reject_approval',
  Withdraw: 'withdraw',
  Sign: 'sign',
  Accept: 'accept',
  Return: 'return',
  Start: 'start',
  Hold: 'hold',
  Resume: 'resume',
  Conclude: 'conclude',
  FeedBack: 'feed_back',
  Close: 'close',
  Resubmit: 'resubmit',
  Reroute: 'reroute',
  Escalate: 'escalate',
} as const;
export type ReferralAction = (typeof ReferralAction)[keyof typeof ReferralAction];
export const REFERRAL_ACTIONS = Object.values(ReferralAction) as [ReferralAction, ...ReferralAction[]];

export const REFERRAL_ACTION_LABELS: Record<ReferralAction, string> = {
  submit: '提交',
  approve: '审批通过',
  reject_approval: '审批不通过',
  withdraw: '撤回',
  sign: '签收',
  accept: '受理',
  return: '退回',
  start: '开始办理',
  hold: '中止办理',
  resume: '恢复办理',
  conclude: '办结',
  feed_back: '反馈结果',
  close: '关闭',
  resubmit: '补正后重新移送',
  reroute: '改送其他单位',
  escalate: '提请争议裁决',
};

// ---------------------------------------------------------------------------------------------
// Reasons and outcomes

/** Why a receiver returns (退回) a referral. */
export const ReturnReason = {
  /** 不属本单位管辖: must cite the boundary clause relied on */
  NotOurJurisdiction: 'not_our_jurisdiction',
  /** 材料不全: must list what is missing */
  MaterialsIncomplete: 'materials_incomplete',
  /** 重复移送 */
  Duplicate: 'duplicate',
  Other: 'other',
} as const;
export type ReturnReason = (typeof ReturnReason)[keyof typeof ReturnReason];
export const RETURN_REASONS = Object.values(ReturnReason) as [ReturnReason, ...ReturnReason[]];
export const RETURN_REASON_LABELS: Record<ReturnReason, string> = {
  not_our_jurisdiction: '不属本单位管辖',
  materials_incomplete: '材料不全',
  duplicate: '重复移送',
  other: '其他',
};
/** Fields a return needs on top of `reasonCode` and `reasonText`, by reason. */
export const RETURN_REASON_REQUIRES: Record<ReturnReason, readonly (keyof ActionInput)[]> = {
  not_our_jurisdiction: ['boundaryClause'],
  materials_incomplete: ['missingMaterials'],
  duplicate: [],
  other: [],
};

/** The legally recognised waits during which handling is on hold (and the clock stops). */
export const HoldReason = {
  /** 补正材料 */
  AwaitingMaterials: 'awaiting_materials',
  /** 鉴定 */
  AwaitingAppraisal: 'awaiting_appraisal',
} as const;
export type HoldReason = (typeof HoldReason)[keyof typeof HoldReason];
export const HOLD_REASONS = Object.values(HoldReason) as [HoldReason, ...HoldReason[]];
export const HOLD_REASON_LABELS: Record<HoldReason, string> = {
  awaiting_materials: '等待补正材料',
  awaiting_appraisal: '等待鉴定',
};

/** How the receiver concluded (办结) a referral. */
export const Outcome = {
  PenaltyDecided: 'penalty_decided',
  NoPenalty: 'no_penalty',
  /** police: 立案侦查 */
  CaseFiled: 'case_filed',
  NotFiled: 'not_filed',
  /** court: 裁定准予执行 */
  EnforcementGranted: 'enforcement_granted',
  /** court: 裁定不予执行 */
  EnforcementRefused: 'enforcement_refused',
  OpinionGiven: 'opinion_given',
  /** assistance rendered or files supplied */
  AssistanceGiven: 'assistance_given',
  Other: 'other',
} as const;
export type Outcome = (typeof Outcome)[keyof typeof Outcome];
export const OUTCOMES = Object.values(Outcome) as [Outcome, ...Outcome[]];
export const OUTCOME_LABELS: Record<Outcome, string> = {
  penalty_decided: '作出处罚决定',
  no_penalty: '不予处罚',
  case_filed: '立案侦查',
  not_filed: '不予立案',
  enforcement_granted: '裁定准予强制执行',
  enforcement_refused: '裁定不予强制执行',
  opinion_given: '出具意见',
  assistance_given: '已提供协助或材料',
  other: '其他',
};

/** The outcomes that make sense for each kind (a court does not file a criminal case). */
export const OUTCOMES_BY_KIND: Record<ReferralKind, readonly Outcome[]> = {
  jurisdiction_transfer: [Outcome.PenaltyDecided, Outcome.NoPenalty, Outcome.NotFiled, Outcome.Other],
  police_assistance: [Outcome.AssistanceGiven, Outcome.Other],
  approval_files_request: [Outcome.AssistanceGiven, Outcome.Other],
  supervision_opinion_request: [Outcome.OpinionGiven, Outcome.Other],
  suspected_crime_transfer: [Outcome.CaseFiled, Outcome.NotFiled, Outcome.Other],
  supervision_request: [Outcome.OpinionGiven, Outcome.Other],
  public_interest_pre_review: [Outcome.OpinionGiven, Outcome.CaseFiled, Outcome.NotFiled, Outcome.Other],
  compulsory_enforcement: [Outcome.EnforcementGranted, Outcome.EnforcementRefused, Outcome.Other],
};

// ---------------------------------------------------------------------------------------------
// Approval

/**
 * Whether a kind needs the sending agency head's sign-off (submitted → approve) before delivery.
 * An exhaustive record, so a new kind cannot be added without deciding.
 *
 * - suspected_crime_transfer: yes. 《行政执法机关移送涉嫌犯罪案件的规定》第五条: the transfer is
 *   decided (批准移送) by the agency's principal head within 3 days of the case officers' report.
 * - compulsory_enforcement: yes. 《行政强制法》第五十五条: the application to the court is signed by the
 *   agency head (由行政机关负责人签名) and sealed.
 * - supervision_request, public_interest_pre_review: yes. Letters to the procuratorate go out under
 *   the agency's seal and commit the agency in a legal-supervision procedure; the major/difficult
 *   cases they concern already pass through the head (集体讨论), so sign-off costs little.
 * - jurisdiction_transfer: no. The everyday handover between the bureau and delegated townships
 *   (routine volume, decided by the item's boundary, not by discretion); a wrong one is returned.
 * - police_assistance: no. Operational and often urgent (on site now); a sign-off step would defeat it.
 * - approval_files_request, supervision_opinion_request: no. Information requests between
 *   departments at working level, with no legal effect of their own.
 */
const APPROVAL_BY_KIND: Record<ReferralKind, boolean> = {
  jurisdiction_transfer: false,
  police_assistance: false,
  approval_files_request: false,
  supervision_opinion_request: false,
  suspected_crime_transfer: true,
  supervision_request: true,
  public_interest_pre_review: true,
  compulsory_enforcement: true,
};

/** Kinds that need the sending agency head's sign-off before delivery (see APPROVAL_BY_KIND above). */
export function needsApproval(kind: ReferralKind): boolean {
  return APPROVAL_BY_KIND[kind];
}

// ---------------------------------------------------------------------------------------------
// The table

/** Which side of the referral the actor's agency is on. */
export type ReferralSide = 'sender' | 'receiver';

/** What an action may carry. Values come from requests, so `decide` checks them at run time. */
export interface ActionInput {
  /** return: why */
  reasonCode?: ReturnReason;
  /** return, reject_approval: in words */
  reasonText?: string;
  /** return as not_our_jurisdiction: the boundary clause relied on */
  boundaryClause?: string;
  /** return as materials_incomplete: what is missing */
  missingMaterials?: string[];
  /** hold: which legally recognised wait */
  holdReason?: HoldReason;
  /** conclude */
  outcome?: Outcome;
  /** conclude: the outcome in words (decision number, summary) */
  outcomeText?: string;
  /** any action: a free remark for the timeline */
  note?: string;
  /** reroute: a receiver chosen by hand instead of by routing (then `overrideReason` is required) */
  receivingAgencyId?: string;
  /** reroute: why routing was overridden */
  overrideReason?: string;
}

export interface TransitionRule {
  action: ReferralAction;
  from: readonly ReferralState[];
  to: ReferralState;
  /**
   * Present on the rules of the actions that send a referral (submit, resubmit, reroute): the rule
   * applies only to kinds for which `needsApproval(kind)` equals this value. Each of those actions
   * therefore has two rules, one ending in `submitted` (awaiting the head), one in `delivered`.
   * Absent: the rule applies to every kind.
   */
  whenApprovalNeeded?: boolean;
  side: ReferralSide;
  /** roles (any of) that may perform it on that side */
  roles: readonly Role[];
  /** fields that must be present; `return` has more, by reason (RETURN_REASON_REQUIRES) */
  required: readonly (keyof ActionInput)[];
  descriptionZh: string;
}

/** Who acts for the sending agency. */
export const REFERRAL_SENDER_ROLES: readonly Role[] = [
  Role.CaseOfficer,
  Role.LiaisonOfficer,
  Role.TownshipStaff,
  Role.AgencyHead,
];
/** Who signs off on the sending side. */
export const REFERRAL_APPROVER_ROLES: readonly Role[] = [Role.AgencyHead];
/**
 * Who acts for the receiving agency: court clerks and prosecutors only exist in the court and the
 * procuratorate (ROLES_BY_AGENCY_KIND), so listing them here admits them there alone.
 */
export const REFERRAL_RECEIVER_ROLES: readonly Role[] = [
  Role.TownshipStaff,
  Role.LiaisonOfficer,
  Role.CaseOfficer,
  Role.AgencyHead,
  Role.CourtClerk,
  Role.Prosecutor,
];

const S = ReferralState;
const A = ReferralAction;
/** Before acceptance: the sender may still take the referral back. */
const WITHDRAWABLE: readonly ReferralState[] = [S.Draft, S.Submitted, S.Delivered, S.Signed, S.Returned];

/** The actions that send the referral (again): two rules each, by whether the kind needs approval. */
const sending = (
  action: ReferralAction,
  from: ReferralState,
  descriptionZh: string,
): [TransitionRule, TransitionRule] => [
  {
    action,
    from: [from],
    to: S.Submitted,
    whenApprovalNeeded: true,
    side: 'sender',
    roles: REFERRAL_SENDER_ROLES,
    required: [],
    descriptionZh: `${descriptionZh}，报单位负责人审批`,
  },
  {
    action,
    from: [from],
    to: S.Delivered,
    whenApprovalNeeded: false,
    side: 'sender',
    roles: REFERRAL_SENDER_ROLES,
    required: [],
    descriptionZh: `${descriptionZh}，直接送达接收单位`,
  },
];

export const REFERRAL_LIFECYCLE: readonly TransitionRule[] = [
  ...sending(A.Submit, S.Draft, '提交移送'),
  {
    action: A.Approve,
    from: [S.Submitted],
    to: S.Delivered,
    side: 'sender',
    roles: REFERRAL_APPROVER_ROLES,
    required: [],
    descriptionZh: '单位负责人批准移送，送达接收单位',
  },
  {
    action: A.RejectApproval,
    from: [S.Submitted],
    to: S.Draft,
    side: 'sender',
    roles: REFERRAL_APPROVER_ROLES,
    required: ['reasonText'],
    descriptionZh: '单位负责人不予批准，退回承办人修改（须说明理由）',
  },
  {
    action: A.Withdraw,
    from: WITHDRAWABLE,
    to: S.Withdrawn,
    side: 'sender',
    roles: REFERRAL_SENDER_ROLES,
    required: [],
    descriptionZh: '移送单位在接收单位受理前撤回',
  },
  {
    action: A.Sign,
    from: [S.Delivered],
    to: S.Signed,
    side: 'receiver',
    roles: REFERRAL_RECEIVER_ROLES,
    required: [],
    descriptionZh: '接收单位签收',
  },
  {
    action: A.Accept,
    from: [S.Signed],
    to: S.Accepted,
    side: 'receiver',
    roles: REFERRAL_RECEIVER_ROLES,
    required: [],
    descriptionZh: '接收单位受理',
  },
  {
    action: A.Return,
    from: [S.Signed],
    to: S.Returned,
    side: 'receiver',
    roles: REFERRAL_RECEIVER_ROLES,
    required: ['reasonCode', 'reasonText'],
    descriptionZh: '接收单位退回（须写明理由；不属管辖须援引职责边界条款，材料不全须列明所缺材料）',
  },
  {
    action: A.Start,
    from: [S.Accepted],
    to: S.InProgress,
    side: 'receiver',
    roles: REFERRAL_RECEIVER_ROLES,
    required: [],
    descriptionZh: '开始办理',
  },
  {
    action: A.Hold,
    from: [S.InProgress],
    to: S.OnHold,
    side: 'receiver',
    roles: REFERRAL_RECEIVER_ROLES,
    required: ['holdReason'],
    descriptionZh: '因等待补正材料或鉴定中止办理',
  },
  {
    action: A.Resume,
    from: [S.OnHold],
    to: S.InProgress,
    side: 'receiver',
    roles: REFERRAL_RECEIVER_ROLES,
    required: [],
    descriptionZh: '中止事由消除，恢复办理',
  },
  {
    action: A.Conclude,
    from: [S.InProgress],
    to: S.Concluded,
    side: 'receiver',
    roles: REFERRAL_RECEIVER_ROLES,
    required: ['outcome', 'outcomeText'],
    descriptionZh: '办结并记录办理结果（重大疑难案件须先经集体讨论和法制审核）',
  },
  {
    action: A.FeedBack,
    from: [S.Concluded],
    to: S.ResultFedBack,
    side: 'receiver',
    roles: REFERRAL_RECEIVER_ROLES,
    required: [],
    descriptionZh: '向移送单位反馈办理结果',
  },
  {
    action: A.Close,
    from: [S.ResultFedBack],
    to: S.Closed,
    side: 'sender',
    roles: REFERRAL_SENDER_ROLES,
    required: [],
    descriptionZh: '移送单位确认结果，关闭移送',
  },
  ...sending(A.Resubmit, S.Returned, '补正所缺后向原接收单位重新移送'),
  ...sending(A.Reroute, S.Returned, '按职责边界改送其他接收单位'),
  {
    action: A.Escalate,
    from: [S.Returned],
    to: S.Escalated,
    side: 'sender',
    roles: REFERRAL_SENDER_ROLES,
    required: [],
    descriptionZh: '作为职责争议提请指导办裁决',
  },
];

// ---------------------------------------------------------------------------------------------
// Deciding

export interface ActionContext {
  /** null: the actor's agency is not a party to the referral */
  side: ReferralSide | null;
  roles: readonly Role[];
  kind: ReferralKind;
}

export type Decision =
  | { ok: true; next: ReferralState }
  /** not a party, wrong side or role */
  | { ok: false; status: 403; reason: string }
  /** illegal in this state; `allowed`: what this actor may do instead */
  | { ok: false; status: 409; reason: string; state: ReferralState; allowed: ReferralAction[] }
  /** a required field missing or invalid */
  | { ok: false; status: 400; reason: string; fields: { field: string; message: string }[] };

const SIDE_LABELS: Record<ReferralSide, string> = { sender: '移送单位', receiver: '接收单位' };

const label = (action: ReferralAction): string => REFERRAL_ACTION_LABELS[action] ?? action;
const stateLabel = (state: ReferralState): string => REFERRAL_STATE_LABELS[state] ?? state;

const appliesToKind = (rule: TransitionRule, kind: ReferralKind): boolean =>
  rule.whenApprovalNeeded === undefined || rule.whenApprovalNeeded === needsApproval(kind);

/** The rule that governs `action` from `state` for `kind`, if any (the client reads its `required` fields). */
export const ruleFor = (state: ReferralState, action: ReferralAction, kind: ReferralKind): TransitionRule | undefined =>
  REFERRAL_LIFECYCLE.find((r) => r.action === action && r.from.includes(state) && appliesToKind(r, kind));

const mayAct = (rule: TransitionRule, ctx: ActionContext): boolean =>
  rule.side === ctx.side && rule.roles.some((r) => ctx.roles.includes(r));

/** What this actor may do to a referral of this kind in this state, in ReferralAction order. */
export function allowedActions(state: ReferralState, ctx: ActionContext): ReferralAction[] {
  return REFERRAL_ACTIONS.filter((action) => {
    const rule = ruleFor(state, action, ctx.kind);
    return rule !== undefined && mayAct(rule, ctx);
  });
}

const filled = (v: unknown): boolean => typeof v === 'string' && v.trim() !== '';
const oneOf = <T extends string>(values: readonly T[], v: unknown): v is T =>
  typeof v === 'string' && (values as readonly string[]).includes(v);

const FIELD_MESSAGES: Record<keyof ActionInput, string> = {
  reasonCode: `须选择退回理由：${RETURN_REASONS.join(' / ')}（reasonCode must be one of ${RETURN_REASONS.join(', ')}）`,
  reasonText: '须填写理由（reasonText is required）',
  boundaryClause: '以不属管辖退回，须援引所依据的职责边界条款（boundaryClause is required for not_our_jurisdiction）',
  missingMaterials:
    '以材料不全退回，须逐项列明所缺材料（missingMaterials must be a non-empty list of non-empty items for materials_incomplete）',
  holdReason: `中止办理须为法定等待事由：${HOLD_REASONS.join(' / ')}（holdReason must be one of ${HOLD_REASONS.join(', ')}）`,
  outcome: '须选择办理结果（outcome must be one of the outcomes for this kind）',
  outcomeText: '须填写办理结果说明（outcomeText is required）',
  note: '备注须为文字（note must be text）',
  receivingAgencyId: '接收单位无效（receivingAgencyId is invalid）',
  overrideReason: '手动指定接收单位须说明理由（overrideReason is required when receivingAgencyId overrides routing）',
};

/** Whether one field holds a valid value for this action and kind. */
function fieldValid(field: keyof ActionInput, input: ActionInput, kind: ReferralKind): boolean {
  const v: unknown = input[field];
  switch (field) {
    case 'reasonCode':
      return oneOf(RETURN_REASONS, v);
    case 'holdReason':
      return oneOf(HOLD_REASONS, v);
    case 'outcome':
      return oneOf(OUTCOMES_BY_KIND[kind], v);
    case 'missingMaterials':
      return Array.isArray(v) && v.length > 0 && v.every(filled);
    default:
      return filled(v);
  }
}

/** The fields this action needs for this input: the rule's, plus those that depend on other fields. */
export function requiredFields(rule: TransitionRule, input: ActionInput): (keyof ActionInput)[] {
  const fields = [...rule.required];
  if (rule.action === A.Return && oneOf(RETURN_REASONS, input.reasonCode)) {
    fields.push(...RETURN_REASON_REQUIRES[input.reasonCode]);
  }
  if (rule.action === A.Reroute && input.receivingAgencyId !== undefined) {
    fields.push('receivingAgencyId', 'overrideReason');
  }
  return fields;
}

/**
 * Whether `ctx` may perform `action` on a referral in `state` with `input`, and the state it leads
 * to. Checks in order: 403 (not a party, wrong side, no role), then 409 (not legal in this state),
 * then 400 (required fields, each named).
 */
export function decide(state: ReferralState, action: ReferralAction, ctx: ActionContext, input: ActionInput): Decision {
  if (ctx.side === null) {
    return {
      ok: false,
      status: 403,
      reason: '您所在单位不是该移送的当事方（your agency is not a party to this referral）',
    };
  }
  const rules = REFERRAL_LIFECYCLE.filter((r) => r.action === action);
  if (rules.length === 0) {
    return {
      ok: false,
      status: 400,
      reason: '未知操作（unknown action）',
      fields: [{ field: 'action', message: `未知操作「${String(action)}」（unknown action "${String(action)}"）` }],
    };
  }
  if (!rules.some((r) => r.side === ctx.side)) {
    const side = rules[0]?.side ?? 'sender';
    return {
      ok: false,
      status: 403,
      reason: `「${label(action)}」须由${SIDE_LABELS[side]}操作（"${action}" is for the ${side}）`,
    };
  }
  if (!rules.some((r) => mayAct(r, ctx))) {
    const roles = [...new Set(rules.flatMap((r) => r.roles))];
    return {
      ok: false,
      status: 403,
      reason: `「${label(action)}」须由以下角色操作（"${action}" requires one of the roles）：${roles.join(', ')}`,
    };
  }
  const rule = ruleFor(state, action, ctx.kind);
  if (!rule || !mayAct(rule, ctx)) {
    return {
      ok: false,
      status: 409,
      reason: `移送当前为「${stateLabel(state)}」，不能「${label(action)}」（cannot "${action}" a referral in state "${state}"）`,
      state,
      allowed: allowedActions(state, ctx),
    };
  }
  const fields = [...new Set(requiredFields(rule, input))]
    .filter((f) => !fieldValid(f, input, ctx.kind))
    .map((field) => ({ field, message: FIELD_MESSAGES[field] }));
  if (fields.length > 0) {
    return { ok: false, status: 400, reason: '必填项缺失或无效（required fields are missing or invalid）', fields };
  }
  return { ok: true, next: rule.to };
}

// ---------------------------------------------------------------------------------------------
// Disputes

/**
 * Two returns of the same matter as not-ours between the same two agencies make a responsibility
 * dispute (争着推). `returns` are the matter's returns; the pair is unordered, so B returning to A
 * twice and B returning to A then A returning to B both count. Other reasons do not.
 */
export function isDispute(
  returns: readonly { fromAgencyId: string; toAgencyId: string; reasonCode: string }[],
): boolean {
  const seen = new Set<string>();
  for (const r of returns) {
    if (r.reasonCode !== ReturnReason.NotOurJurisdiction || r.fromAgencyId === r.toAgencyId) continue;
    const pair = JSON.stringify([r.fromAgencyId, r.toAgencyId].sort());
    if (seen.has(pair)) return true;
    seen.add(pair);
  }
  return false;
}
