import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  REFERRAL_KIND_LABELS,
  REFERRAL_KINDS,
  RETURN_REASON_LABELS,
  RETURN_REASONS,
  STATISTICS_SECTIONS,
  WORKLOAD_BANDS,
  growthText,
  sameDayYearBefore,
  share,
  workloadBand,
  type ReferralKind,
  type ReturnReason,
  type StatisticsQuery,
  type StatisticsSectionKey,
  type StatisticsView,
} from '@xietong/shared';
import { NotFound, ValidationFailed } from '../common/errors.js';
import type { Actor } from '../common/policy/actor.js';
import { seesCountyStatistics } from '../common/policy/policies.js';
import { PolicyService } from '../common/policy/policy.service.js';
import { SystemMarker } from '../database/system-marker.entity.js';

/** What every section's queries filter by: the period, and the agencies / township in scope. */
export interface StatisticsFilter {
  from: string;
  to: string;
  /** the agencies whose figures these are (an agency and the units under it); null: county-wide */
  agencyIds: string[] | null;
  townshipId: string | null;
}

interface AgencyRow {
  id: string;
  code: string;
  kind: string;
  name_zh: string;
  parent_id: string | null;
}

export const ROLLUP_MARKER = 'statistics.rollup';
const OFFICER_ROLES = ['case_officer', 'township_staff'];

/** Sections this server computes; the others belong to capabilities not built here yet. */
const AVAILABLE: readonly StatisticsSectionKey[] = ['matters', 'referrals', 'clocks', 'disputes', 'workload'];

/**
 * Figures for leadership. Matter and referral figures read the rollups (`stats_matter_fact`,
 * `stats_referral_fact`, refreshed by a queue job); disputes and users are small and read live.
 * Each section is one method, so the capabilities still to come add theirs beside these.
 */
@Injectable()
export class StatisticsService {
  private readonly logger = new Logger(StatisticsService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly policy: PolicyService,
  ) {}

  /** Resolves and authorises the scope, then computes every available section. */
  async statistics(
    actor: Actor,
    query: StatisticsQuery,
    policy: 'statistics.read' | 'report.annual' = 'statistics.read',
  ): Promise<StatisticsView> {
    const agencies = await this.agencies();
    const byId = new Map(agencies.map((a) => [a.id, a]));
    const find = (ref: string, field: string): AgencyRow => {
      const hit = byId.get(ref) ?? agencies.find((a) => a.code === ref);
      if (!hit) throw new ValidationFailed([{ field, message: `未知单位: ${ref} (unknown agency)` }]);
      return hit;
    };
    const caller = byId.get(actor.agencyId);
    if (!caller) throw new NotFound('agency');
    const countyWide = seesCountyStatistics(actor, caller.kind);
    // An agency head without ?agency= sees their own agency; the county-wide roles see the county.
    const requested = query.agency ? find(query.agency, 'agency') : countyWide ? null : caller;
    this.policy.authorize(actor, policy, {
      agencyId: requested?.id ?? null,
      ancestorIds: requested ? ancestors(requested, byId) : [],
      callerAgencyKind: caller.kind,
    });
    const township = query.township ? find(query.township, 'township') : null;
    if (township && township.kind !== 'township')
      throw new ValidationFailed([{ field: 'township', message: '须为乡镇（街道）(must be a township)' }]);

    const lastYear = new Date().getFullYear() - 1;
    const from = query.from ?? `${lastYear}-01-01`;
    const to = query.to ?? `${lastYear}-12-31`;
    const filter: StatisticsFilter = {
      from,
      to,
      agencyIds: requested ? subtree(requested.id, agencies) : null,
      townshipId: township?.id ?? null,
    };
    const previous: StatisticsFilter = { ...filter, from: sameDayYearBefore(from), to: sameDayYearBefore(to) };
    const em = this.em.fork();
    const [matters, referrals, clocks, disputes, workload, refreshed] = await Promise.all([
      this.matters(em, filter, previous),
      this.referrals(em, filter, previous, byId),
      this.clocks(em, filter),
      this.disputes(em, filter),
      this.workload(em, filter, byId),
      em.findOne(SystemMarker, { key: ROLLUP_MARKER }),
    ]);
    return {
      period: { from, to, previousFrom: previous.from, previousTo: previous.to },
      scope: {
        countyWide: filter.agencyIds === null,
        agencies: requested ? [{ id: requested.id, name: requested.name_zh }] : [],
        township: township ? { id: township.id, name: township.name_zh } : null,
      },
      rollupRefreshedAt: refreshed?.at.toISOString() ?? null,
      sections: {
        available: [...AVAILABLE],
        pending: STATISTICS_SECTIONS.map((s) => s.key).filter((k) => !AVAILABLE.includes(k)),
      },
      matters,
      referrals,
      clocks,
      disputes,
      workload,
    };
  }

