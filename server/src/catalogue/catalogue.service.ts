import { Injectable } from '@nestjs/common';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import {
  AgencyKind,
  checkAmendment,
  latestVersion,
  Role,
  SocketEvent,
  responsibleFor,
  routeReferral,
  sameBoundary,
  todayInChina,
  versionInForce,
  type AmendBoundaryRequest,
  type BlindSpotReport,
  type Boundary,
  type BoundaryVersion,
  type CountyDirectory,
  type DelegationChangeRequest,
  type ItemDetail,
  type ItemPage,
  type ItemSearchQuery,
  type ItemSummary,
  type ReferralKind,
  type ResponsibilityAnswer,
  type RoutingDecision,
} from '@xietong/shared';
import { Agency } from '../agencies/agency.entity.js';
import { Conflict, NotFound, ValidationFailed } from '../common/errors.js';
import type { Actor } from '../common/policy/actor.js';
import { PolicyService } from '../common/policy/policy.service.js';
import { RealtimeBus } from '../realtime/realtime.bus.js';
import { User } from '../users/user.entity.js';
import { BoundaryVersionRecord, EnforcementItem } from './catalogue.entity.js';
import {
  agencyRef,
  explainResponsibility,
  toDomainVersion,
  toVersionView,
  type AgencyDirectory,
  type VersionRow,
  VERSION_COLUMNS_SQL,
  versionFromRow,
} from './catalogue.views.js';

/** How long the hot read paths may use a copy of the agency directory. */
const AGENCY_CACHE_MS = 5_000;

interface ItemFacts {
  id: string;
  code: string;
  nameZh: string;
  transferBatch: string;
  transferDate: string;
}

interface ItemVersionRow extends VersionRow {
  item_id: string;
  code: string;
  name_zh: string;
  transfer_batch: string;
  transfer_date: string;
}

@Injectable()
export class CatalogueService {
  constructor(
    private readonly em: EntityManager,
    private readonly policy: PolicyService,
    private readonly realtime: RealtimeBus,
  ) {}

  async agencies(em: EntityManager = this.em): Promise<AgencyDirectory> {
    const all = await em.find(Agency, {});
    return new Map(all.map((a) => [a.id, a]));
  }

  /**
   * The agency directory for read paths that run often (the responsibility question, routing):
   * agencies change rarely, so a copy a few seconds old is fine and saves a query per question.
   */
  private cachedAgencies: { at: number; directory: AgencyDirectory } | undefined;
  async recentAgencies(): Promise<AgencyDirectory> {
    const now = Date.now();
    if (!this.cachedAgencies || now - this.cachedAgencies.at > AGENCY_CACHE_MS) {
      // Not a fork: called inside a caller's transaction, a fork would need a second pooled
      // connection, and a saturated pool would then wait on itself.
      this.cachedAgencies = { at: now, directory: await this.agencies(this.em) };
    }
    return this.cachedAgencies.directory;
  }

  /** An item and all its versions in one query, as plain data: the hot path of routing. */
  private async itemWithVersions(
    code: string,
  ): Promise<{ item: ItemFacts; versions: (BoundaryVersion & { note: string })[] }> {
    const rows = await this.em.execute<ItemVersionRow[]>(
      `select i.id item_id, i.code, i.name_zh, i.transfer_batch, to_char(i.transfer_date, 'YYYY-MM-DD') transfer_date,
              ${VERSION_COLUMNS_SQL}
         from enforcement_item i left join boundary_version v on v.item_id = i.id
        where i.code = ? order by v.effective_from`,
      [code],
    );
    const first = rows[0];
    if (!first) throw new NotFound(`执法事项 ${code}`);
    const item = {
      id: first.item_id,
      code: first.code,
      nameZh: first.name_zh,
      transferBatch: first.transfer_batch,
      transferDate: first.transfer_date,
    };
    const versions = rows.filter((r) => r.id !== null).map(versionFromRow);
    return { item, versions };
  }

  /** Search by Chinese name, code or pinyin initials, optionally within a category. */
  async search(query: ItemSearchQuery): Promise<ItemPage> {
    const where: Record<string, unknown> = {};
    if (query.category) where.category = query.category;
    const q = query.q?.trim();
    if (q) {
      const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const or: Record<string, unknown>[] = [{ nameZh: { $ilike: like } }, { code: { $ilike: like } }];
      if (/^[a-z]+$/i.test(q)) or.push({ pinyinInitials: { $like: `%${q.toLowerCase()}%` } });
      where.$or = or;
    }
    const [items, total] = await this.em.findAndCount(EnforcementItem, where, {
      orderBy: { code: 'asc' },
      limit: query.limit,
      offset: query.offset,
    });
    const current = await this.currentVersions(items.map((i) => i.id));
    const agencies = await this.agencies();
    return { total, items: items.map((i) => this.summary(i, current.get(i.id), agencies)) };
  }

