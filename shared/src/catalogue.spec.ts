import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  BOUNDARY_CHANGE_REASONS,
  type Boundary,
  type BoundaryChangeReason,
  type BoundaryVersion,
  type CountyDirectory,
  REFERRAL_KINDS,
  type ReferralKind,
  type RoutingDecision,
  type RoutingRuleCode,
  checkAmendment,
  inForceOn,
  overlappingVersions,
  responsibleFor,
  routeReferral,
  sameBoundary,
} from './catalogue.js';

// ---------------------------------------------------------------------------------------------
// Fixtures

const DIRECTORY: CountyDirectory = {
  enforcementBureauId: 'ZFJ',
  publicSecurityId: 'GAJ',
  procuratorateId: 'JCY',
  courtId: 'FY',
  guidanceOfficeId: 'ZDB',
};

/** 龙洲街道: holds the delegation for the item from version 2 on */
const LZ = 'XZ-LZ';
/** 塔石镇: never delegated */
const TS = 'XZ-TS';

const boundary = (overrides: Partial<Boundary> = {}): Boundary => ({
  supervisingAgencyId: 'ZJJ',
  approvingAgencyId: 'SPJ',
  penalisingAgencyId: 'ZFJ',
  delegatedTownshipIds: [],
  evidenceHandoffDuty: '移交现场检查记录、照片',
  resultFeedbackDuty: '结案后七日内反馈住建局',
  ...overrides,
});

const version = (
  id: string,
  n: number,
  effectiveFrom: string,
  effectiveTo: string | null,
  overrides: Partial<Boundary> = {},
  reason: BoundaryChangeReason = 'batch',
): BoundaryVersion => ({ ...boundary(overrides), id, version: n, effectiveFrom, effectiveTo, reason });

/**
 * 违法建设 (illegal construction): penalised by the bureau from 2023-03-01; 龙洲街道 delegated from
 * 2024-07-01; approvals moved to the 自然资源局 from 2025-01-01.
 */
const ITEM_V1 = version('wfjs-v1', 1, '2023-03-01', '2024-07-01');
const ITEM_V2 = version('wfjs-v2', 2, '2024-07-01', '2025-01-01', { delegatedTownshipIds: [LZ] }, 'delegation_change');
const ITEM_V3 = version('wfjs-v3', 3, '2025-01-01', null, { approvingAgencyId: 'ZRJ', delegatedTownshipIds: [LZ] });
const ITEM: BoundaryVersion[] = [ITEM_V1, ITEM_V2, ITEM_V3];

/** One current version in which 龙洲街道 is delegated and 塔石镇 is not. */
const CURRENT_V = version('rqaq-v1', 1, '2024-01-01', null, { delegatedTownshipIds: [LZ] });
const CURRENT: BoundaryVersion[] = [CURRENT_V];
const ON = '2025-03-15';

// ---------------------------------------------------------------------------------------------
// routeReferral

