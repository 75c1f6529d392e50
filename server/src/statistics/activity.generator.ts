import { generateWorkflowActivity } from './workflow-activity.generator.js';
import {
  LEGAL_CLOCKS,
  REFERRAL_CLOCKS,
  ReferralKind,
  type ClockCode,
  type ReferralKind as Kind,
  type ReturnReason,
} from '@xietong/shared';

/**
 * A year of realistic activity for the demo county, from a seed: matters (about two thousand a
 * year, two general-procedure cases for each simple one, as in the handbook's report), referrals
 * with timelines (delivery, 签收 within hours, 受理 or 退回), legal clocks with their outcomes, a
 * few responsibility disputes, and officers with an uneven workload (a third in single digits).
 * Pure: it returns rows; the seeder writes them in bulk.
 */
export type Rng = () => number;

/** mulberry32: small, fast and the same on every machine. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratorAgency {
  id: string;
  code: string;
  kind: string;
  nameZh: string;
  delegated: boolean;
}
export interface GeneratorItem {
  id: string;
  versionId: string;
}
export interface GeneratorOfficer {
  id: string;
  agencyId: string;
}
export interface ActivityContext {
  agencies: GeneratorAgency[];
  items: GeneratorItem[];
  officers: GeneratorOfficer[];
  /** a user who acts for agencies without generated officers (liaisons, clerks) */
  actorsByAgency: Map<string, string>;
}
export interface YearPlan {
  year: number;
  general: number;
  simple: number;
}
/** A tag that keeps matter numbers of several generated counties (the benchmark) apart. */
export interface ActivityOptions {
  seed: number;
  years: YearPlan[];
  tag?: string;
  /** nothing happens after this instant (default: now); with the seed, it fixes the output */
  asOf?: number;
  /** the county named in company parties (default 龙游县) */
  countyName?: string;
  /** scales the share of matters that need another agency (default 1) */
  referralShare?: number;
  /** scales how much is said in channels: messages × this, 须确认 share ÷ this (default 1) */
  messageScale?: number;
}

export type Row = Record<string, unknown>;
export interface ActivityRows {
  matter: Row[];
  matter_agency: Row[];
  referral: Row[];
  timeline_entry: Row[];
  referral_clock: Row[];
  responsibility_dispute: Row[];
  dispute_position: Row[];
  joint_interview: Row[];
  interview_participant: Row[];
  enforcement_application: Row[];
  procuratorate_review: Row[];
  disclosure: Row[];
  channel: Row[];
  channel_member: Row[];
  channel_message: Row[];
  channel_ack: Row[];
}

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌浩宇晨欣雅俊鹏飞海燕玲兰凤云峰博翔龙婷雪琳';
const COMPANY_WORDS = ['鑫盛', '恒达', '宏远', '华美', '金丰', '永安', '瑞祥', '天成', '兴旺', '诚信', '顺发', '泰和'];
const COMPANY_KINDS = [
  '建材有限公司',
  '餐饮店',
  '装饰工程有限公司',
  '物流有限公司',
  '商贸有限公司',
  '汽车维修部',
  '农家乐',
];
const ROADS = ['荣昌路', '龙洲路', '太平路', '兴龙路', '西门街', '东华路', '灵江路', '文化路', '人民路', '翠光岩路'];
const FACTS = [
  '占用城市道路堆放物料',
  '未经批准擅自搭建建筑物',
  '违规设置户外广告',
  '餐饮油烟未经处理直接排放',
  '未按规定分类投放生活垃圾',
  '携犬出户未束犬链',
  '燃气瓶存放不符合安全要求',
  '夜间施工噪声扰民',
  '擅自倾倒建筑垃圾',
  '违法占用耕地',
];

/** A version-4 UUID drawn from the generator, so a seed reproduces the ids too. */
export function rngUuid(rng: Rng): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rng() * 16).toString(16));
  hex[12] = '4';
  hex[16] = (Math.floor(rng() * 4) + 8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)] as T;
export const chineseName = (rng: Rng): string =>
  pick(rng, [...SURNAMES]) + pick(rng, [...GIVEN]) + (rng() < 0.6 ? pick(rng, [...GIVEN]) : '');
/** log-normal hours with the given median and spread (p90 ≈ median · e^(1.28·sigma)) */
export const lognormalHours = (rng: Rng, median: number, sigma: number): number => {
  const u = Math.max(1e-9, rng());
  const v = rng();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return median * Math.exp(sigma * z);
};
export const HOUR = 3_600_000;