  async detail(code: string): Promise<ItemDetail> {
    const item = await this.item(code);
    const versions = await this.versionsOf(item.id);
    const agencies = await this.agencies();
    const today = todayInChina();
    const current = versions.find((v) => v.effectiveFrom <= today && (!v.effectiveTo || today < v.effectiveTo));
    return {
      ...this.summary(item, current, agencies),
      legalBasis: item.legalBasis,
      versions: versions.map((v) => toVersionView(v, agencies)),
    };
  }

  /** 谁负责: the supervising, approving and penalising agencies for an item in a township on a date. */
  async responsibility(code: string, townshipKey: string, date = todayInChina()): Promise<ResponsibilityAnswer> {
    const agencies = await this.recentAgencies();
    const township = this.township(agencies, townshipKey);
    const { item, versions } = await this.itemWithVersions(code);
    const answer = responsibleFor(versions, township.id, date);
    if (!answer) throw new NotFound(`「${item.nameZh}」在 ${date} 无生效的职责边界 (no boundary version in force)`);
    return {
      item: { id: item.id, code: item.code, nameZh: item.nameZh },
      township: agencyRef(agencies, township.id) as NonNullable<ReturnType<typeof agencyRef>>,
      date,
      version: {
        id: answer.version.id,
        version: answer.version.version,
        effectiveFrom: answer.version.effectiveFrom,
        effectiveTo: answer.version.effectiveTo,
        reason: answer.version.reason,
        note: answer.version.note,
      },
      supervising: agencyRef(agencies, answer.supervisingAgencyId),
      approving: agencyRef(agencies, answer.approvingAgencyId),
      penalising: agencyRef(agencies, answer.penalisingAgencyId),
      rule: answer.rule,
      explanation: explainResponsibility(item, township, answer, versions, agencies),
    };
  }

  /** Where a referral of this kind would go: the same rule that will route it. */
  async routePreview(
    code: string,
    kind: ReferralKind,
    townshipKey: string,
    date = todayInChina(),
  ): Promise<RoutingDecision> {
    const agencies = await this.recentAgencies();
    const township = this.township(agencies, townshipKey);
    const { versions } = await this.itemWithVersions(code);
    return this.routeWith(versions, kind, township.id, agencies, date);
  }

  /** Routing over versions the caller read already (a referral create reads them with its matter). */
  routeWith(
    versions: readonly BoundaryVersion[],
    kind: ReferralKind,
    townshipId: string,
    agencies: AgencyDirectory,
    date = todayInChina(),
  ): RoutingDecision {
    return routeReferral(kind, versions, townshipId, date, countyDirectory(agencies));
  }

  /** A new boundary version from a date; the previous one closes that day. Who and why are kept. */
  async amend(actor: Actor, code: string, input: AmendBoundaryRequest): Promise<ItemDetail> {
    this.policy.assertAttempt(actor, 'catalogue.amend');
    await this.em.transactional(async (em) => {
      const item = await em.findOne(EnforcementItem, { code }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!item) throw new NotFound(`执法事项 ${code}`);
      const versions = await em.find(BoundaryVersionRecord, { item: item.id }, { orderBy: { effectiveFrom: 'asc' } });
      const check = checkAmendment(versions.map(toDomainVersion), input.effectiveFrom);
      if (!check.ok) throw conflictOn('effectiveFrom', check.problem);
      const latest = latestVersion(versions);
      const agencies = await this.agencies(em);
      const next: Boundary = {
        supervisingAgencyId: pick(input.supervisingAgencyId, latest?.supervising?.id),
        approvingAgencyId: pick(input.approvingAgencyId, latest?.approving?.id),
        penalisingAgencyId: pick(input.penalisingAgencyId, latest?.penalising?.id),
        delegatedTownshipIds: [...new Set(input.delegatedTownshipIds ?? latest?.delegatedTownshipIds ?? [])],
        evidenceHandoffDuty: input.evidenceHandoffDuty ?? latest?.evidenceHandoffDuty ?? '',
        resultFeedbackDuty: input.resultFeedbackDuty ?? latest?.resultFeedbackDuty ?? '',
      };
      assertBoundaryAgencies(next, agencies);
      if (latest && sameBoundary(toDomainVersion(latest), next)) {
        throw new ValidationFailed([{ field: '(body)', message: '职责边界没有变化 (the boundary would not change)' }]);
      }
      if (check.closes) {
        const closing = versions.find((v) => v.id === check.closes?.id);
        if (closing) closing.effectiveTo = input.effectiveFrom;
      }
      em.create(BoundaryVersionRecord, {
        item,
        version: (latest?.version ?? 0) + 1,
        effectiveFrom: input.effectiveFrom,
        effectiveTo: null,
        supervising: next.supervisingAgencyId,
        approving: next.approvingAgencyId,
        penalising: next.penalisingAgencyId,
        delegatedTownshipIds: [...next.delegatedTownshipIds],
        evidenceHandoffDuty: next.evidenceHandoffDuty,
        resultFeedbackDuty: next.resultFeedbackDuty,
        reason: input.reason,
        note: input.note,
        causeRef: input.causeRef ?? null,
        createdBy: em.getReference(User, actor.userId),
      });
      item.updatedAt = new Date();
    });
    this.realtime.io?.emit(SocketEvent.CatalogueChanged, { codes: [code] });
    return this.detail(code);
  }