  /** Rebuilds the rollups from the source tables (concurrently: readers are never blocked). */
  async refreshRollups(): Promise<{ refreshedAt: string; tookMs: number }> {
    const started = Date.now();
    const em = this.em.fork();
    await em.execute('refresh materialized view concurrently stats_matter_fact');
    await em.execute('refresh materialized view concurrently stats_referral_fact');
    const at = new Date();
    const tookMs = Date.now() - started;
    await em.upsert(SystemMarker, { key: ROLLUP_MARKER, at, detail: { tookMs } });
    this.logger.log({ tookMs }, 'statistics rollups refreshed');
    return { refreshedAt: at.toISOString(), tookMs };
  }

  // ---- sections -------------------------------------------------------------------------

  private async matters(
    em: EntityManager,
    f: StatisticsFilter,
    prev: StatisticsFilter,
  ): Promise<StatisticsView['matters']> {
    const where = matterWhere(f);
    const rows = await em.execute<{ category: string; procedure: string; n: string }[]>(
      `select category, procedure, count(*) n from stats_matter_fact where ${where.sql}
        group by category, procedure order by category`,
      where.params,
    );
    const flags = await em.execute<{ major: string; pil: string; crime: string }[]>(
      `select count(*) filter (where major_difficult) major, count(*) filter (where public_interest_clue) pil,
              count(*) filter (where suspected_crime) crime from stats_matter_fact where ${where.sql}`,
      where.params,
    );
    const prevWhere = matterWhere(prev);
    const before = await em.execute<{ procedure: string; n: string }[]>(
      `select procedure, count(*) n from stats_matter_fact where ${prevWhere.sql} group by procedure`,
      prevWhere.params,
    );
    const categories = new Map<string, { category: string; general: number; simple: number; total: number }>();
    for (const r of rows) {
      const c = categories.get(r.category) ?? { category: r.category, general: 0, simple: 0, total: 0 };
      if (r.procedure === 'general') c.general += Number(r.n);
      else c.simple += Number(r.n);
      c.total += Number(r.n);
      categories.set(r.category, c);
    }
    const byCategory = [...categories.values()].sort((a, b) => b.total - a.total);
    const general = byCategory.reduce((s, c) => s + c.general, 0);
    const simple = byCategory.reduce((s, c) => s + c.simple, 0);
    const prevGeneral = Number(before.find((r) => r.procedure === 'general')?.n ?? 0);
    const prevSimple = Number(before.find((r) => r.procedure === 'simple')?.n ?? 0);
    const flag = flags[0];
    return {
      total: general + simple,
      general,
      simple,
      growth: {
        total: growth(general + simple, prevGeneral + prevSimple),
        general: growth(general, prevGeneral),
        simple: growth(simple, prevSimple),
      },
      byCategory,
      flagged: {
        majorDifficult: Number(flag?.major ?? 0),
        publicInterestClue: Number(flag?.pil ?? 0),
        suspectedCrime: Number(flag?.crime ?? 0),
      },
    };
  }