/** Referral kinds in their share of the year's referrals. */
const KIND_WEIGHTS: [Kind, number][] = [
  [ReferralKind.JurisdictionTransfer, 34],
  [ReferralKind.ApprovalFilesRequest, 18],
  [ReferralKind.SupervisionOpinionRequest, 14],
  [ReferralKind.PoliceAssistance, 12],
  [ReferralKind.CompulsoryEnforcement, 9],
  [ReferralKind.SuspectedCrimeTransfer, 5],
  [ReferralKind.SupervisionRequest, 4],
  [ReferralKind.PublicInterestPreReview, 4],
];
const RETURN_WEIGHTS: [ReturnReason, number][] = [
  ['not_our_jurisdiction', 50],
  ['materials_incomplete', 35],
  ['duplicate', 5],
  ['other', 10],
];
function weighted<T>(rng: Rng, table: [T, number][]): T {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let x = rng() * total;
  for (const [v, w] of table) if ((x -= w) < 0) return v;
  return table[table.length - 1]![0];
}

/** Matters per officer: a third of them under ten, the rest sharing the remainder unevenly. */
export function allocateWorkload(rng: Rng, officers: number, matters: number): number[] {
  const low = Math.ceil(officers / 3);
  const counts = Array.from({ length: officers }, (_, i) => (i < low ? Math.floor(rng() * 10) : 0));
  const rest = Math.max(0, matters - counts.reduce((s, n) => s + n, 0));
  const weights = counts.map((_, i) => (i < low ? 0 : 0.4 + rng() * rng() * 3));
  const sum = weights.reduce((s, w) => s + w, 0) || 1;
  let given = 0;
  for (let i = low; i < officers; i++) {
    counts[i] = Math.max(10, Math.floor((rest * (weights[i] ?? 0)) / sum));
    given += counts[i] ?? 0;
  }
  // Rounding: the busiest officers absorb the difference so the total is exact.
  let diff = rest - given;
  for (let i = officers - 1; diff !== 0 && i >= low; i = i === low ? officers - 1 : i - 1) {
    const step = diff > 0 ? 1 : (counts[i] ?? 0) > 10 ? -1 : 0;
    counts[i] = (counts[i] ?? 0) + step;
    diff -= step;
    if (step === 0 && diff < 0 && counts.slice(low).every((c) => c <= 10)) break;
  }
  return counts;
}

export function generateActivity(ctx: ActivityContext, opts: ActivityOptions): ActivityRows {
  const rows = generateCoreActivity(ctx, opts);
  return {
    ...rows,
    ...generateWorkflowActivity(ctx, rows, {
      seed: opts.seed,
      asOf: opts.asOf ?? Date.now(),
      messageScale: opts.messageScale ?? 1,
    }),
  };
}

type CoreRows = Pick<
  ActivityRows,
  'matter' | 'matter_agency' | 'referral' | 'timeline_entry' | 'referral_clock' | 'responsibility_dispute'
>;