  /** Grant or take back one township's delegation from a date. */
  async changeDelegation(actor: Actor, code: string, input: DelegationChangeRequest): Promise<ItemDetail> {
    const item = await this.item(code);
    const latest = latestVersion(await this.versionsOf(item.id));
    const current = new Set(latest?.delegatedTownshipIds ?? []);
    if (input.action === 'grant') {
      if (current.has(input.townshipId)) throw conflictOn('townshipId', '该乡镇已获此事项赋权 (already delegated)');
      current.add(input.townshipId);
    } else {
      if (!current.delete(input.townshipId)) throw conflictOn('townshipId', '该乡镇未获此事项赋权 (not delegated)');
    }
    return this.amend(actor, code, {
      effectiveFrom: input.effectiveFrom,
      reason: 'delegation_change',
      note: input.note,
      delegatedTownshipIds: [...current],
    });
  }

  /** 执法盲区: where nobody supervises, nobody penalises, or a delegation has nobody to carry it. */
  async blindSpots(date = todayInChina()): Promise<BlindSpotReport> {
    const agencies = await this.agencies();
    const townships = [...agencies.values()].filter((a) => a.kind === AgencyKind.Township);
    const items = await this.em.find(EnforcementItem, {}, { orderBy: { code: 'asc' } });
    const byItem = new Map<string, BoundaryVersionRecord[]>();
    for (const v of await this.em.find(BoundaryVersionRecord, {}, { orderBy: { effectiveFrom: 'asc' } })) {
      const list = byItem.get(v.item.id) ?? [];
      list.push(v);
      byItem.set(v.item.id, list);
    }
    const staffed = new Set(
      (
        await this.em.find(User, { active: true, roles: { $contains: [Role.TownshipStaff] } }, { fields: ['agency'] })
      ).map((u) => u.agency.id),
    );
    const monthAgo = new Date(Date.parse(`${date}T00:00:00Z`) - 30 * 86400_000).toISOString().slice(0, 10);
    const report: BlindSpotReport = {
      date,
      noSupervisingAgency: [],
      delegatedWithoutTownshipStaff: [],
      changedRecently: [],
      noPenalisingBody: [],
    };
    for (const item of items) {
      const versions = byItem.get(item.id) ?? [];
      const current = versionInForce(versions.map(toDomainVersion), date);
      const ref = { code: item.code, nameZh: item.nameZh };
      for (const v of versions) {
        if (v.version > 1 && v.effectiveFrom > monthAgo && v.effectiveFrom <= date) {
          report.changedRecently.push({ ...ref, effectiveFrom: v.effectiveFrom, reason: v.reason });
        }
      }
      if (!current) continue;
      if (!current.supervisingAgencyId) report.noSupervisingAgency.push(ref);
      for (const t of current.delegatedTownshipIds) {
        const township = agencyRef(agencies, t);
        if (township && !staffed.has(t)) report.delegatedWithoutTownshipStaff.push({ ...ref, township });
      }
      if (!current.penalisingAgencyId) {
        const uncovered = townships.filter((t) => !current.delegatedTownshipIds.includes(t.id));
        if (uncovered.length > 0) {
          report.noPenalisingBody.push({
            ...ref,
            townships: uncovered.flatMap((t) => agencyRef(agencies, t.id) ?? []),
          });
        }
      }
    }
    return report;
  }