describe('routeReferral', () => {
  type Row = {
    kind: ReferralKind;
    township: string;
    receivingAgencyId: string;
    informAgencyIds: string[];
    rule: RoutingRuleCode;
  };
  const rows: Row[] = [
    {
      kind: 'jurisdiction_transfer',
      township: LZ,
      receivingAgencyId: LZ,
      informAgencyIds: ['ZJJ'],
      rule: 'delegated_township',
    },
    {
      kind: 'jurisdiction_transfer',
      township: TS,
      receivingAgencyId: 'ZFJ',
      informAgencyIds: ['ZJJ'],
      rule: 'penalising_body',
    },
    { kind: 'police_assistance', township: LZ, receivingAgencyId: 'GAJ', informAgencyIds: [], rule: 'public_security' },
    { kind: 'police_assistance', township: TS, receivingAgencyId: 'GAJ', informAgencyIds: [], rule: 'public_security' },
    {
      kind: 'approval_files_request',
      township: LZ,
      receivingAgencyId: 'SPJ',
      informAgencyIds: [],
      rule: 'approving_department',
    },
    {
      kind: 'approval_files_request',
      township: TS,
      receivingAgencyId: 'SPJ',
      informAgencyIds: [],
      rule: 'approving_department',
    },
    {
      kind: 'supervision_opinion_request',
      township: LZ,
      receivingAgencyId: 'ZJJ',
      informAgencyIds: [],
      rule: 'supervising_department',
    },
    {
      kind: 'supervision_opinion_request',
      township: TS,
      receivingAgencyId: 'ZJJ',
      informAgencyIds: [],
      rule: 'supervising_department',
    },
    {
      kind: 'suspected_crime_transfer',
      township: LZ,
      receivingAgencyId: 'GAJ',
      informAgencyIds: ['JCY'],
      rule: 'public_security',
    },
    {
      kind: 'suspected_crime_transfer',
      township: TS,
      receivingAgencyId: 'GAJ',
      informAgencyIds: ['JCY'],
      rule: 'public_security',
    },
    { kind: 'supervision_request', township: LZ, receivingAgencyId: 'JCY', informAgencyIds: [], rule: 'procuratorate' },
    { kind: 'supervision_request', township: TS, receivingAgencyId: 'JCY', informAgencyIds: [], rule: 'procuratorate' },
    {
      kind: 'public_interest_pre_review',
      township: LZ,
      receivingAgencyId: 'JCY',
      informAgencyIds: [],
      rule: 'procuratorate',
    },
    {
      kind: 'public_interest_pre_review',
      township: TS,
      receivingAgencyId: 'JCY',
      informAgencyIds: [],
      rule: 'procuratorate',
    },
    { kind: 'compulsory_enforcement', township: LZ, receivingAgencyId: 'FY', informAgencyIds: [], rule: 'court' },
    { kind: 'compulsory_enforcement', township: TS, receivingAgencyId: 'FY', informAgencyIds: [], rule: 'court' },
  ];

  it('the table covers every referral kind in a delegated and a non-delegated township', () => {
    for (const kind of REFERRAL_KINDS) {
      expect(rows.filter((r) => r.kind === kind).map((r) => r.township)).toEqual([LZ, TS]);
    }
    expect(rows).toHaveLength(REFERRAL_KINDS.length * 2);
  });

  it.each(rows)(
    '$kind in $township goes to $receivingAgencyId ($rule)',
    ({ kind, township, receivingAgencyId, informAgencyIds, rule }) => {
      expect(routeReferral(kind, CURRENT, township, ON, DIRECTORY)).toEqual({
        routed: true,
        receivingAgencyId,
        informAgencyIds,
        rule,
        versionId: 'rqaq-v1',
      });
    },
  );

  it.each(REFERRAL_KINDS)('%s with no version in force escalates to the guidance office', (kind) => {
    const expected: RoutingDecision = {
      routed: false,
      rule: 'no_version_in_force',
      escalateToAgencyId: 'ZDB',
      versionId: null,
    };
    expect(routeReferral(kind, CURRENT, TS, '2023-12-31', DIRECTORY)).toEqual(expected);
    expect(routeReferral(kind, [], LZ, ON, DIRECTORY)).toEqual(expected);
  });

  type GapRow = {
    gap: string;
    kind: ReferralKind;
    township: string;
    overrides: Partial<Boundary>;
    rule: RoutingRuleCode;
  };
  const gapRows: GapRow[] = [
    {
      gap: 'no approving department',
      kind: 'approval_files_request',
      township: TS,
      overrides: { approvingAgencyId: null },
      rule: 'no_approving_department',
    },
    {
      gap: 'no supervising department',
      kind: 'supervision_opinion_request',
      township: LZ,
      overrides: { supervisingAgencyId: null },
      rule: 'no_supervising_department',
    },
    {
      gap: 'no penalising body, township not delegated',
      kind: 'jurisdiction_transfer',
      township: TS,
      overrides: { penalisingAgencyId: null, delegatedTownshipIds: [LZ] },
      rule: 'no_penalising_body',
    },
  ];

  it.each(gapRows)('$gap: $kind escalates to the guidance office as $rule', ({ kind, township, overrides, rule }) => {
    const versions = [version('gap-v1', 1, '2024-01-01', null, overrides)];
    expect(routeReferral(kind, versions, township, ON, DIRECTORY)).toEqual({
      routed: false,
      rule,
      escalateToAgencyId: 'ZDB',
      versionId: 'gap-v1',
    });
  });

  it('no penalising body: a delegated township still receives the transfer in its own name', () => {
    const versions = [
      version('gap-v1', 1, '2024-01-01', null, { penalisingAgencyId: null, delegatedTownshipIds: [LZ] }),
    ];
    expect(routeReferral('jurisdiction_transfer', versions, LZ, ON, DIRECTORY)).toEqual({
      routed: true,
      receivingAgencyId: LZ,
      informAgencyIds: ['ZJJ'],
      rule: 'delegated_township',
      versionId: 'gap-v1',
    });
  });

  it('a blind spot in supervision leaves no one to inform on a jurisdiction transfer', () => {
    const versions = [version('gap-v1', 1, '2024-01-01', null, { supervisingAgencyId: null })];
    expect(routeReferral('jurisdiction_transfer', versions, TS, ON, DIRECTORY)).toEqual({
      routed: true,
      receivingAgencyId: 'ZFJ',
      informAgencyIds: [],
      rule: 'penalising_body',
      versionId: 'gap-v1',
    });
  });

  it('does not inform the receiving body of its own transfer', () => {
    const versions = [version('zf-v1', 1, '2024-01-01', null, { supervisingAgencyId: 'ZFJ' })];
    const decision = routeReferral('jurisdiction_transfer', versions, TS, ON, DIRECTORY);
    expect(decision).toMatchObject({ routed: true, receivingAgencyId: 'ZFJ', informAgencyIds: [] });
  });

  it.each([
    { kind: 'police_assistance', receivingAgencyId: 'GAJ' },
    { kind: 'suspected_crime_transfer', receivingAgencyId: 'GAJ' },
    { kind: 'supervision_request', receivingAgencyId: 'JCY' },
    { kind: 'public_interest_pre_review', receivingAgencyId: 'JCY' },
    { kind: 'compulsory_enforcement', receivingAgencyId: 'FY' },
  ] satisfies { kind: ReferralKind; receivingAgencyId: string }[])(
    '$kind still routes when the item has no departments at all',
    ({ kind, receivingAgencyId }) => {
      const empty = { supervisingAgencyId: null, approvingAgencyId: null, penalisingAgencyId: null };
      const versions = [version('empty-v1', 1, '2024-01-01', null, empty)];
      expect(routeReferral(kind, versions, TS, ON, DIRECTORY)).toMatchObject({
        routed: true,
        receivingAgencyId,
        versionId: 'empty-v1',
      });
    },
  );

  it.each([
    { date: '2024-06-30', receivingAgencyId: 'ZFJ', rule: 'penalising_body', versionId: 'wfjs-v1' },
    { date: '2024-07-01', receivingAgencyId: LZ, rule: 'delegated_township', versionId: 'wfjs-v2' },
  ])(
    'routes a transfer from 龙洲街道 by the version in force on $date',
    ({ date, receivingAgencyId, rule, versionId }) => {
      expect(routeReferral('jurisdiction_transfer', ITEM, LZ, date, DIRECTORY)).toMatchObject({
        routed: true,
        receivingAgencyId,
        rule,
        versionId,
      });
    },
  );

  it('asks the approving department in force on the date for approval files', () => {
    expect(routeReferral('approval_files_request', ITEM, TS, '2024-12-31', DIRECTORY)).toMatchObject({
      receivingAgencyId: 'SPJ',
    });
    expect(routeReferral('approval_files_request', ITEM, TS, '2025-01-01', DIRECTORY)).toMatchObject({
      receivingAgencyId: 'ZRJ',
    });
  });
});