function generateCoreActivity(ctx: ActivityContext, opts: ActivityOptions): CoreRows {
  const rng = seededRng(opts.seed);
  const out: CoreRows = {
    matter: [],
    matter_agency: [],
    referral: [],
    timeline_entry: [],
    referral_clock: [],
    responsibility_dispute: [],
  };
  const byCode = new Map(ctx.agencies.map((a) => [a.code, a]));
  const townships = ctx.agencies.filter((a) => a.kind === 'township');
  const delegated = townships.filter((a) => a.delegated);
  const lines = ctx.agencies.filter((a) => a.kind === 'line_department');
  const bureau = ctx.agencies.find((a) => a.kind === 'enforcement_bureau');
  const fixed = (code: string, kind: string) => byCode.get(code) ?? ctx.agencies.find((a) => a.kind === kind);
  const police = fixed('GAJ', 'public_security');
  const procuratorate = fixed('JCY', 'procuratorate');
  const court = fixed('FY', 'court');
  const actorOf = (agencyId: string): string | null => ctx.actorsByAgency.get(agencyId) ?? null;
  const agencyOf = new Map(ctx.officers.map((o) => [o.id, o.agencyId]));
  const receiverFor = (kind: Kind, origin: string): GeneratorAgency | undefined => {
    switch (kind) {
      case ReferralKind.JurisdictionTransfer:
        return townships.some((t) => t.id === origin) ? bureau : pick(rng, delegated.length ? delegated : townships);
      case ReferralKind.PoliceAssistance:
      case ReferralKind.SuspectedCrimeTransfer:
        return police;
      case ReferralKind.ApprovalFilesRequest:
      case ReferralKind.SupervisionOpinionRequest:
        return lines.length ? pick(rng, lines) : bureau;
      case ReferralKind.SupervisionRequest:
      case ReferralKind.PublicInterestPreReview:
        return procuratorate;
      case ReferralKind.CompulsoryEnforcement:
        return court;
    }
  };
  const tl = (e: {
    matter: string;
    referral: string | null;
    actor: string | null;
    agency: string | null;
    action: string;
    from: string | null;
    to: string | null;
    detail: Record<string, unknown>;
    at: Date;
  }) =>
    out.timeline_entry.push({
      id: rngUuid(rng),
      matter_id: e.matter,
      referral_id: e.referral,
      actor_id: e.actor,
      agency_id: e.agency,
      action: e.action,
      from_state: e.from,
      to_state: e.to,
      detail: JSON.stringify(e.detail),
      at: e.at.toISOString(),
    });

  const now = opts.asOf ?? Date.now();
  let seq = 0;
  for (const plan of opts.years) {
    const total = plan.general + plan.simple;
    const perOfficer = allocateWorkload(rng, ctx.officers.length, total);
    const owners = perOfficer.flatMap((n, i) => Array<string>(n).fill(ctx.officers[i]?.id ?? ''));
    // Shuffle the procedures across the year, exactly `general` of them general.
    const procedures = [...Array<string>(plan.general).fill('general'), ...Array<string>(plan.simple).fill('simple')];
    for (let i = procedures.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [procedures[i], procedures[j]] = [procedures[j] as string, procedures[i] as string];
    }
    const yearStart = Date.UTC(plan.year, 0, 1) - 8 * HOUR;
    const days = (Date.UTC(plan.year + 1, 0, 1) - Date.UTC(plan.year, 0, 1)) / (24 * HOUR);
    const disputePairs = new Map<string, number>();
    for (let n = 0; n < total; n++) {
      const officer = owners[n] ?? ctx.officers[0]?.id ?? '';
      const origin = agencyOf.get(officer) ?? bureau?.id ?? '';
      const item = pick(rng, ctx.items);
      const township = townships.find((t) => t.id === origin) ?? pick(rng, townships);
      const day = Math.floor(rng() * days);
      // Office hours, China Standard Time.
      const opened = new Date(yearStart + day * 24 * HOUR + (8.5 + rng() * 8.5) * HOUR);
      if (opened.getTime() > now) continue;
      const startedOn = new Date(opened.getTime() + 8 * HOUR).toISOString().slice(0, 10);
      const procedure = procedures[n] ?? 'general';
      const company = rng() < 0.45;
      const matterId = rngUuid(rng);
      seq++;
      const flags = { major: procedure === 'general' && rng() < 0.02, pil: rng() < 0.01, crime: rng() < 0.012 };
      out.matter.push({
        id: matterId,
        number: `协-${plan.year}-${opts.tag ?? 'D'}${String(seq).padStart(6, '0')}`,
        item_id: item.id,
        boundary_version_id: item.versionId,
        township_id: township?.id ?? origin,
        place: `${township?.nameZh ?? ''}${pick(rng, ROADS)}${1 + Math.floor(rng() * 300)}号`,
        party_kind: company ? 'company' : 'person',
        party_name: company
          ? `${opts.countyName ?? '龙游县'}${pick(rng, COMPANY_WORDS)}${pick(rng, COMPANY_KINDS)}`
          : chineseName(rng),
        party_id_number: null,
        procedure,
        major_difficult: flags.major,
        public_interest_clue: flags.pil,
        suspected_crime: flags.crime,
        origin_agency_id: origin,
        started_on: startedOn,
        summary: `当事人${pick(rng, FACTS)}，经现场检查核实，依法立案调查。`,
        created_by_id: officer,
        created_at: opened.toISOString(),
      });
      const parties = new Set([origin]);
      out.matter_agency.push({
        id: rngUuid(rng),
        matter_id: matterId,
        agency_id: origin,
        role: 'origin',
        since: opened.toISOString(),
      });
      tl({
        matter: matterId,
        referral: null,
        actor: officer,
        agency: origin,
        action: 'matter.created',
        from: null,
        to: null,
        detail: { procedure },
        at: opened,
      });
      // Two matters in five need another agency: general-procedure ones more often.
      const wantsReferral =
        rng() < (procedure === 'general' ? 0.5 : 0.2) * (opts.referralShare ?? 1) || flags.crime || flags.pil;
      if (!wantsReferral) continue;
      const kind: Kind = flags.crime
        ? ReferralKind.SuspectedCrimeTransfer
        : flags.pil
          ? ReferralKind.PublicInterestPreReview
          : weighted(rng, KIND_WEIGHTS);
      const to = receiverFor(kind, origin);
      if (!to || to.id === origin) continue;
      const referralId = rngUuid(rng);
      const created = new Date(opened.getTime() + lognormalHours(rng, 20, 0.8) * HOUR);
      const delivered = new Date(created.getTime() + lognormalHours(rng, 1, 1) * HOUR);
      if (delivered.getTime() > now) continue;
      const receiverActor = actorOf(to.id);
      const pairKey = `${origin}>${to.id}`;
      // Returned as not ours twice between the same pair: the report's 争着推.
      const disputed = kind === ReferralKind.JurisdictionTransfer && rng() < 0.06;
      const returnReason: ReturnReason | null = disputed
        ? 'not_our_jurisdiction'
        : rng() < 0.07
          ? weighted(rng, RETURN_WEIGHTS)
          : null;
      const signed = new Date(delivered.getTime() + lognormalHours(rng, 5, 1.1) * HOUR);
      const decided = new Date(signed.getTime() + lognormalHours(rng, 18, 1) * HOUR);
      const concluded = new Date(decided.getTime() + lognormalHours(rng, 24 * 12, 0.6) * HOUR);
      const steps: { action: string; from: string; to: string; at: Date; by: 'sender' | 'receiver'; detail?: Row }[] = [
        { action: 'submit', from: 'draft', to: 'delivered', at: delivered, by: 'sender' },
      ];
      if (signed.getTime() < now)
        steps.push({ action: 'sign', from: 'delivered', to: 'signed', at: signed, by: 'receiver' });
      if (decided.getTime() < now && steps.length === 2) {
        if (returnReason) {
          steps.push({
            action: 'return',
            from: 'signed',
            to: 'returned',
            at: decided,
            by: 'receiver',
            detail: {
              reasonCode: returnReason,
              reasonText: returnReason === 'not_our_jurisdiction' ? '该事项不属本单位职责范围' : '请补正后重新移送',
              ...(returnReason === 'not_our_jurisdiction' ? { boundaryClause: '依职责边界清单第3条' } : {}),
              ...(returnReason === 'materials_incomplete' ? { missingMaterials: '现场勘验笔录' } : {}),
            },
          });
        } else {
          steps.push({ action: 'accept', from: 'signed', to: 'accepted', at: decided, by: 'receiver' });
          const started = new Date(decided.getTime() + 2 * HOUR);
          if (concluded.getTime() < now) {
            steps.push({ action: 'start', from: 'accepted', to: 'in_progress', at: started, by: 'receiver' });
            steps.push({
              action: 'conclude',
              from: 'in_progress',
              to: 'concluded',
              at: concluded,
              by: 'receiver',
              detail: { outcome: '已依法处理' },
            });
            const closed = new Date(concluded.getTime() + 48 * HOUR);
            if (closed.getTime() < now) {
              steps.push({ action: 'feed_back', from: 'concluded', to: 'result_fed_back', at: closed, by: 'receiver' });
              steps.push({ action: 'close', from: 'result_fed_back', to: 'closed', at: closed, by: 'sender' });
            }
          }
        }
      }
      const last = steps[steps.length - 1];
      out.referral.push({
        id: referralId,
        matter_id: matterId,
        kind,
        from_agency_id: origin,
        to_agency_id: to.id,
        inform_agency_ids:
          kind === ReferralKind.SuspectedCrimeTransfer && procuratorate ? `{${procuratorate.id}}` : '{}',
        state: last?.to ?? 'delivered',
        routing_rule: 'generated',
        override_reason: null,
        created_by_id: officer,
        created_at: created.toISOString(),
        updated_at: (last?.at ?? created).toISOString(),
        revision: steps.length,
      });
      if (!parties.has(to.id)) {
        out.matter_agency.push({
          id: rngUuid(rng),
          matter_id: matterId,
          agency_id: to.id,
          role: 'receiver',
          since: delivered.toISOString(),
        });
        parties.add(to.id);
      }
      tl({
        matter: matterId,
        referral: referralId,
        actor: officer,
        agency: origin,
        action: 'referral.created',
        from: null,
        to: 'draft',
        detail: { kind },
        at: created,
      });
      for (const s of steps)
        tl({
          matter: matterId,
          referral: referralId,
          actor: s.by === 'sender' ? officer : receiverActor,
          agency: s.by === 'sender' ? origin : to.id,
          action: `referral.${s.action}`,
          from: s.from,
          to: s.to,
          detail: s.detail ?? {},
          at: s.at,
        });
      // Legal clocks: met when the answer came in time; warned, overdue and escalated otherwise.
      const isTownship = to.kind === 'township';
      for (const spec of REFERRAL_CLOCKS[kind]) {
        if (spec.receiverMustBeTownship && !isTownship) continue;
        const startAt = spec.startsOn === 'delivered' ? delivered : spec.startsOn === 'accepted' ? decided : null;
        if (!startAt || (spec.startsOn === 'accepted' && !steps.some((s) => s.action === 'accept'))) continue;
        const answeredAt =
          spec.code === 'township_sign'
            ? steps.find((s) => s.action === 'sign')?.at
            : spec.startsOn === 'accepted'
              ? steps.find((s) => s.action === 'conclude')?.at
              : steps.find((s) => ['accept', 'return', 'conclude'].includes(s.action))?.at;
        out.referral_clock.push(clockRow(rngUuid(rng), referralId, spec.code, startAt, answeredAt ?? null, now));
      }
      if (disputed) {
        // The second not-ours return (the other way round) opens the dispute record.
        const count = (disputePairs.get(pairKey) ?? 0) + 1;
        disputePairs.set(pairKey, count);
        const second = new Date(decided.getTime() + 30 * HOUR);
        if (second.getTime() > now) continue;
        tl({
          matter: matterId,
          referral: referralId,
          actor: officer,
          agency: origin,
          action: 'referral.return',
          from: 'signed',
          to: 'returned',
          detail: {
            reasonCode: 'not_our_jurisdiction',
            reasonText: '退回方同样认为不属本单位管辖',
            boundaryClause: '依职责边界清单第5条',
          },
          at: second,
        });
        out.responsibility_dispute.push({
          id: rngUuid(rng),
          matter_id: matterId,
          agency_a_id: origin,
          agency_b_id: to.id,
          pattern: rng() < 0.8 ? 'both_refuse' : 'both_claim',
          state: second.getTime() < now - 30 * 24 * HOUR ? 'ruled' : 'open',
          opened_by_referral_id: referralId,
          created_at: second.toISOString(),
        });
        tl({
          matter: matterId,
          referral: referralId,
          actor: null,
          agency: null,
          action: 'dispute.opened',
          from: null,
          to: null,
          detail: { agencies: [origin, to.id] },
          at: second,
        });
      }
    }
  }
  return out;
}

