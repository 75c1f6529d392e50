/**
 * The enforcement item catalogue's domain rules: which boundary version is in force, who is
 * responsible for an item in a township on a date, and where a referral goes. Plain functions
 * over plain data, used by the server, the client and the tests alike.
 *
 * Dates are calendar days in China Standard Time as `YYYY-MM-DD` strings, so they compare as
 * strings. A version is in force on [effectiveFrom, effectiveTo): effectiveTo is exclusive and
 * null while the version is current.
 */
import { Role } from './agencies.js';

export const ITEM_CATEGORIES = [
  '市容环境',
  '规划建设',
  '燃气安全',
  '文明养犬',
  '垃圾分类',
  '生态环境',
  '市场监管',
  '自然资源',
  '交通运输',
] as const;
export type ItemCategory = (typeof ITEM_CATEGORIES)[number];

export const BoundaryChangeReason = {
  /** a transfer batch (划转批次) moved penalty power */
  Batch: 'batch',
  /** a delegation granted to or taken back from a township */
  DelegationChange: 'delegation_change',
  /** a responsibility dispute was ruled (职责争议裁决) */
  DisputeRuling: 'dispute_ruling',
  /** a mistake in the record was corrected */
  Correction: 'correction',
} as const;
export type BoundaryChangeReason = (typeof BoundaryChangeReason)[keyof typeof BoundaryChangeReason];
export const BOUNDARY_CHANGE_REASONS = Object.values(BoundaryChangeReason) as [
  BoundaryChangeReason,
  ...BoundaryChangeReason[],
];
export const BOUNDARY_CHANGE_REASON_LABELS: Record<BoundaryChangeReason, string> = {
  batch: '划转批次',
  delegation_change: '赋权调整',
  dispute_ruling: '争议裁决',
  correction: '更正',
};

/**
 * Who may amend boundaries and delegations and import the catalogue: guidance-office arbiters and
 * system admins (the `catalogue.amend` policy row). The client hides amendment controls from the rest.
 */
export const CATALOGUE_AMEND_ROLES: readonly Role[] = [Role.GuidanceArbiter, Role.SystemAdmin];

/** Who does what for an item: the content of one boundary version. */
export interface Boundary {
  /** 监管: inspections, complaints, clue handling; null is a blind spot */
  supervisingAgencyId: string | null;
  /** 审批 */
  approvingAgencyId: string | null;
  /** 处罚主体 outside delegated townships: normally the enforcement bureau; null is a gap */
  penalisingAgencyId: string | null;
  /** 赋权乡镇: townships that penalise this item in their own name */
  delegatedTownshipIds: readonly string[];
  /** what the supervising department hands over when it finds a violation */
  evidenceHandoffDuty: string;
  /** what the penalising body reports back, and to whom */
  resultFeedbackDuty: string;
}