// ---------------------------------------------------------------------------------------------
// responsibleFor

describe('responsibleFor', () => {
  type Row = {
    when: string;
    date: string;
    township: string;
    versionId: string | null;
    penalisingAgencyId?: string;
    approvingAgencyId?: string;
    rule?: string;
  };
  const rows: Row[] = [
    { when: 'the day before version 1 starts', date: '2023-02-28', township: TS, versionId: null },
    { when: 'the day before version 1 starts', date: '2023-02-28', township: LZ, versionId: null },
    {
      when: 'the first day of version 1',
      date: '2023-03-01',
      township: LZ,
      versionId: 'wfjs-v1',
      penalisingAgencyId: 'ZFJ',
      approvingAgencyId: 'SPJ',
      rule: 'penalising_body',
    },
    {
      when: 'a leap day inside version 1',
      date: '2024-02-29',
      township: TS,
      versionId: 'wfjs-v1',
      penalisingAgencyId: 'ZFJ',
      approvingAgencyId: 'SPJ',
      rule: 'penalising_body',
    },
    {
      when: 'the last day of version 1',
      date: '2024-06-30',
      township: LZ,
      versionId: 'wfjs-v1',
      penalisingAgencyId: 'ZFJ',
      approvingAgencyId: 'SPJ',
      rule: 'penalising_body',
    },
    {
      when: 'the day version 2 starts (delegation added)',
      date: '2024-07-01',
      township: LZ,
      versionId: 'wfjs-v2',
      penalisingAgencyId: LZ,
      approvingAgencyId: 'SPJ',
      rule: 'delegated_township',
    },
    {
      when: 'the day version 2 starts, non-delegated township',
      date: '2024-07-01',
      township: TS,
      versionId: 'wfjs-v2',
      penalisingAgencyId: 'ZFJ',
      approvingAgencyId: 'SPJ',
      rule: 'penalising_body',
    },
    {
      when: 'the last day of version 2',
      date: '2024-12-31',
      township: LZ,
      versionId: 'wfjs-v2',
      penalisingAgencyId: LZ,
      approvingAgencyId: 'SPJ',
      rule: 'delegated_township',
    },
    {
      when: 'the day version 3 starts',
      date: '2025-01-01',
      township: LZ,
      versionId: 'wfjs-v3',
      penalisingAgencyId: LZ,
      approvingAgencyId: 'ZRJ',
      rule: 'delegated_township',
    },
    {
      when: 'long after the current version started',
      date: '2099-12-31',
      township: TS,
      versionId: 'wfjs-v3',
      penalisingAgencyId: 'ZFJ',
      approvingAgencyId: 'ZRJ',
      rule: 'penalising_body',
    },
  ];

  it.each(rows)('$when ($date, $township) → $versionId', ({ date, township, versionId, ...expected }) => {
    for (const versions of [ITEM, [...ITEM].reverse()]) {
      const answer = responsibleFor(versions, township, date);
      if (versionId === null) {
        expect(answer).toBeUndefined();
        continue;
      }
      expect(answer).toEqual({
        version: ITEM.find((v) => v.id === versionId),
        supervisingAgencyId: 'ZJJ',
        approvingAgencyId: expected.approvingAgencyId,
        penalisingAgencyId: expected.penalisingAgencyId,
        rule: expected.rule,
      });
    }
  });

  it('reports a gap when no penalising body is named and the township is not delegated', () => {
    const versions = [
      version('gap-v1', 1, '2024-01-01', null, { penalisingAgencyId: null, delegatedTownshipIds: [LZ] }),
    ];
    expect(responsibleFor(versions, TS, ON)).toMatchObject({ penalisingAgencyId: null, rule: 'no_penalising_body' });
    expect(responsibleFor(versions, LZ, ON)).toMatchObject({ penalisingAgencyId: LZ, rule: 'delegated_township' });
  });

  it('a delegated township penalises in its own name even where the version names another body', () => {
    const versions = [
      version('d-v1', 1, '2024-01-01', null, { penalisingAgencyId: 'SCJ', delegatedTownshipIds: [TS, LZ] }),
    ];
    expect(responsibleFor(versions, TS, ON)).toMatchObject({ penalisingAgencyId: TS, rule: 'delegated_township' });
    expect(responsibleFor(versions, 'XZ-SX', ON)).toMatchObject({ penalisingAgencyId: 'SCJ', rule: 'penalising_body' });
  });
});