function clockRow(
  id: string,
  referralId: string,
  code: ClockCode,
  start: Date,
  answered: Date | null,
  now: number,
): Row {
  const rule = LEGAL_CLOCKS[code];
  const amount = rule.amount;
  // Working days as calendar days × 7/5; months as 30 days: close enough for demo data.
  const days =
    rule.unit === 'months' ? amount * 30 : rule.unit === 'working_days' ? Math.ceil((amount * 7) / 5) : amount;
  const deadline = new Date(start.getTime() + days * 24 * HOUR);
  const warnAt = new Date(start.getTime() + days * 0.75 * 24 * HOUR);
  const escalateAt = new Date(deadline.getTime() + 24 * HOUR);
  const end = answered?.getTime() ?? now;
  const passed = (t: Date) => (end >= t.getTime() ? t.toISOString() : null);
  const state = answered
    ? 'met'
    : end >= escalateAt.getTime()
      ? 'escalated'
      : end >= deadline.getTime()
        ? 'overdue'
        : 'running';
  return {
    id,
    referral_id: referralId,
    code,
    state,
    started_at: start.toISOString(),
    deadline: deadline.toISOString(),
    warn_at: warnAt.toISOString(),
    escalate_at: escalateAt.toISOString(),
    provisional: false,
    generation: 0,
    paused_at: null,
    warned_at: passed(warnAt),
    overdue_at: passed(deadline),
    escalated_at: passed(escalateAt),
    ended_at: answered ? answered.toISOString() : null,
    extension_amount: null,
    extension_reason: null,
    extension_requested_at: null,
    extension_requested_by_id: null,
    extended_by: 0,
  };
}