  // -------------------------------------------------------------------------------------------

  private async item(code: string): Promise<EnforcementItem> {
    const item = await this.em.findOne(EnforcementItem, { code });
    if (!item) throw new NotFound(`执法事项 ${code}`);
    return item;
  }

  private versionsOf(itemId: string): Promise<BoundaryVersionRecord[]> {
    return this.em.find(
      BoundaryVersionRecord,
      { item: itemId },
      { orderBy: { effectiveFrom: 'asc' }, populate: ['createdBy'] },
    );
  }

  /** The version in force today for each item (or none). */
  private async currentVersions(itemIds: string[]): Promise<Map<string, BoundaryVersionRecord>> {
    if (itemIds.length === 0) return new Map();
    const today = todayInChina();
    const rows = await this.em.find(
      BoundaryVersionRecord,
      {
        item: { $in: itemIds },
        effectiveFrom: { $lte: today },
        $or: [{ effectiveTo: null }, { effectiveTo: { $gt: today } }],
      },
      { populate: ['createdBy'] },
    );
    return new Map(rows.map((v) => [v.item.id, v]));
  }

  private summary(
    item: EnforcementItem,
    current: BoundaryVersionRecord | undefined,
    agencies: AgencyDirectory,
  ): ItemSummary {
    return {
      id: item.id,
      code: item.code,
      nameZh: item.nameZh,
      category: item.category,
      transferBatch: item.transferBatch,
      transferDate: item.transferDate,
      pinyinInitials: item.pinyinInitials,
      current: current ? toVersionView(current, agencies) : null,
    };
  }

  /** A township by id or code, or a 400 naming `township`. */
  resolveTownship(agencies: AgencyDirectory, key: string): Agency {
    return this.township(agencies, key);
  }

  /** The boundary version of an item in force on a date, as an entity (a matter keeps it). */
  versionRecordInForce(em: EntityManager, itemId: string, date: string): Promise<BoundaryVersionRecord | null> {
    return em.findOne(BoundaryVersionRecord, {
      item: itemId,
      effectiveFrom: { $lte: date },
      $or: [{ effectiveTo: null }, { effectiveTo: { $gt: date } }],
    });
  }

  private township(agencies: AgencyDirectory, key: string): Agency {
    const found = agencies.get(key) ?? [...agencies.values()].find((a) => a.code === key);
    if (!found || found.kind !== AgencyKind.Township) {
      throw new ValidationFailed([{ field: 'township', message: `未知乡镇 "${key}" (unknown township id or code)` }]);
    }
    return found;
  }
}

/** The county's standing agencies, by kind: where referrals of fixed kinds go. */
export function countyDirectory(agencies: AgencyDirectory): CountyDirectory {
  const of = (kind: AgencyKind): string => {
    const found = [...agencies.values()].find((a) => a.kind === kind);
    if (!found) throw new Error(`the county has no ${kind}`);
    return found.id;
  };
  return {
    enforcementBureauId: of(AgencyKind.EnforcementBureau),
    publicSecurityId: of(AgencyKind.PublicSecurity),
    procuratorateId: of(AgencyKind.Procuratorate),
    courtId: of(AgencyKind.Court),
    guidanceOfficeId: of(AgencyKind.GuidanceOffice),
  };
}

/** Every agency a boundary names exists, and every delegation goes to a delegated township. */
export function assertBoundaryAgencies(b: Boundary, agencies: AgencyDirectory): void {
  const problems: { field: string; message: string }[] = [];
  const known = (field: string, id: string | null) => {
    if (id && !agencies.has(id)) problems.push({ field, message: '未知单位 (unknown agency)' });
  };
  known('supervisingAgencyId', b.supervisingAgencyId);
  known('approvingAgencyId', b.approvingAgencyId);
  known('penalisingAgencyId', b.penalisingAgencyId);
  b.delegatedTownshipIds.forEach((id, i) => {
    const a = agencies.get(id);
    if (!a || a.kind !== AgencyKind.Township || !a.delegated) {
      problems.push({ field: `delegatedTownshipIds.${i}`, message: '不是赋权乡镇 (not a delegated township)' });
    }
  });
  if (problems.length > 0) throw new ValidationFailed(problems);
}

function pick(given: string | null | undefined, fallback: string | undefined): string | null {
  return given === undefined ? (fallback ?? null) : given;
}

function conflictOn(field: string, message: string): Conflict {
  const e = new Conflict(message);
  e.details = [{ field, message }];
  return e;
}