  private async referrals(
    em: EntityManager,
    f: StatisticsFilter,
    prev: StatisticsFilter,
    agencies: Map<string, AgencyRow>,
  ): Promise<StatisticsView['referrals']> {
    const where = referralWhere(f);
    const [totals] = await em.execute<Record<string, string | number | null>[]>(
      `select count(*) total,
              count(*) filter (where returns > 0) returned,
              count(signed_at) signed, count(accepted_at) accepted,
              percentile_cont(0.5) within group (order by extract(epoch from signed_at - delivered_at))
                filter (where signed_at is not null) sign_p50,
              percentile_cont(0.9) within group (order by extract(epoch from signed_at - delivered_at))
                filter (where signed_at is not null) sign_p90,
              percentile_cont(0.5) within group (order by extract(epoch from accepted_at - delivered_at))
                filter (where accepted_at is not null) accept_p50,
              percentile_cont(0.9) within group (order by extract(epoch from accepted_at - delivered_at))
                filter (where accepted_at is not null) accept_p90,
              coalesce(sum(ret_not_our_jurisdiction), 0) not_our_jurisdiction,
              coalesce(sum(ret_materials_incomplete), 0) materials_incomplete,
              coalesce(sum(ret_duplicate), 0) duplicate, coalesce(sum(ret_other), 0) other
         from stats_referral_fact where ${where.sql}`,
      where.params,
    );
    const grouped = async (column: 'kind' | 'from_agency_id' | 'to_agency_id') =>
      em.execute<{ key: string; n: string }[]>(
        `select ${column}::text key, count(*) n from stats_referral_fact where ${where.sql}
          group by ${column} order by count(*) desc, ${column}`,
        where.params,
      );
    const [kinds, senders, receivers] = await Promise.all([
      grouped('kind'),
      grouped('from_agency_id'),
      grouped('to_agency_id'),
    ]);
    const prevWhere = referralWhere(prev);
    const [before] = await em.execute<{ n: string }[]>(
      `select count(*) n from stats_referral_fact where ${prevWhere.sql}`,
      prevWhere.params,
    );
    const t = totals ?? {};
    const num = (k: string): number => Number(t[k] ?? 0);
    const hours = (k: string): number | null =>
      t[k] === null || t[k] === undefined ? null : round1(Number(t[k]) / 3600);
    const total = num('total');
    const byAgency = (rows: { key: string; n: string }[]) =>
      rows.map((r) => ({
        agencyId: r.key,
        code: agencies.get(r.key)?.code ?? '',
        name: agencies.get(r.key)?.name_zh ?? r.key,
        count: Number(r.n),
      }));
    const kindCount = new Map(kinds.map((k) => [k.key, Number(k.n)]));
    return {
      total,
      growth: growth(total, Number(before?.n ?? 0)),
      byKind: REFERRAL_KINDS.map((kind: ReferralKind) => ({
        kind,
        label: REFERRAL_KIND_LABELS[kind],
        count: kindCount.get(kind) ?? 0,
      })).filter((k) => k.count > 0),
      bySender: byAgency(senders),
      byReceiver: byAgency(receivers),
      delivered: total,
      timeToSign: { count: num('signed'), medianHours: hours('sign_p50'), p90Hours: hours('sign_p90') },
      timeToAccept: { count: num('accepted'), medianHours: hours('accept_p50'), p90Hours: hours('accept_p90') },
      returned: num('returned'),
      returnedRate: share(num('returned'), total),
      returnReasons: RETURN_REASONS.map((reason: ReturnReason) => ({
        reason,
        label: RETURN_REASON_LABELS[reason],
        count: num(reason),
      })).filter((r) => r.count > 0),
    };
  }

  private async clocks(em: EntityManager, f: StatisticsFilter): Promise<StatisticsView['clocks']> {
    const where = referralWhere(f);
    const [row] = await em.execute<Record<string, string>[]>(
      `select coalesce(sum(clocks), 0) started, coalesce(sum(warned), 0) warned, coalesce(sum(overdue), 0) overdue,
              coalesce(sum(escalated), 0) escalated, coalesce(sum(met), 0) met,
              coalesce(sum(met_on_time), 0) met_on_time
         from stats_referral_fact where ${where.sql}`,
      where.params,
    );
    return {
      started: Number(row?.started ?? 0),
      warned: Number(row?.warned ?? 0),
      overdue: Number(row?.overdue ?? 0),
      escalated: Number(row?.escalated ?? 0),
      met: Number(row?.met ?? 0),
      metOnTime: Number(row?.met_on_time ?? 0),
    };
  }

  /** The `responsibility_dispute` records (opened on a second not-ours return): few rows, read live. */
  private async disputes(em: EntityManager, f: StatisticsFilter): Promise<StatisticsView['disputes']> {
    const params: unknown[] = [f.from, f.to];
    let sql = `(d.created_at at time zone 'Asia/Shanghai')::date between ?::date and ?::date`;
    if (f.townshipId) {
      sql += ' and m.township_id = ?';
      params.push(f.townshipId);
    }
    if (f.agencyIds) {
      sql += ' and (d.agency_a_id = any(?::uuid[]) or d.agency_b_id = any(?::uuid[]))';
      params.push(pgArray(f.agencyIds), pgArray(f.agencyIds));
    }
    const rows = await em.execute<{ pattern: string; state: string; code: string; name: string }[]>(
      `select d.pattern, d.state, i.code, i.name_zh as name from responsibility_dispute d
         join matter m on m.id = d.matter_id join enforcement_item i on i.id = m.item_id where ${sql}`,
      params,
    );
    const items = new Map<string, { itemCode: string; itemName: string; count: number }>();
    for (const r of rows) {
      const it = items.get(r.code) ?? { itemCode: r.code, itemName: r.name, count: 0 };
      it.count++;
      items.set(r.code, it);
    }
    return {
      opened: rows.length,
      bothRefuse: rows.filter((r) => r.pattern === 'both_refuse').length,
      bothClaim: rows.filter((r) => r.pattern === 'both_claim').length,
      stillOpen: rows.filter((r) => r.state === 'open').length,
      byItem: [...items.values()].sort((a, b) => b.count - a.count || a.itemCode.localeCompare(b.itemCode)),
    };
  }

