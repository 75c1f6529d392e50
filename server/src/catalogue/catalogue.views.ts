import { pinyin } from 'pinyin-pro';
import {
  BOUNDARY_CHANGE_REASON_LABELS,
  type AgencyRef,
  type BoundaryChangeReason,
  type BoundaryVersion,
  type BoundaryVersionView,
  type Responsibility,
} from '@xietong/shared';
import type { Agency } from '../agencies/agency.entity.js';
import type { BoundaryVersionRecord, EnforcementItem } from './catalogue.entity.js';

/** The columns of a boundary version as plain data, for hot read paths that skip the ORM. */
export const VERSION_COLUMNS_SQL = `v.id, v.version, to_char(v.effective_from, 'YYYY-MM-DD') effective_from,
  to_char(v.effective_to, 'YYYY-MM-DD') effective_to, v.supervising_id, v.approving_id, v.penalising_id,
  v.delegated_township_ids::text[] delegated_township_ids, v.reason, v.note`;

export interface VersionRow {
  id: string;
  version: number;
  effective_from: string;
  effective_to: string | null;
  supervising_id: string | null;
  approving_id: string | null;
  penalising_id: string | null;
  delegated_township_ids: string[];
  reason: BoundaryChangeReason;
  note: string;
}

export function versionFromRow(r: VersionRow): BoundaryVersion & { note: string } {
  return {
    id: r.id,
    version: r.version,
    effectiveFrom: r.effective_from,
    effectiveTo: r.effective_to,
    supervisingAgencyId: r.supervising_id,
    approvingAgencyId: r.approving_id,
    penalisingAgencyId: r.penalising_id,
    delegatedTownshipIds: r.delegated_township_ids,
    evidenceHandoffDuty: '',
    resultFeedbackDuty: '',
    reason: r.reason,
    note: r.note,
  };
}

/** First letters of the pinyin of a name's Chinese characters: 擅自占用城市道路 → szzycsdl. */
export function pinyinInitials(name: string): string {
  const han = name.replace(/[^\u4e00-\u9fff]/g, '');
  if (!han) return '';
  return pinyin(han, { pattern: 'first', toneType: 'none', type: 'array' }).join('').toLowerCase();
}

export type AgencyDirectory = Map<string, Agency>;

export function agencyRef(agencies: AgencyDirectory, id: string | null | undefined): AgencyRef | null {
  if (!id) return null;
  const a = agencies.get(id);
  return a ? { id: a.id, code: a.code, nameZh: a.nameZh, kind: a.kind } : null;
}

/** The plain-data form the shared domain rules work on. */
export function toDomainVersion(v: BoundaryVersionRecord): BoundaryVersion {
  return {
    id: v.id,
    version: v.version,
    effectiveFrom: v.effectiveFrom,
    effectiveTo: v.effectiveTo ?? null,
    supervisingAgencyId: v.supervising?.id ?? null,
    approvingAgencyId: v.approving?.id ?? null,
    penalisingAgencyId: v.penalising?.id ?? null,
    delegatedTownshipIds: v.delegatedTownshipIds,
    evidenceHandoffDuty: v.evidenceHandoffDuty,
    resultFeedbackDuty: v.resultFeedbackDuty,
    reason: v.reason,
  };
}

export function toVersionView(v: BoundaryVersionRecord, agencies: AgencyDirectory): BoundaryVersionView {
  return {
    id: v.id,
    version: v.version,
    effectiveFrom: v.effectiveFrom,
    effectiveTo: v.effectiveTo ?? null,
    reason: v.reason,
    note: v.note,
    causeRef: v.causeRef ?? null,
    supervising: agencyRef(agencies, v.supervising?.id),
    approving: agencyRef(agencies, v.approving?.id),
    penalising: agencyRef(agencies, v.penalising?.id),
    delegatedTownships: v.delegatedTownshipIds.flatMap((id) => agencyRef(agencies, id) ?? []),
    evidenceHandoffDuty: v.evidenceHandoffDuty,
    resultFeedbackDuty: v.resultFeedbackDuty,
    createdBy: v.createdBy ? { id: v.createdBy.id, displayName: v.createdBy.unwrap().displayName } : null,
    createdAt: v.createdAt.toISOString(),
  };
}

/** Since when a township has held this item's delegation without a break, up to `current`. */
function delegatedSince(versions: readonly BoundaryVersion[], current: BoundaryVersion, townshipId: string): string {
  const ordered = [...versions].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  let since = current.effectiveFrom;
  for (let i = ordered.indexOf(current); i >= 0; i--) {
    const v = ordered[i];
    if (!v?.delegatedTownshipIds.includes(townshipId)) break;
    since = v.effectiveFrom;
  }
  return since;
}

/** One sentence of Chinese saying why the answer is what it is. */
export function explainResponsibility(
  item: Pick<EnforcementItem, 'nameZh' | 'transferBatch' | 'transferDate'>,
  township: Agency,
  answer: Responsibility,
  versions: readonly BoundaryVersion[],
  agencies: AgencyDirectory,
): string {
  const v = answer.version;
  const basis = `第 ${v.version} 版职责边界（${BOUNDARY_CHANGE_REASON_LABELS[v.reason]}，${v.effectiveFrom} 起施行）`;
  switch (answer.rule) {
    case 'delegated_township':
      return `${township.nameZh}自 ${delegatedSince(versions, v, township.id)} 起获「${item.nameZh}」赋权，以自身名义实施行政处罚；依据${basis}。`;
    case 'penalising_body': {
      const body = agencies.get(answer.penalisingAgencyId ?? '')?.nameZh ?? '（未知单位）';
      return `「${item.nameZh}」经${item.transferBatch}划转（${item.transferDate}），处罚权由${body}行使，${township.nameZh}未获该事项赋权；依据${basis}。`;
    }
    case 'no_penalising_body':
      return `「${item.nameZh}」在${township.nameZh}没有处罚主体，属执法盲区，请提请综合行政执法指导办明确；依据${basis}。`;
  }
}
