import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  CHANNEL_KIND_LABELS,
  CHANNEL_KINDS,
  EXECUTION_OUTCOME_LABELS,
  EXECUTION_OUTCOMES,
  disclosureLate,
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

/** Sections this server computes; any other belongs to a capability not built here yet. */
const AVAILABLE: readonly StatisticsSectionKey[] = [
  'matters',
  'referrals',
  'clocks',
  'disputes',
  'workload',
  'joint_interviews',
  'reviews',
  'court_applications',
  'disclosures',
  'channels',
];

/**
 * Figures for leadership. Matter and referral figures read the rollups (`stats_matter_fact`,
 * `stats_referral_fact`, refreshed by a queue job); the workflows' tables (disputes, interviews,
 * reviews, court applications, disclosures) and users are small and read live; channel messages
 * read the `stats_channel_fact` rollup (by channel and day, `stats_channel_day`, when no agency scopes them).
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
    // Every section at once: the answer costs its slowest section, not their sum.
    const [
      matters,
      { referrals, clocks },
      disputes,
      workload,
      refreshed,
      jointInterviews,
      reviews,
      courtApplications,
      disclosures,
      channels,
    ] = await Promise.all([
      this.matters(em, filter, previous),
      this.referrals(em, filter, previous, byId),
      this.disputes(em, filter),
      this.workload(em, filter, byId),
      em.findOne(SystemMarker, { key: ROLLUP_MARKER }),
      this.jointInterviews(em, filter),
      this.reviews(em, filter),
      this.courtApplications(em, filter),
      this.disclosures(em, filter),
      this.channels(em, filter),
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
      joint_interviews: jointInterviews,
      reviews,
      court_applications: courtApplications,
      disclosures,
      channels,
    };
  }

  /**
   * Rebuilds the rollups from the source tables, concurrently: readers are never blocked. A bulk
   * load nobody reads yet (the province generator) may rebuild them outright, several times faster.
   */
  async refreshRollups(opts: { concurrently?: boolean } = {}): Promise<{ refreshedAt: string; tookMs: number }> {
    const started = Date.now();
    const em = this.em.fork();
    const how = opts.concurrently === false ? '' : ' concurrently';
    // Each day rollup after the rollup it is built from.
    for (const view of [
      'stats_matter_fact',
      'stats_matter_day',
      'stats_referral_fact',
      'stats_channel_fact',
      'stats_channel_day',
    ])
      await em.execute(`refresh materialized view${how} ${view}`);
    const at = new Date();
    const tookMs = Date.now() - started;
    await em.upsert(SystemMarker, { key: ROLLUP_MARKER, at, detail: { tookMs } });
    this.logger.log({ tookMs }, 'statistics rollups refreshed');
    return { refreshedAt: at.toISOString(), tookMs };
  }

  // ---- sections -------------------------------------------------------------------------

  /** One scan of the matter rollup for both periods: by category and procedure, and the flags. */
  private async matters(
    em: EntityManager,
    f: StatisticsFilter,
    prev: StatisticsFilter,
  ): Promise<StatisticsView['matters']> {
    const where = bothPeriods('started_on', f, prev);
    const rows = await em.execute<
      { current: boolean; category: string; procedure: string; n: string; major: string; pil: string; crime: string }[]
    >(
      // Unscoped (the whole county, or the province), from the day-level counts: a few rows a day.
      f.agencyIds || f.townshipId
        ? `select started_on between ?::date and ?::date as current, category, procedure, count(*) n,
                  count(*) filter (where major_difficult) major, count(*) filter (where public_interest_clue) pil,
                  count(*) filter (where suspected_crime) crime
             from stats_matter_fact where ${where.sql} group by 1, 2, 3 order by 2`
        : `select started_on between ?::date and ?::date as current, category, procedure, sum(n) n,
                  sum(major) major, sum(pil) pil, sum(crime) crime
             from stats_matter_day where ${where.sql} group by 1, 2, 3 order by 2`,
      [f.from, f.to, ...where.params],
    );
    const categories = new Map<string, { category: string; general: number; simple: number; total: number }>();
    const flagged = { majorDifficult: 0, publicInterestClue: 0, suspectedCrime: 0 };
    const before = { general: 0, simple: 0 };
    for (const r of rows) {
      const n = Number(r.n);
      const procedure = r.procedure === 'general' ? 'general' : 'simple';
      if (!r.current) {
        before[procedure] += n;
        continue;
      }
      const c = categories.get(r.category) ?? { category: r.category, general: 0, simple: 0, total: 0 };
      c[procedure] += n;
      c.total += n;
      categories.set(r.category, c);
      flagged.majorDifficult += Number(r.major);
      flagged.publicInterestClue += Number(r.pil);
      flagged.suspectedCrime += Number(r.crime);
    }
    const byCategory = [...categories.values()].sort((a, b) => b.total - a.total);
    const general = byCategory.reduce((s, c) => s + c.general, 0);
    const simple = byCategory.reduce((s, c) => s + c.simple, 0);
    return {
      total: general + simple,
      general,
      simple,
      growth: {
        total: growth(general + simple, before.general + before.simple),
        general: growth(general, before.general),
        simple: growth(simple, before.simple),
      },
      byCategory,
      flagged,
    };
  }

  /** Two scans of the referral rollup: totals, times, returns and clocks; then the groupings. */
  private async referrals(
    em: EntityManager,
    f: StatisticsFilter,
    prev: StatisticsFilter,
    agencies: Map<string, AgencyRow>,
  ): Promise<{ referrals: StatisticsView['referrals']; clocks: StatisticsView['clocks'] }> {
    const where = bothPeriods('day', f, prev);
    // Validated YYYY-MM-DD dates: safe to inline, and it keeps the FILTER clauses readable.
    const cur = `day between '${f.from}'::date and '${f.to}'::date`;
    const hoursTo = (col: string) => `extract(epoch from ${col} - delivered_at)`;
    const [totalsRow] = await inMemory<Record<string, string | number | null>>(
      em,
      `select count(*) filter (where ${cur}) total, count(*) filter (where not (${cur})) previous,
              count(*) filter (where ${cur} and returns > 0) returned,
              count(signed_at) filter (where ${cur}) signed, count(accepted_at) filter (where ${cur}) accepted,
              percentile_cont(0.5) within group (order by ${hoursTo('signed_at')}) filter (where ${cur}) sign_p50,
              percentile_cont(0.9) within group (order by ${hoursTo('signed_at')}) filter (where ${cur}) sign_p90,
              percentile_cont(0.5) within group (order by ${hoursTo('accepted_at')}) filter (where ${cur}) accept_p50,
              percentile_cont(0.9) within group (order by ${hoursTo('accepted_at')}) filter (where ${cur}) accept_p90,
              ${RETURN_REASONS.map((r) => `coalesce(sum(ret_${r}) filter (where ${cur}), 0) ${r}`).join(', ')},
              ${CLOCK_COLUMNS.map((c) => `coalesce(sum(${c}) filter (where ${cur}), 0) clock_${c}`).join(', ')}
         from stats_referral_fact where ${where.sql}`,
      where.params,
    );
    const current = referralWhere(f);
    const groups = await em.execute<{ kind: string | null; from_id: string | null; to_id: string | null; n: string }[]>(
      `select kind, from_agency_id::text from_id, to_agency_id::text to_id, count(*) n
         from stats_referral_fact where ${current.sql}
        group by grouping sets ((kind), (from_agency_id), (to_agency_id)) order by count(*) desc`,
      current.params,
    );
    const t = totalsRow ?? {};
    const num = (k: string): number => Number(t[k] ?? 0);
    const hours = (k: string): number | null =>
      t[k] === null || t[k] === undefined ? null : round1(Number(t[k]) / 3600);
    const total = num('total');
    const byAgency = (rows: { id: string; n: string }[]) =>
      rows
        .map((r) => ({
          agencyId: r.id,
          code: agencies.get(r.id)?.code ?? '',
          name: agencies.get(r.id)?.name_zh ?? r.id,
          count: Number(r.n),
        }))
        .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
    const kindCount = new Map(groups.flatMap((g) => (g.kind ? [[g.kind, Number(g.n)] as const] : [])));
    return {
      referrals: {
        total,
        growth: growth(total, num('previous')),
        byKind: REFERRAL_KINDS.map((kind: ReferralKind) => ({
          kind,
          label: REFERRAL_KIND_LABELS[kind],
          count: kindCount.get(kind) ?? 0,
        })).filter((k) => k.count > 0),
        bySender: byAgency(groups.flatMap((g) => (g.from_id ? [{ id: g.from_id, n: g.n }] : []))),
        byReceiver: byAgency(groups.flatMap((g) => (g.to_id ? [{ id: g.to_id, n: g.n }] : []))),
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
      },
      clocks: {
        started: num('clock_clocks'),
        met: num('clock_met'),
        metOnTime: num('clock_met_on_time'),
        warned: num('clock_warned'),
        overdue: num('clock_overdue'),
        escalated: num('clock_escalated'),
      },
    };
  }

  /** The dispute workflow's records (`responsibility_dispute`, its positions): few rows, read live. */
  private async disputes(em: EntityManager, f: StatisticsFilter): Promise<StatisticsView['disputes']> {
    const w = liveWhere(f, 'd.created_at', ['d.agency_a_id', 'd.agency_b_id']);
    const rows = await em.execute<
      { pattern: string; state: string; code: string; name: string; positions: string; days: number | null }[]
    >(
      `select d.pattern, d.state, i.code, i.name_zh as name,
              (select count(*) from dispute_position p where p.dispute_id = d.id) positions,
              extract(epoch from d.ruled_at - d.created_at) / 86400 days
         from responsibility_dispute d
         join matter m on m.id = d.matter_id join enforcement_item i on i.id = m.item_id where ${w.sql}`,
      w.params,
    );
    const items = new Map<string, StatisticsView['disputes']['byItem'][number]>();
    for (const r of rows) {
      const it = items.get(r.code) ?? {
        itemCode: r.code,
        itemName: r.name,
        count: 0,
        bothRefuse: 0,
        bothClaim: 0,
        ruled: 0,
      };
      it.count++;
      if (r.pattern === 'both_refuse') it.bothRefuse++;
      else it.bothClaim++;
      if (r.state === 'ruled') it.ruled++;
      items.set(r.code, it);
    }
    const days = rows.flatMap((r) => (r.state === 'ruled' && r.days !== null ? [Number(r.days)] : []));
    return {
      opened: rows.length,
      bothRefuse: rows.filter((r) => r.pattern === 'both_refuse').length,
      bothClaim: rows.filter((r) => r.pattern === 'both_claim').length,
      // The dispute workflow's states: open → accepted → ruled.
      ruled: rows.filter((r) => r.state === 'ruled').length,
      stillOpen: rows.filter((r) => r.state !== 'ruled').length,
      accepted: rows.filter((r) => r.state === 'accepted').length,
      positions: rows.reduce((n, r) => n + Number(r.positions), 0),
      medianDaysToRuling: days.length ? round1(median(days)) : null,
      byItem: [...items.values()].sort((a, b) => b.count - a.count || a.itemCode.localeCompare(b.itemCode)),
    };
  }

  /** 共同约谈 organised in the period: by state; the rectification rate over verified follow-ups. */
  private async jointInterviews(em: EntityManager, f: StatisticsFilter): Promise<StatisticsView['joint_interviews']> {
    const w = liveWhere(f, 'coalesce(j.scheduled_at, j.created_at)', ['j.organiser_id'], 'j.matter_id', {
      table: 'interview_participant',
      key: 'interview_id',
      id: 'j.id',
    });
    const n = await countByState(em, 'joint_interview j', w);
    const rectified = n('rectified');
    const escalated = n('escalated');
    return {
      organised: n(),
      held: n('held', 'awaiting_rectification', 'rectified', 'escalated'),
      awaitingRectification: n('awaiting_rectification'),
      rectified,
      escalated,
      cancelled: n('cancelled'),
      rectificationRate: share(rectified, rectified + escalated),
    };
  }

  /** 检察监督: reviews of the reviewed agencies in scope, suggestions and their replies. */
  private async reviews(em: EntityManager, f: StatisticsFilter): Promise<StatisticsView['reviews']> {
    const w = liveWhere(f, 'r.created_at', ['r.bureau_id', 'r.police_agency_id'], 'r.matter_id');
    const [row] = await em.execute<Record<string, string>[]>(
      `select count(*) opened, count(*) filter (where state = 'in_review') in_review,
              count(*) filter (where opinion = 'no_objection') no_objection,
              count(*) filter (where opinion = 'suggestion') suggestions,
              count(*) filter (where opinion = 'suggestion' and replied_at is not null) replied,
              count(*) filter (where state = 'awaiting_reply') awaiting_reply,
              count(*) filter (where opinion = 'public_interest_litigation') pil,
              count(*) filter (where police_agency_id is not null) filing
         from procuratorate_review r where ${w.sql}`,
      w.params,
    );
    const v = (k: string): number => Number(row?.[k] ?? 0);
    return {
      opened: v('opened'),
      inReview: v('in_review'),
      noObjection: v('no_objection'),
      suggestions: v('suggestions'),
      replied: v('replied'),
      awaitingReply: v('awaiting_reply'),
      replyRate: share(v('replied'), v('suggestions')),
      publicInterestLitigation: v('pil'),
      filingSupervision: v('filing'),
    };
  }

  /** 申请强制执行: applications of the applicants in scope, by state and execution outcome. */
  private async courtApplications(
    em: EntityManager,
    f: StatisticsFilter,
  ): Promise<StatisticsView['court_applications']> {
    const w = liveWhere(f, 'e.created_at', ['e.applicant_id', 'e.court_id'], 'e.matter_id');
    const n = await countByState(em, 'enforcement_application e', w);
    const outcomes = await em.execute<{ outcome: string; n: string }[]>(
      `select execution_outcome::text outcome, count(*) n from enforcement_application e
        where ${w.sql} and execution_outcome is not null group by 1`,
      w.params,
    );
    const granted = n('granted', 'executed');
    const refused = n('refused');
    return {
      applications: n(),
      applied: n('applied', 'accepted', 'not_accepted', 'granted', 'refused', 'executed'),
      accepted: n('accepted', 'granted', 'refused', 'executed'),
      notAccepted: n('not_accepted'),
      granted,
      refused,
      executed: n('executed'),
      withdrawn: n('withdrawn'),
      grantedRate: share(granted, granted + refused),
      byOutcome: EXECUTION_OUTCOMES.map((outcome) => ({
        outcome,
        label: EXECUTION_OUTCOME_LABELS[outcome],
        count: Number(outcomes.find((o) => o.outcome === outcome)?.n ?? 0),
      })).filter((o) => o.count > 0),
    };
  }

  /** 行政执法公示: decisions of the period, published on time, late, or still overdue (shared rule). */
  private async disclosures(em: EntityManager, f: StatisticsFilter): Promise<StatisticsView['disclosures']> {
    const w = liveWhere(f, null, ['d.agency_id'], 'd.matter_id');
    const rows = await em.execute<{ state: string; due_on: string; published_on: string | null; n: string }[]>(
      `select d.state::text state, to_char(d.due_on, 'YYYY-MM-DD') due_on,
              to_char((d.published_at at time zone 'Asia/Shanghai')::date, 'YYYY-MM-DD') published_on, count(*) n
         from disclosure d where d.decided_on between ?::date and ?::date and ${w.sql} group by 1, 2, 3`,
      [f.from, f.to, ...w.params],
    );
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const out = { due: 0, published: 0, publishedOnTime: 0, publishedLate: 0, overdue: 0, queued: 0, withdrawn: 0 };
    for (const r of rows) {
      const n = Number(r.n);
      if (r.state === 'withdrawn') {
        out.withdrawn += n;
        continue;
      }
      out.due += n;
      const late = disclosureLate(r.due_on, today, r.published_on);
      if (r.state === 'published') {
        out.published += n;
        if (late) out.publishedLate += n;
        else out.publishedOnTime += n;
      } else if (late) out.overdue += n;
      else out.queued += n;
    }
    return { ...out, lateShare: share(out.publishedLate + out.overdue, out.due) };
  }

  /** 协同沟通: people's messages per channel kind, from the channel rollup, with acknowledgement latency. */
  private async channels(em: EntityManager, f: StatisticsFilter): Promise<StatisticsView['channels']> {
    const params: unknown[] = [f.from, f.to];
    let sql = 'day between ?::date and ?::date';
    if (f.townshipId) {
      sql += ' and township_id = ?';
      params.push(f.townshipId);
    }
    if (f.agencyIds) {
      sql += ' and sender_agency_id = any(?::uuid[])';
      params.push(pgArray(f.agencyIds));
    }
    // Without an agency scope, one row per channel and day (the same messages and minutes, summed).
    const [from, messages] = f.agencyIds ? ['stats_channel_fact', 'count(*)'] : ['stats_channel_day', 'sum(messages)'];
    const requiring = f.agencyIds ? 'count(*) filter (where requires_ack)' : 'sum(requiring)';
    const [counts, rows] = await Promise.all([
      em.execute<Record<string, string>[]>(
        `select kind, count(distinct channel_id) channels, ${messages} messages, ${requiring} requiring,
                coalesce(sum(acks), 0) acks, coalesce(sum(pending_acks), 0) pending
           from ${from} where ${sql} group by 1`,
        params,
      ),
      // Latency over every acknowledgement given (a message carries one per recipient who acknowledged).
      inMemory<{ kind: string; p50: number | null; p90: number | null }>(
        em,
        `select kind, percentile_cont(0.5) within group (order by minutes) p50,
                percentile_cont(0.9) within group (order by minutes) p90
           from ${from}, unnest(ack_minutes) minutes where ${sql} group by 1`,
        params,
      ),
    ]);
    const byKind = CHANNEL_KINDS.map((kind) => {
      const c = counts.find((r) => r.kind === kind);
      const l = rows.find((r) => r.kind === kind);
      const minutes = (v: string | number | null | undefined): number | null =>
        v === null || v === undefined ? null : round1(Number(v));
      return {
        kind,
        label: CHANNEL_KIND_LABELS[kind],
        channels: Number(c?.channels ?? 0),
        messages: Number(c?.messages ?? 0),
        requiringAck: Number(c?.requiring ?? 0),
        acks: Number(c?.acks ?? 0),
        pendingAcks: Number(c?.pending ?? 0),
        ackMedianMinutes: minutes(l?.p50),
        ackP90Minutes: minutes(l?.p90),
      };
    }).filter((k) => k.messages > 0);
    return {
      messages: byKind.reduce((n, k) => n + k.messages, 0),
      requiringAck: byKind.reduce((n, k) => n + k.requiringAck, 0),
      byKind,
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

/**
 * The filter of a section read live from a workflow's table: the period on `dateExpr` (its day in
 * China Standard Time; null: the caller filters the period), the agencies in scope on any of
 * `agencyColumns` (or as a participant), the township through the matter.
 */
function liveWhere(
  f: StatisticsFilter,
  dateExpr: string | null,
  agencyColumns: string[],
  matterColumn = 'd.matter_id',
  participants?: { table: string; key: string; id: string },
): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (dateExpr) {
    parts.push(`(${dateExpr} at time zone 'Asia/Shanghai')::date between ?::date and ?::date`);
    params.push(f.from, f.to);
  }
  if (f.townshipId) {
    parts.push(`exists (select 1 from matter tm where tm.id = ${matterColumn} and tm.township_id = ?)`);
    params.push(f.townshipId);
  }
  if (f.agencyIds) {
    const any = agencyColumns.map((c) => `${c} = any(?::uuid[])`);
    if (participants)
      any.push(
        `exists (select 1 from ${participants.table} pa where pa.${participants.key} = ${participants.id} and pa.agency_id = any(?::uuid[]))`,
      );
    parts.push(`(${any.join(' or ')})`);
    for (let i = 0; i < any.length; i++) params.push(pgArray(f.agencyIds));
  }
  return { sql: parts.length ? parts.join(' and ') : 'true', params };
}

/**
 * A query whose percentiles sort many values (a province's acknowledgements: hundreds of
 * thousands): with room to sort in memory rather than in temporary files, in its own
 * transaction so the setting ends with it.
 */
async function inMemory<T extends object>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  return em.fork().transactional(async (tx) => {
    await tx.execute(`set local work_mem = '64MB'`);
    return tx.execute<T[]>(sql, params);
  });
}