  /**
   * 办案量: matters each officer opened in the period (the officer who files a matter handles it),
   * counting every active case officer and township staffer in scope, including those with none.
   */
  private async workload(
    em: EntityManager,
    f: StatisticsFilter,
    agencies: Map<string, AgencyRow>,
  ): Promise<StatisticsView['workload']> {
    const where = matterWhere(f);
    const params: unknown[] = [...where.params, pgArray(OFFICER_ROLES)];
    let scope = '';
    if (f.agencyIds) {
      scope = ' and u.agency_id = any(?::uuid[])';
      params.push(pgArray(f.agencyIds));
    }
    const rows = await em.execute<{ id: string; name: string; agency_id: string; n: string }[]>(
      `with counts as (select created_by_id, count(*) n from stats_matter_fact where ${where.sql} group by created_by_id)
       select u.id, u.display_name name, u.agency_id, coalesce(c.n, 0) n
         from app_user u left join counts c on c.created_by_id = u.id
        where u.active and u.roles && ?::text[]${scope}
        order by coalesce(c.n, 0) desc, u.display_name`,
      params,
    );
    const byOfficer = rows.map((r) => ({
      userId: r.id,
      name: r.name,
      agencyId: r.agency_id,
      agencyName: agencies.get(r.agency_id)?.name_zh ?? '',
      matters: Number(r.n),
    }));
    const units = new Map<string, StatisticsView['workload']['units'][number]>();
    for (const o of byOfficer) {
      const u = units.get(o.agencyId) ?? {
        agencyId: o.agencyId,
        name: o.agencyName,
        officers: 0,
        matters: 0,
        perOfficer: 0,
        under10: 0,
      };
      u.officers++;
      u.matters += o.matters;
      if (workloadBand(o.matters) === 'under_10') u.under10++;
      units.set(o.agencyId, u);
    }
    for (const u of units.values()) u.perOfficer = round1(u.matters / u.officers);
    const matters = byOfficer.reduce((s, o) => s + o.matters, 0);
    const under10 = byOfficer.filter((o) => workloadBand(o.matters) === 'under_10').length;
    return {
      officers: byOfficer.length,
      matters,
      perOfficer: byOfficer.length ? round1(matters / byOfficer.length) : 0,
      under10,
      under10Share: share(under10, byOfficer.length),
      distribution: WORKLOAD_BANDS.map((b) => ({
        band: b.key,
        label: b.label,
        officers: byOfficer.filter((o) => workloadBand(o.matters) === b.key).length,
      })),
      units: [...units.values()].sort((a, b) => b.matters - a.matters),
      byOfficer,
    };
  }

  private async agencies(): Promise<AgencyRow[]> {
    return this.em
      .fork()
      .execute<AgencyRow[]>('select id, code, kind::text kind, name_zh, parent_id from agency order by code');
  }
}

function matterWhere(f: StatisticsFilter): { sql: string; params: unknown[] } {
  const params: unknown[] = [f.from, f.to];
  let sql = 'started_on between ?::date and ?::date';
  if (f.townshipId) {
    sql += ' and township_id = ?';
    params.push(f.townshipId);
  }
  if (f.agencyIds) {
    sql += ' and agency_ids && ?::uuid[]';
    params.push(pgArray(f.agencyIds));
  }
  return { sql, params };
}

function referralWhere(f: StatisticsFilter): { sql: string; params: unknown[] } {
  const params: unknown[] = [f.from, f.to];
  let sql = 'day between ?::date and ?::date';
  if (f.townshipId) {
    sql += ' and township_id = ?';
    params.push(f.townshipId);
  }
  if (f.agencyIds) {
    sql += ' and (from_agency_id = any(?::uuid[]) or to_agency_id = any(?::uuid[]))';
    params.push(pgArray(f.agencyIds), pgArray(f.agencyIds));
  }
  return { sql, params };
}

/** A PostgreSQL array literal of ids or role names (validated values: no quoting needed). */
const pgArray = (values: readonly string[]): string => `{${values.join(',')}}`;
const round1 = (n: number): number => Math.round(n * 10) / 10;
const growth = (current: number, previous: number) => ({ previous, ...growthText(current, previous) });

function ancestors(agency: AgencyRow, byId: Map<string, AgencyRow>): string[] {
  const out: string[] = [];
  let at = agency.parent_id ? byId.get(agency.parent_id) : undefined;
  while (at && !out.includes(at.id)) {
    out.push(at.id);
    at = at.parent_id ? byId.get(at.parent_id) : undefined;
  }
  return out;
}

function subtree(rootId: string, agencies: AgencyRow[]): string[] {
  const out = [rootId];
  for (let i = 0; i < out.length; i++) for (const a of agencies) if (a.parent_id === out[i]) out.push(a.id);
  return out;
}