export interface BoundaryVersion extends Boundary {
  id: string;
  version: number;
  effectiveFrom: string;
  effectiveTo: string | null;
  reason: BoundaryChangeReason;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A real calendar day written YYYY-MM-DD (2025-02-31 is not one, though Date.parse rolls it over). */
export const isIsoDate = (s: string): boolean => {
  if (!DATE.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
};

/** Today's date in China Standard Time. */
export function todayInChina(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** A period [effectiveFrom, effectiveTo); an absent or null end means "until further notice". */
export interface Period {
  effectiveFrom: string;
  effectiveTo?: string | null | undefined;
}

export const inForceOn = (v: Period, date: string): boolean =>
  v.effectiveFrom <= date && (v.effectiveTo === null || v.effectiveTo === undefined || date < v.effectiveTo);

/** The version in force on a date (versions of one item never overlap, so there is at most one). */
export function versionInForce<V extends Period>(versions: readonly V[], date: string): V | undefined {
  return versions.find((v) => inForceOn(v, date));
}

export type ResponsibilityRule =
  /** the township holds a delegation for this item: it penalises in its own name */
  | 'delegated_township'
  /** no delegation to this township: the version's penalising body acts */
  | 'penalising_body'
  /** no version names a penalising body and the township holds no delegation: a gap */
  | 'no_penalising_body';

export interface Responsibility<V extends BoundaryVersion = BoundaryVersion> {
  version: V;
  supervisingAgencyId: string | null;
  approvingAgencyId: string | null;
  penalisingAgencyId: string | null;
  rule: ResponsibilityRule;
}

/**
 * Who is responsible for an item in a township on a date. Undefined when no version was in
 * force (the item did not exist yet, or its record starts later).
 */
export function responsibleFor<V extends BoundaryVersion>(
  versions: readonly V[],
  townshipId: string,
  date: string,
): Responsibility<V> | undefined {
  const version = versionInForce(versions, date);
  if (!version) return undefined;
  const delegated = version.delegatedTownshipIds.includes(townshipId);
  const penalisingAgencyId = delegated ? townshipId : version.penalisingAgencyId;
  return {
    version,
    supervisingAgencyId: version.supervisingAgencyId,
    approvingAgencyId: version.approvingAgencyId,
    penalisingAgencyId,
    rule: delegated ? 'delegated_township' : penalisingAgencyId ? 'penalising_body' : 'no_penalising_body',
  };
}

export function sameBoundary(a: Boundary, b: Boundary): boolean {
  const townships = (x: Boundary) => [...new Set(x.delegatedTownshipIds)].sort().join(',');
  return (
    a.supervisingAgencyId === b.supervisingAgencyId &&
    a.approvingAgencyId === b.approvingAgencyId &&
    a.penalisingAgencyId === b.penalisingAgencyId &&
    townships(a) === townships(b) &&
    a.evidenceHandoffDuty === b.evidenceHandoffDuty &&
    a.resultFeedbackDuty === b.resultFeedbackDuty
  );
}

export type AmendmentCheck = { ok: true; closes: BoundaryVersion | undefined } | { ok: false; problem: string };

/**
 * Whether a new version may start on `effectiveFrom`. It may only follow the item's latest
 * version (strictly after its start), so an amendment never changes answers for earlier dates;
 * the latest version is then closed on that date.
 */
export function checkAmendment(versions: readonly BoundaryVersion[], effectiveFrom: string): AmendmentCheck {
  if (!isIsoDate(effectiveFrom)) return { ok: false, problem: '生效日期须为 YYYY-MM-DD' };
  const latest = latestVersion(versions);
  if (!latest) return { ok: true, closes: undefined };
  if (effectiveFrom <= latest.effectiveFrom) {
    return {
      ok: false,
      problem: `生效日期 ${effectiveFrom} 与现有第 ${latest.version} 版（${latest.effectiveFrom} 起）重叠，须晚于 ${latest.effectiveFrom}`,
    };
  }
  // A latest version already closed before this date stays as it is (a gap, not an extension).
  const open = latest.effectiveTo === null || effectiveFrom < latest.effectiveTo;
  return { ok: true, closes: open ? latest : undefined };
}

export function latestVersion<V extends Period>(versions: readonly V[]): V | undefined {
  return versions.reduce<V | undefined>((acc, v) => (!acc || v.effectiveFrom > acc.effectiveFrom ? v : acc), undefined);
}

/** Pairs of versions whose periods overlap (there must be none). */
export function overlappingVersions(versions: readonly BoundaryVersion[]): [BoundaryVersion, BoundaryVersion][] {
  const sorted = [...versions].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  const pairs: [BoundaryVersion, BoundaryVersion][] = [];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      const a = sorted[i] as BoundaryVersion;
      const b = sorted[j] as BoundaryVersion;
      if (a.effectiveTo === null || b.effectiveFrom < a.effectiveTo) pairs.push([a, b]);
    }
  }
  return pairs;
}

// ---------------------------------------------------------------------------------------------
// Referral routing: where a referral about an item goes is decided by the boundary, never typed.

export const ReferralKind = {
  /** 案件移送: to the body that penalises the item in that township (a delegated township or the bureau) */
  JurisdictionTransfer: 'jurisdiction_transfer',
  /** 协助: public security on site */
  PoliceAssistance: 'police_assistance',
  /** 协助: the approving department's approval files */
  ApprovalFilesRequest: 'approval_files_request',
  /** 协助: the supervising department's inspection opinion */
  SupervisionOpinionRequest: 'supervision_opinion_request',
  /** 涉嫌犯罪移送: to public security, the procuratorate kept informed (两法衔接) */
  SuspectedCrimeTransfer: 'suspected_crime_transfer',
  /** 监督申请: to the procuratorate */
  SupervisionRequest: 'supervision_request',
  /** 公益诉讼线索预审: to the procuratorate */
  PublicInterestPreReview: 'public_interest_pre_review',
  /** 申请强制执行: to the court */
  CompulsoryEnforcement: 'compulsory_enforcement',
} as const;
export type ReferralKind = (typeof ReferralKind)[keyof typeof ReferralKind];
export const REFERRAL_KINDS = Object.values(ReferralKind) as [ReferralKind, ...ReferralKind[]];

export const REFERRAL_KIND_LABELS: Record<ReferralKind, string> = {
  jurisdiction_transfer: '案件移送',
  police_assistance: '公安协助',
  approval_files_request: '调取审批材料',
  supervision_opinion_request: '征求监管意见',
  suspected_crime_transfer: '涉嫌犯罪移送',
  supervision_request: '检察监督申请',
  public_interest_pre_review: '公益诉讼线索预审',
  compulsory_enforcement: '申请强制执行',
};

/** The county's standing agencies that referrals of fixed kinds go to. */
export interface CountyDirectory {
  enforcementBureauId: string;
  publicSecurityId: string;
  procuratorateId: string;
  courtId: string;
  guidanceOfficeId: string;
}

export type RoutingRuleCode =
  | 'delegated_township'
  | 'penalising_body'
  | 'no_penalising_body'
  | 'approving_department'
  | 'supervising_department'
  | 'public_security'
  | 'procuratorate'
  | 'court'
  | 'no_version_in_force'
  | 'no_approving_department'
  | 'no_supervising_department';

export type RoutingDecision =
  | {
      routed: true;
      receivingAgencyId: string;
      /** agencies kept informed (e.g. the procuratorate on a suspected-crime transfer) */
      informAgencyIds: string[];
      rule: RoutingRuleCode;
      versionId: string;
    }
  | {
      routed: false;
      rule: RoutingRuleCode;
      /** where the matter goes instead to be settled: the guidance office */
      escalateToAgencyId: string;
      versionId: string | null;
    };

/**
 * Where a referral of `kind` about an item in a township on a date goes. The same function
 * answers the sender's preview and decides the delivery.
 */
export function routeReferral(
  kind: ReferralKind,
  versions: readonly BoundaryVersion[],
  townshipId: string,
  date: string,
  directory: CountyDirectory,
): RoutingDecision {
  const answer = responsibleFor(versions, townshipId, date);
  if (!answer)
    return {
      routed: false,
      rule: 'no_version_in_force',
      escalateToAgencyId: directory.guidanceOfficeId,
      versionId: null,
    };
  const versionId = answer.version.id;
  const to = (receivingAgencyId: string, rule: RoutingRuleCode, inform: (string | null)[] = []): RoutingDecision => ({
    routed: true,
    receivingAgencyId,
    informAgencyIds: [...new Set(inform.filter((a): a is string => a !== null && a !== receivingAgencyId))],
    rule,
    versionId,
  });
  const gap = (rule: RoutingRuleCode): RoutingDecision => ({
    routed: false,
    rule,
    escalateToAgencyId: directory.guidanceOfficeId,
    versionId,
  });
  switch (kind) {
    case ReferralKind.JurisdictionTransfer:
      if (!answer.penalisingAgencyId) return gap('no_penalising_body');
      // The supervising department is owed the result (result feedback duty).
      return to(answer.penalisingAgencyId, answer.rule, [answer.supervisingAgencyId]);
    case ReferralKind.PoliceAssistance:
      return to(directory.publicSecurityId, 'public_security');
    case ReferralKind.ApprovalFilesRequest:
      return answer.approvingAgencyId
        ? to(answer.approvingAgencyId, 'approving_department')
        : gap('no_approving_department');
    case ReferralKind.SupervisionOpinionRequest:
      return answer.supervisingAgencyId
        ? to(answer.supervisingAgencyId, 'supervising_department')
        : gap('no_supervising_department');
    case ReferralKind.SuspectedCrimeTransfer:
      return to(directory.publicSecurityId, 'public_security', [directory.procuratorateId]);
    case ReferralKind.SupervisionRequest:
    case ReferralKind.PublicInterestPreReview:
      return to(directory.procuratorateId, 'procuratorate');
    case ReferralKind.CompulsoryEnforcement:
      return to(directory.courtId, 'court');
  }
}