// ---------------------------------------------------------------------------------------------
// checkAmendment

describe('checkAmendment', () => {
  const FORMAT_PROBLEM = '生效日期须为 YYYY-MM-DD';

  it.each([
    '2025-02-31',
    '2023-02-29',
    '2025-04-31',
    '2025/07/01',
    '2025-7-1',
    '20250701',
    '',
    ' 2025-07-01',
    '2025-07-01T00:00',
    '2025-13-01',
    '2025-00-10',
    '2025-07-32',
  ])('rejects the malformed date %j', (date) => {
    expect(checkAmendment(ITEM, date)).toEqual({ ok: false, problem: FORMAT_PROBLEM });
    expect(checkAmendment([], date)).toEqual({ ok: false, problem: FORMAT_PROBLEM });
  });

  it('accepts the first version of an item on any valid date, closing nothing', () => {
    expect(checkAmendment([], '2020-01-01')).toEqual({ ok: true, closes: undefined });
  });

  it.each([
    { when: 'the same day as the latest start', date: '2025-01-01' },
    { when: 'the day before the latest start', date: '2024-12-31' },
    { when: 'inside an earlier version', date: '2023-06-01' },
    { when: 'before the first version', date: '2020-01-01' },
  ])('rejects a start on $when ($date)', ({ date }) => {
    for (const versions of [ITEM, [...ITEM].reverse()]) {
      const check = checkAmendment(versions, date);
      expect(check.ok).toBe(false);
      if (check.ok) return;
      expect(check.problem).not.toBe(FORMAT_PROBLEM);
      expect(check.problem).toContain(date);
      expect(check.problem).toContain('第 3 版');
      expect(check.problem).toContain('2025-01-01');
    }
  });

  it.each(['2025-01-02', '2026-07-01'])('accepts %s and closes the latest version', (date) => {
    for (const versions of [ITEM, [...ITEM].reverse(), [ITEM_V2, ITEM_V3, ITEM_V1]]) {
      const check = checkAmendment(versions, date);
      expect(check).toEqual({ ok: true, closes: ITEM_V3 });
      if (check.ok) expect(check.closes).toBe(ITEM_V3);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// overlappingVersions

describe('overlappingVersions', () => {
  it('finds none in a contiguous history, whatever the order', () => {
    expect(overlappingVersions(ITEM)).toEqual([]);
    expect(overlappingVersions([ITEM_V3, ITEM_V1, ITEM_V2])).toEqual([]);
  });

  it.each([
    {
      case: 'a period running into the next',
      a: version('o-v1', 1, '2024-01-01', '2024-07-02'),
      b: version('o-v2', 2, '2024-07-01', null),
    },
    { case: 'two open versions', a: version('o-v1', 1, '2024-01-01', null), b: version('o-v2', 2, '2024-07-01', null) },
    {
      case: 'a period inside another',
      a: version('o-v1', 1, '2024-01-01', '2025-01-01'),
      b: version('o-v2', 2, '2024-03-01', '2024-04-01'),
    },
  ])('reports $case', ({ a, b }) => {
    expect(overlappingVersions([b, a])).toEqual([[a, b]]);
  });
});

// ---------------------------------------------------------------------------------------------
// sameBoundary

describe('sameBoundary', () => {
  const base = boundary({ delegatedTownshipIds: [LZ, TS] });

  it.each([
    { case: 'an identical copy', other: boundary({ delegatedTownshipIds: [LZ, TS] }) },
    { case: 'delegated townships in another order', other: boundary({ delegatedTownshipIds: [TS, LZ] }) },
    { case: 'duplicated delegated townships', other: boundary({ delegatedTownshipIds: [LZ, TS, LZ, TS] }) },
  ])('is true for $case', ({ other }) => {
    expect(sameBoundary(base, other)).toBe(true);
    expect(sameBoundary(other, base)).toBe(true);
  });

  it.each([
    {
      case: 'another supervising department',
      other: boundary({ delegatedTownshipIds: [LZ, TS], supervisingAgencyId: 'SCJ' }),
    },
    {
      case: 'no supervising department',
      other: boundary({ delegatedTownshipIds: [LZ, TS], supervisingAgencyId: null }),
    },
    {
      case: 'another approving department',
      other: boundary({ delegatedTownshipIds: [LZ, TS], approvingAgencyId: 'ZRJ' }),
    },
    { case: 'another penalising body', other: boundary({ delegatedTownshipIds: [LZ, TS], penalisingAgencyId: 'SCJ' }) },
    { case: 'no penalising body', other: boundary({ delegatedTownshipIds: [LZ, TS], penalisingAgencyId: null }) },
    { case: 'a delegation fewer', other: boundary({ delegatedTownshipIds: [LZ] }) },
    { case: 'a delegation more', other: boundary({ delegatedTownshipIds: [LZ, TS, 'XZ-SX'] }) },
    { case: 'a delegation fewer, padded by a duplicate', other: boundary({ delegatedTownshipIds: [LZ, LZ] }) },
    {
      case: 'another evidence handoff duty',
      other: boundary({ delegatedTownshipIds: [LZ, TS], evidenceHandoffDuty: '移交询问笔录' }),
    },
    {
      case: 'another result feedback duty',
      other: boundary({ delegatedTownshipIds: [LZ, TS], resultFeedbackDuty: '不反馈' }),
    },
  ])('is false for $case', ({ other }) => {
    expect(sameBoundary(base, other)).toBe(false);
    expect(sameBoundary(other, base)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties over random histories built through checkAmendment

const BASE_DAY = Date.UTC(2020, 0, 1);
const DAY_MS = 86_400_000;
const isoDay = (day: number): string => new Date(BASE_DAY + day * DAY_MS).toISOString().slice(0, 10);
const dayOf = (iso: string): number => Math.round((Date.parse(`${iso}T00:00:00Z`) - BASE_DAY) / DAY_MS);

const AGENCIES = ['ZFJ', 'ZJJ', 'SCJ', 'ZRJ', 'SPJ'] as const;
const TOWNSHIPS = ['XZ-LZ', 'XZ-TS', 'XZ-SX', 'XZ-HF'] as const;

const boundaryArb: fc.Arbitrary<Boundary> = fc.record({
  supervisingAgencyId: fc.option(fc.constantFrom(...AGENCIES), { nil: null }),
  approvingAgencyId: fc.option(fc.constantFrom(...AGENCIES), { nil: null }),
  penalisingAgencyId: fc.option(fc.constantFrom(...AGENCIES), { nil: null, freq: 4 }),
  delegatedTownshipIds: fc.array(fc.constantFrom(...TOWNSHIPS), { maxLength: 5 }),
  evidenceHandoffDuty: fc.constantFrom('移交检查记录', '移交照片和询问笔录'),
  resultFeedbackDuty: fc.constantFrom('结案后反馈监管部门', '每月汇总反馈'),
});

interface AmendmentPlan {
  /** days after the previously attempted date; zero or negative must be rejected */
  step: number;
  boundary: Boundary;
  reason: BoundaryChangeReason;
}

const planArb: fc.Arbitrary<AmendmentPlan> = fc.record({
  step: fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 400 }), weight: 4 },
    { arbitrary: fc.integer({ min: -60, max: 0 }), weight: 1 },
  ),
  boundary: boundaryArb,
  reason: fc.constantFrom(...BOUNDARY_CHANGE_REASONS),
});

const historyArb = fc.record({
  firstDay: fc.integer({ min: 0, max: 1000 }),
  plans: fc.array(planArb, { minLength: 1, maxLength: 8 }),
});

/** Applies an amendment the way the service would: ask checkAmendment, close what it names, append. */
function amend(versions: readonly BoundaryVersion[], date: string, plan: AmendmentPlan): BoundaryVersion[] | undefined {
  const check = checkAmendment(versions, date);
  if (!check.ok) return undefined;
  const n = versions.length + 1;
  return [
    ...versions.map((v) => (check.closes !== undefined && v.id === check.closes.id ? { ...v, effectiveTo: date } : v)),
    { ...plan.boundary, id: `item-v${n}`, version: n, effectiveFrom: date, effectiveTo: null, reason: plan.reason },
  ];
}

/** A history built by attempting each planned amendment in turn; rejected attempts are dropped. */
function buildHistory({ firstDay, plans }: { firstDay: number; plans: AmendmentPlan[] }): BoundaryVersion[] {
  let versions: BoundaryVersion[] = [];
  let day = firstDay;
  plans.forEach((plan, i) => {
    if (i > 0) day += plan.step;
    const date = isoDay(day);
    const latestStart = versions.reduce<string | null>(
      (m, v) => (m === null || v.effectiveFrom > m ? v.effectiveFrom : m),
      null,
    );
    const next = amend(versions, date, plan);
    // checkAmendment accepts exactly the dates strictly after the latest start.
    expect(next !== undefined).toBe(latestStart === null || date > latestStart);
    if (next) versions = next;
  });
  return versions;
}

/** Days worth probing: every boundary, the day either side, and some random days. */
function probeDays(versions: readonly BoundaryVersion[], extra: readonly number[]): number[] {
  const days = new Set(extra);
  for (const v of versions) {
    for (const iso of [v.effectiveFrom, v.effectiveTo]) {
      if (iso === null) continue;
      const d = dayOf(iso);
      days
        .add(d - 1)
        .add(d)
        .add(d + 1);
    }
  }
  return [...days].sort((a, b) => a - b);
}

const extraDaysArb = fc.array(fc.integer({ min: -100, max: 5000 }), { maxLength: 20 });
const NUM_RUNS = 200;

describe('catalogue properties', () => {
  it('exactly one penalising answer: the township iff it is delegated in the version in force', () => {
    fc.assert(
      fc.property(historyArb, fc.constantFrom(...TOWNSHIPS), extraDaysArb, (plan, township, extra) => {
        const versions = buildHistory(plan);
        const firstStart = versions[0]?.effectiveFrom ?? '';
        for (const day of probeDays(versions, extra)) {
          const date = isoDay(day);
          const answer = responsibleFor(versions, township, date);
          if (date < firstStart) {
            expect(answer).toBeUndefined();
            continue;
          }
          expect(answer).toBeDefined();
          if (!answer) continue;
          const inForce = versions.filter((v) => inForceOn(v, date));
          expect(inForce).toEqual([answer.version]);
          const delegated = answer.version.delegatedTownshipIds.includes(township);
          expect(answer.penalisingAgencyId === township).toBe(delegated);
          if (delegated) {
            expect(answer.rule).toBe('delegated_township');
          } else {
            expect(answer.penalisingAgencyId).toBe(answer.version.penalisingAgencyId);
            expect(answer.rule).toBe(answer.penalisingAgencyId === null ? 'no_penalising_body' : 'penalising_body');
          }
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('histories built through checkAmendment never overlap and cover every day from the first start', () => {
    fc.assert(
      fc.property(historyArb, extraDaysArb, (plan, extra) => {
        const versions = buildHistory(plan);
        expect(versions.length).toBeGreaterThan(0);
        expect(overlappingVersions(versions)).toEqual([]);
        // No empty periods, and only the last version is open.
        for (const v of versions) {
          if (v.effectiveTo !== null) expect(v.effectiveFrom < v.effectiveTo).toBe(true);
        }
        expect(versions.filter((v) => v.effectiveTo === null)).toEqual([versions[versions.length - 1]]);
        const firstStart = dayOf(versions[0]?.effectiveFrom ?? '');
        for (const day of probeDays(versions, extra)) {
          const covering = versions.filter((v) => inForceOn(v, isoDay(day)));
          expect(covering).toHaveLength(day < firstStart ? 0 : 1);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('appending an amendment effective on D changes no answer for any day before D', () => {
    const project = (versions: readonly BoundaryVersion[], township: string, date: string) => {
      const a = responsibleFor(versions, township, date);
      return (
        a && {
          versionId: a.version.id,
          supervisingAgencyId: a.supervisingAgencyId,
          approvingAgencyId: a.approvingAgencyId,
          penalisingAgencyId: a.penalisingAgencyId,
        }
      );
    };
    fc.assert(
      fc.property(
        historyArb,
        fc.integer({ min: 1, max: 400 }),
        planArb,
        extraDaysArb,
        (plan, daysAfterLatest, amendment, extra) => {
          const before = buildHistory(plan);
          const latest = before[before.length - 1];
          if (!latest) throw new Error('empty history');
          const d = dayOf(latest.effectiveFrom) + daysAfterLatest;
          const D = isoDay(d);
          const after = amend(before, D, amendment);
          expect(after).toBeDefined();
          if (!after) return;
          for (const day of probeDays(after, [...extra, d - 1])) {
            const date = isoDay(day);
            for (const township of TOWNSHIPS) {
              if (date < D) {
                expect(project(after, township, date)).toEqual(project(before, township, date));
              } else {
                expect(project(after, township, date)?.versionId).toBe(`item-v${after.length}`);
              }
            }
          }
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});