/** Counts a workflow table's rows by state; the returned function sums the states asked (none: all). */
async function countByState(
  em: EntityManager,
  table: string,
  w: { sql: string; params: unknown[] },
): Promise<(...states: string[]) => number> {
  const rows = await em.execute<{ state: string; n: string }[]>(
    `select state, count(*) n from ${table} where ${w.sql} group by state`,
    w.params,
  );
  return (...states) =>
    rows.filter((r) => states.length === 0 || states.includes(r.state)).reduce((n, r) => n + Number(r.n), 0);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = (s.length - 1) / 2;
  return ((s[Math.floor(mid)] ?? 0) + (s[Math.ceil(mid)] ?? 0)) / 2;
}

function matterWhere(f: StatisticsFilter): { sql: string; params: unknown[] } {
  const scope = scopeOf(f, 'matter');
  return { sql: `started_on between ?::date and ?::date${scope.sql}`, params: [f.from, f.to, ...scope.params] };
}

const CLOCK_COLUMNS = ['clocks', 'met', 'met_on_time', 'warned', 'overdue', 'escalated'];

/** Rows of the period or of the same period a year earlier (one scan for both). */
function bothPeriods(
  dateColumn: string,
  f: StatisticsFilter,
  prev: StatisticsFilter,
): { sql: string; params: unknown[] } {
  const scope = scopeOf(f, dateColumn === 'day' ? 'referral' : 'matter');
  return {
    sql: `(${dateColumn} between ?::date and ?::date or ${dateColumn} between ?::date and ?::date)${scope.sql}`,
    params: [f.from, f.to, prev.from, prev.to, ...scope.params],
  };
}

function scopeOf(f: StatisticsFilter, kind: 'matter' | 'referral'): { sql: string; params: unknown[] } {
  let sql = '';
  const params: unknown[] = [];
  if (f.townshipId) {
    sql += ' and township_id = ?';
    params.push(f.townshipId);
  }
  if (f.agencyIds && kind === 'matter') {
    sql += ' and agency_ids && ?::uuid[]';
    params.push(pgArray(f.agencyIds));
  }
  if (f.agencyIds && kind === 'referral') {
    sql += ' and (from_agency_id = any(?::uuid[]) or to_agency_id = any(?::uuid[]))';
    params.push(pgArray(f.agencyIds), pgArray(f.agencyIds));
  }
  return { sql, params };
}

function referralWhere(f: StatisticsFilter): { sql: string; params: unknown[] } {
  const scope = scopeOf(f, 'referral');
  return { sql: `day between ?::date and ?::date${scope.sql}`, params: [f.from, f.to, ...scope.params] };
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
