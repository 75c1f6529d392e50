import { describe, expect, it } from '@jest/globals';
import { ROLES, Role } from './agencies.js';
import { REFERRAL_KINDS, ReferralKind } from './catalogue.js';
import {
  type ActionContext,
  type ActionInput,
  HOLD_REASONS,
  HOLD_REASON_LABELS,
  OUTCOMES,
  OUTCOMES_BY_KIND,
  OUTCOME_LABELS,
  REFERRAL_ACTIONS,
  REFERRAL_ACTION_LABELS,
  REFERRAL_LIFECYCLE,
  REFERRAL_RECEIVER_ROLES,
  REFERRAL_SENDER_ROLES,
  REFERRAL_STATES,
  REFERRAL_STATE_LABELS,
  RETURN_REASONS,
  RETURN_REASON_LABELS,
  type ReferralAction,
  type ReferralSide,
  ReferralState,
  TERMINAL_STATES,
  type TransitionRule,
  allowedActions,
  decide,
  isDispute,
  needsApproval,
} from './referral-lifecycle.js';

// ---------------------------------------------------------------------------------------------
// The lifecycle as the product issue states it, written out independently of the table so that the
// table is checked against it rather than against itself.

/** a kind that needs the head's sign-off, and one that does not */
const APPROVAL_KIND = ReferralKind.SuspectedCrimeTransfer;
const PLAIN_KIND = ReferralKind.JurisdictionTransfer;
const KIND_CLASSES = [
  ['needs approval', APPROVAL_KIND],
  ['no approval', PLAIN_KIND],
] as const;

type Target = ReferralState | { approval: ReferralState; plain: ReferralState };
const SENDS: Target = { approval: 'submitted', plain: 'delivered' };

const SPEC: Record<ReferralState, Partial<Record<ReferralAction, Target>>> = {
  draft: { submit: SENDS, withdraw: 'withdrawn' },
  submitted: { approve: 'delivered', reject_approval: 'draft', withdraw: 'withdrawn' },
  delivered: { sign: 'signed', withdraw: 'withdrawn' },
  signed: { accept: 'accepted', return: 'returned', withdraw: 'withdrawn' },
  accepted: { start: 'in_progress' },
  returned: { resubmit: SENDS, reroute: SENDS, escalate: 'escalated', withdraw: 'withdrawn' },
  in_progress: { hold: 'on_hold', conclude: 'concluded' },
  on_hold: { resume: 'in_progress' },
  concluded: { feed_back: 'result_fed_back' },
  result_fed_back: { close: 'closed' },
  closed: {},
  withdrawn: {},
  escalated: {},
};

const SIDE_OF: Record<ReferralAction, ReferralSide> = {
  submit: 'sender',
  approve: 'sender',
  reject_approval: 'sender',
  withdraw: 'sender',
  sign: 'receiver',
  accept: 'receiver',
  return: 'receiver',
  start: 'receiver',
  hold: 'receiver',
  resume: 'receiver',
  conclude: 'receiver',
  feed_back: 'receiver',
  close: 'sender',
  resubmit: 'sender',
  reroute: 'sender',
  escalate: 'sender',
};

const target = (t: Target, kind: ReferralKind): ReferralState =>
  typeof t === 'string' ? t : kind === APPROVAL_KIND ? t.approval : t.plain;

/** All roles that may act for a side (the approver included on the sender's). */
const SIDE_ROLES: Record<ReferralSide, readonly Role[]> = {
  sender: REFERRAL_SENDER_ROLES,
  receiver: REFERRAL_RECEIVER_ROLES,
};

const ctx = (side: ReferralSide | null, roles: readonly Role[], kind: ReferralKind = PLAIN_KIND): ActionContext => ({
  side,
  roles,
  kind,
});

/** An input that satisfies every requirement of `action` for `kind`. */
const validInput = (action: ReferralAction, kind: ReferralKind = PLAIN_KIND): ActionInput => {
  switch (action) {
    case 'return':
      return { reasonCode: 'duplicate', reasonText: '该线索已于上周移送，编号协-2026-000041' };
    case 'reject_approval':
      return { reasonText: '涉案金额认定依据不足，请补充鉴定意见后再报' };
    case 'hold':
      return { holdReason: 'awaiting_appraisal' };
    case 'conclude':
      return { outcome: OUTCOMES_BY_KIND[kind][0] ?? 'other', outcomeText: '衢龙综执罚决字〔2026〕第42号' };
    default:
      return {};
  }
};

const allRules = (): [string, TransitionRule][] =>
  REFERRAL_LIFECYCLE.map((r) => [`${r.action} ${r.from.join('|')} → ${r.to}`, r]);

const kindForRule = (rule: TransitionRule): ReferralKind =>
  rule.whenApprovalNeeded === true ? APPROVAL_KIND : PLAIN_KIND;

// ---------------------------------------------------------------------------------------------

describe('the table', () => {
  it('has exactly the transitions of the lifecycle, for kinds with and without approval', () => {
    const fromTable = (kind: ReferralKind) =>
      REFERRAL_LIFECYCLE.filter(
        (r) => r.whenApprovalNeeded === undefined || r.whenApprovalNeeded === needsApproval(kind),
      )
        .flatMap((r) => r.from.map((s) => `${s} -${r.action}-> ${r.to}`))
        .sort();
    const fromSpec = (kind: ReferralKind) =>
      REFERRAL_STATES.flatMap((s) =>
        Object.entries(SPEC[s]).map(([action, t]) => `${s} -${action}-> ${target(t, kind)}`),
      ).sort();
    for (const [, kind] of KIND_CLASSES) expect(fromTable(kind)).toEqual(fromSpec(kind));
  });

  it.each(REFERRAL_ACTIONS)('%s is done by one side with one set of roles, as the spec says', (action) => {
    const rules = REFERRAL_LIFECYCLE.filter((r) => r.action === action);
    expect(rules.length).toBeGreaterThan(0);
    expect(new Set(rules.map((r) => r.side))).toEqual(new Set([SIDE_OF[action]]));
    expect(new Set(rules.map((r) => [...r.roles].sort().join(',')))).toEqual(
      new Set([
        [...(action === 'approve' || action === 'reject_approval' ? [Role.AgencyHead] : SIDE_ROLES[SIDE_OF[action]])]
          .sort()
          .join(','),
      ]),
    );
  });

  it.each(REFERRAL_KINDS)('is deterministic for %s: at most one rule per state and action', (kind) => {
    for (const state of REFERRAL_STATES) {
      for (const action of REFERRAL_ACTIONS) {
        const matching = REFERRAL_LIFECYCLE.filter(
          (r) =>
            r.action === action &&
            r.from.includes(state) &&
            (r.whenApprovalNeeded === undefined || r.whenApprovalNeeded === needsApproval(kind)),
        );
        expect(matching.length).toBeLessThanOrEqual(1);
      }
    }
  });

  it('has no way out of a terminal state and a way out of every other state', () => {
    expect([...TERMINAL_STATES].sort()).toEqual(['closed', 'escalated', 'withdrawn']);
    for (const state of REFERRAL_STATES) {
      const exits = REFERRAL_LIFECYCLE.filter((r) => r.from.includes(state));
      expect([state, exits.length > 0]).toEqual([state, !TERMINAL_STATES.includes(state)]);
    }
  });

  it('reaches every state from draft', () => {
    const reached = new Set<ReferralState>([ReferralState.Draft]);
    for (let grew = true; grew;) {
      grew = false;
      for (const r of REFERRAL_LIFECYCLE) {
        if (r.from.some((s) => reached.has(s)) && !reached.has(r.to)) {
          reached.add(r.to);
          grew = true;
        }
      }
    }
    expect([...reached].sort()).toEqual([...REFERRAL_STATES].sort());
  });

  it('labels every state, action, reason and outcome in Chinese', () => {
    const labels: Record<string, string>[] = [
      REFERRAL_STATE_LABELS,
      REFERRAL_ACTION_LABELS,
      RETURN_REASON_LABELS,
      HOLD_REASON_LABELS,
      OUTCOME_LABELS,
    ];
    const keys = [REFERRAL_STATES, REFERRAL_ACTIONS, RETURN_REASONS, HOLD_REASONS, OUTCOMES];
    labels.forEach((l, i) => {
      expect(Object.keys(l).sort()).toEqual([...(keys[i] ?? [])].sort());
      for (const text of Object.values(l)) expect(text).toMatch(/^[\u4e00-\u9fff（）]+$/);
    });
    for (const r of REFERRAL_LIFECYCLE) expect(r.descriptionZh).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('needsApproval', () => {
  it.each<[ReferralKind, boolean]>([
    ['jurisdiction_transfer', false],
    ['police_assistance', false],
    ['approval_files_request', false],
    ['supervision_opinion_request', false],
    ['suspected_crime_transfer', true],
    ['supervision_request', true],
    ['public_interest_pre_review', true],
    ['compulsory_enforcement', true],
  ])('%s → %s', (kind, expected) => {
    expect(needsApproval(kind)).toBe(expected);
  });

  it.each(REFERRAL_KINDS)('submit of %s goes to submitted exactly when it needs approval', (kind) => {
    const d = decide('draft', 'submit', ctx('sender', [Role.CaseOfficer], kind), {});
    expect(d).toEqual({ ok: true, next: needsApproval(kind) ? 'submitted' : 'delivered' });
  });
});

describe('decide: every rule has an allowed case', () => {
  const rows = allRules().flatMap(([name, rule]) =>
    rule.from.flatMap((from) => rule.roles.map((role) => [name, from, role, rule] as const)),
  );
  it.each(rows)('%s from %s by %s', (_name, from, role, rule) => {
    const kind = kindForRule(rule);
    expect(decide(from, rule.action, ctx(rule.side, [role], kind), validInput(rule.action, kind))).toEqual({
      ok: true,
      next: rule.to,
    });
  });
});

describe('decide: 409 for every state and action the lifecycle does not allow', () => {
  const rows = KIND_CLASSES.flatMap(([cls, kind]) =>
    REFERRAL_STATES.flatMap((state) =>
      REFERRAL_ACTIONS.filter((action) => SPEC[state][action] === undefined).map(
        (action) => [state, action, cls, kind] as const,
      ),
    ),
  );
  it.each(rows)('%s × %s (%s)', (state, action, _cls, kind) => {
    const side = SIDE_OF[action];
    const expectedAllowed = REFERRAL_ACTIONS.filter((a) => SPEC[state][a] !== undefined && SIDE_OF[a] === side);
    const d = decide(state, action, ctx(side, SIDE_ROLES[side], kind), validInput(action, kind));
    expect(d).toEqual({ ok: false, status: 409, reason: expect.any(String), state, allowed: expectedAllowed });
  });

  it('says so in Chinese with the English in parentheses', () => {
    const d = decide('closed', 'sign', ctx('receiver', [Role.TownshipStaff]), {});
    expect(d.ok ? '' : d.reason).toMatch(/已关闭.*签收.*（cannot "sign" a referral in state "closed"）/);
  });

  it('checks the state before the fields', () => {
    expect(decide('draft', 'return', ctx('receiver', [Role.TownshipStaff]), {})).toMatchObject({ status: 409 });
  });
});

describe('decide: 403', () => {
  it.each(REFERRAL_ACTIONS)('%s by an agency that is not a party, even in a state that allows it', (action) => {
    const state = REFERRAL_STATES.find((s) => SPEC[s][action] !== undefined) ?? 'draft';
    const d = decide(state, action, ctx(null, ROLES), validInput(action));
    expect(d).toEqual({ ok: false, status: 403, reason: expect.stringContaining('not a party') });
  });

  it.each(REFERRAL_ACTIONS)('%s by the wrong side', (action) => {
    const state = REFERRAL_STATES.find((s) => SPEC[s][action] !== undefined) ?? 'draft';
    const wrong: ReferralSide = SIDE_OF[action] === 'sender' ? 'receiver' : 'sender';
    const d = decide(state, action, ctx(wrong, ROLES), validInput(action));
    expect(d).toEqual({ ok: false, status: 403, reason: expect.stringContaining(`is for the ${SIDE_OF[action]}`) });
  });

  it.each(allRules())('%s without any of its roles', (_name, rule) => {
    const others = ROLES.filter((r) => !rule.roles.includes(r));
    expect(others.length).toBeGreaterThan(0);
    const from = rule.from[0] ?? 'draft';
    const d = decide(from, rule.action, ctx(rule.side, others, kindForRule(rule)), validInput(rule.action));
    expect(d).toEqual({ ok: false, status: 403, reason: expect.stringContaining('requires one of the roles') });
  });

  it.each<[string, ReferralAction, ReferralState, ReferralSide, Role, 200 | 403]>([
    ['a case officer cannot approve', 'approve', 'submitted', 'sender', Role.CaseOfficer, 403],
    ['a liaison officer cannot reject approval', 'reject_approval', 'submitted', 'sender', Role.LiaisonOfficer, 403],
    ['the agency head approves', 'approve', 'submitted', 'sender', Role.AgencyHead, 200],
    ['a court clerk signs for the court', 'sign', 'delivered', 'receiver', Role.CourtClerk, 200],
    ['a prosecutor accepts for the procuratorate', 'accept', 'signed', 'receiver', Role.Prosecutor, 200],
    ['a prosecutor does not send', 'submit', 'draft', 'sender', Role.Prosecutor, 403],
    ['a legal reviewer does not sign', 'sign', 'delivered', 'receiver', Role.LegalReviewer, 403],
    ['an auditor does not close', 'close', 'result_fed_back', 'sender', Role.Auditor, 403],
  ])('%s', (_name, action, state, side, role, status) => {
    const d = decide(state, action, ctx(side, [role], APPROVAL_KIND), validInput(action, APPROVAL_KIND));
    expect(d.ok ? 200 : d.status).toBe(status);
  });

  it('checks the party before the state', () => {
    expect(decide('closed', 'close', ctx(null, ROLES), {})).toEqual({
      ok: false,
      status: 403,
      reason: expect.stringContaining('not a party'),
    });
    expect(decide('closed', 'sign', ctx('sender', ROLES), {})).toMatchObject({ status: 403 });
    expect(decide('closed', 'approve', ctx('sender', [Role.CaseOfficer]), {})).toMatchObject({ status: 403 });
  });
});

describe('decide: 400 names each missing or invalid field', () => {
  const rows = allRules().flatMap(([name, rule]) => rule.required.map((field) => [name, field, rule] as const));
  it('covers every required field in the table', () => {
    expect(rows.map(([, field, rule]) => `${rule.action}.${field}`).sort()).toEqual([
      'conclude.outcome',
      'conclude.outcomeText',
      'hold.holdReason',
      'reject_approval.reasonText',
      'return.reasonCode',
      'return.reasonText',
    ]);
  });

  it.each(rows)('%s without %s', (_name, field, rule) => {
    const kind = kindForRule(rule);
    const input: ActionInput = { ...validInput(rule.action, kind), [field]: undefined };
    const d = decide(rule.from[0] ?? 'draft', rule.action, ctx(rule.side, rule.roles, kind), input);
    expect(d).toEqual({
      ok: false,
      status: 400,
      reason: expect.any(String),
      fields: [{ field, message: expect.stringContaining(field) }],
    });
  });

  it.each(rows)('%s with %s blank or not one of the allowed values', (_name, field, rule) => {
    const kind = kindForRule(rule);
    const input: ActionInput = { ...validInput(rule.action, kind), [field]: '   ' };
    const d = decide(rule.from[0] ?? 'draft', rule.action, ctx(rule.side, rule.roles, kind), input);
    expect(d).toMatchObject({ ok: false, status: 400, fields: [{ field }] });
  });

  const signed = (input: ActionInput) => decide('signed', 'return', ctx('receiver', [Role.TownshipStaff]), input);
  it.each<[string, ActionInput, string[]]>([
    ['nothing at all', {}, ['reasonCode', 'reasonText']],
    ['an unknown reason code', { reasonCode: 'busy' as never, reasonText: '人手不足' }, ['reasonCode']],
    [
      'not ours without the clause',
      { reasonCode: 'not_our_jurisdiction', reasonText: '非本镇赋权事项' },
      ['boundaryClause'],
    ],
    [
      'not ours with a blank clause',
      { reasonCode: 'not_our_jurisdiction', reasonText: '非本镇赋权事项', boundaryClause: ' ' },
      ['boundaryClause'],
    ],
    [
      'not ours with the clause',
      { reasonCode: 'not_our_jurisdiction', reasonText: '非本镇赋权事项', boundaryClause: '第二批划转目录第37项' },
      [],
    ],
    ['not ours, clause but no text', { reasonCode: 'not_our_jurisdiction', boundaryClause: '第37项' }, ['reasonText']],
    [
      'materials incomplete without the list',
      { reasonCode: 'materials_incomplete', reasonText: '缺材料' },
      ['missingMaterials'],
    ],
    [
      'materials incomplete with an empty list',
      { reasonCode: 'materials_incomplete', reasonText: '缺材料', missingMaterials: [] },
      ['missingMaterials'],
    ],
    [
      'materials incomplete with a blank item',
      { reasonCode: 'materials_incomplete', reasonText: '缺材料', missingMaterials: ['现场勘验笔录', ''] },
      ['missingMaterials'],
    ],
    [
      'materials incomplete with the list',
      {
        reasonCode: 'materials_incomplete',
        reasonText: '缺材料',
        missingMaterials: ['现场勘验笔录', '当事人身份证明'],
      },
      [],
    ],
    ['duplicate with a text only', { reasonCode: 'duplicate', reasonText: '重复' }, []],
    ['other with a text only', { reasonCode: 'other', reasonText: '其他原因' }, []],
    ['other without a text', { reasonCode: 'other' }, ['reasonText']],
  ])('return: %s', (_name, input, fields) => {
    const d = signed(input);
    if (fields.length === 0) expect(d).toEqual({ ok: true, next: 'returned' });
    else expect(d.ok || d.status !== 400 ? [] : d.fields.map((f) => f.field)).toEqual(fields);
  });

  it.each<[ReferralKind, ActionInput['outcome'], boolean]>([
    ['compulsory_enforcement', 'enforcement_granted', true],
    ['compulsory_enforcement', 'enforcement_refused', true],
    ['compulsory_enforcement', 'case_filed', false],
    ['suspected_crime_transfer', 'case_filed', true],
    ['suspected_crime_transfer', 'enforcement_granted', false],
    ['jurisdiction_transfer', 'penalty_decided', true],
    ['jurisdiction_transfer', 'no_penalty', true],
    ['jurisdiction_transfer', 'case_filed', false],
    ['supervision_opinion_request', 'opinion_given', true],
    ['police_assistance', 'other', true],
    ['police_assistance', 'penalty_decided', false],
  ])('conclude %s as %s: ok %s', (kind, outcome, ok) => {
    const d = decide('in_progress', 'conclude', ctx('receiver', [Role.CaseOfficer], kind), {
      outcome,
      outcomeText: '已办结',
    });
    expect(d).toEqual(
      ok
        ? { ok: true, next: 'concluded' }
        : expect.objectContaining({ status: 400, fields: [expect.objectContaining({ field: 'outcome' })] }),
    );
  });

  it.each(REFERRAL_KINDS)('%s can conclude as other', (kind) => {
    expect(OUTCOMES_BY_KIND[kind]).toContain('other');
  });

  it.each(HOLD_REASONS)('hold for %s', (holdReason) => {
    expect(decide('in_progress', 'hold', ctx('receiver', [Role.TownshipStaff]), { holdReason })).toEqual({
      ok: true,
      next: 'on_hold',
    });
  });

  it.each<[string, ActionInput, string[]]>([
    ['as routed', {}, []],
    [
      'to a receiver chosen by hand, with a reason',
      { receivingAgencyId: 'XZ-HZ', overrideReason: '指导办会议纪要' },
      [],
    ],
    ['to a receiver chosen by hand, without a reason', { receivingAgencyId: 'XZ-HZ' }, ['overrideReason']],
    ['to a blank receiver', { receivingAgencyId: '', overrideReason: '指导办会议纪要' }, ['receivingAgencyId']],
  ])('reroute %s', (_name, input, fields) => {
    const d = decide('returned', 'reroute', ctx('sender', [Role.LiaisonOfficer]), input);
    if (fields.length === 0) expect(d).toEqual({ ok: true, next: 'delivered' });
    else expect(d.ok || d.status !== 400 ? [] : d.fields.map((f) => f.field)).toEqual(fields);
  });
});

describe('allowedActions', () => {
  it.each<[ReferralState, ReferralSide, readonly Role[], ReferralKind, ReferralAction[]]>([
    ['draft', 'sender', [Role.CaseOfficer], PLAIN_KIND, ['submit', 'withdraw']],
    ['draft', 'receiver', REFERRAL_RECEIVER_ROLES, PLAIN_KIND, []],
    ['submitted', 'sender', [Role.CaseOfficer], APPROVAL_KIND, ['withdraw']],
    ['submitted', 'sender', [Role.AgencyHead], APPROVAL_KIND, ['approve', 'reject_approval', 'withdraw']],
    ['signed', 'receiver', [Role.CourtClerk], 'compulsory_enforcement', ['accept', 'return']],
    ['signed', 'sender', [Role.CaseOfficer], PLAIN_KIND, ['withdraw']],
    ['returned', 'sender', [Role.TownshipStaff], PLAIN_KIND, ['withdraw', 'resubmit', 'reroute', 'escalate']],
    ['in_progress', 'receiver', [Role.Prosecutor], 'supervision_request', ['hold', 'conclude']],
    ['in_progress', 'receiver', [Role.Auditor], PLAIN_KIND, []],
    ['result_fed_back', 'sender', [Role.LiaisonOfficer], PLAIN_KIND, ['close']],
  ])('%s for the %s as %j (%s)', (state, side, roles, kind, expected) => {
    expect(allowedActions(state, ctx(side, roles, kind))).toEqual(expected);
  });

  it('offers nothing to a non-party', () => {
    for (const state of REFERRAL_STATES) expect(allowedActions(state, ctx(null, ROLES))).toEqual([]);
  });

  it.each(TERMINAL_STATES)('offers nothing in %s', (state) => {
    expect(allowedActions(state, ctx('sender', ROLES))).toEqual([]);
    expect(allowedActions(state, ctx('receiver', ROLES))).toEqual([]);
  });
});

describe('a full happy path, draft to closed', () => {
  type Step = [ReferralAction, ReferralSide, Role, ActionInput, ReferralState];
  const middle: Step[] = [
    ['sign', 'receiver', Role.LiaisonOfficer, {}, 'signed'],
    ['accept', 'receiver', Role.CaseOfficer, {}, 'accepted'],
    ['start', 'receiver', Role.CaseOfficer, {}, 'in_progress'],
    ['hold', 'receiver', Role.CaseOfficer, { holdReason: 'awaiting_materials' }, 'on_hold'],
    ['resume', 'receiver', Role.CaseOfficer, {}, 'in_progress'],
  ];
  const end: Step[] = [
    ['feed_back', 'receiver', Role.LiaisonOfficer, {}, 'result_fed_back'],
    ['close', 'sender', Role.CaseOfficer, {}, 'closed'],
  ];
  it.each<[ReferralKind, Step[]]>([
    [
      'suspected_crime_transfer',
      [
        ['submit', 'sender', Role.CaseOfficer, {}, 'submitted'],
        ['approve', 'sender', Role.AgencyHead, {}, 'delivered'],
        ...middle,
        ['conclude', 'receiver', Role.CaseOfficer, { outcome: 'case_filed', outcomeText: '立案决定书' }, 'concluded'],
        ...end,
      ],
    ],
    [
      'jurisdiction_transfer',
      [
        ['submit', 'sender', Role.CaseOfficer, {}, 'delivered'],
        ...middle.map((s): Step => [s[0], s[1], Role.TownshipStaff, s[3], s[4]]),
        [
          'conclude',
          'receiver',
          Role.TownshipStaff,
          { outcome: 'penalty_decided', outcomeText: '罚款两千元' },
          'concluded',
        ],
        ...end,
      ],
    ],
  ])('%s', (kind, steps) => {
    let state: ReferralState = 'draft';
    const visited: ReferralState[] = [state];
    for (const [action, side, role, input, expected] of steps) {
      const d = decide(state, action, ctx(side, [role], kind), input);
      expect([action, d]).toEqual([action, { ok: true, next: expected }]);
      if (d.ok) state = d.next;
      visited.push(state);
    }
    expect(state).toBe('closed');
    expect(visited).toContain('concluded');
  });
});

describe('withdraw', () => {
  it.each<[ReferralState, boolean]>([
    ['draft', true],
    ['submitted', true],
    ['delivered', true],
    ['signed', true],
    ['returned', true],
    ['accepted', false],
    ['in_progress', false],
    ['on_hold', false],
    ['concluded', false],
    ['result_fed_back', false],
    ['closed', false],
    ['withdrawn', false],
    ['escalated', false],
  ])('in %s: allowed %s', (state, allowed) => {
    const d = decide(state, 'withdraw', ctx('sender', [Role.CaseOfficer], APPROVAL_KIND), {});
    expect(d).toEqual(allowed ? { ok: true, next: 'withdrawn' } : expect.objectContaining({ ok: false, status: 409 }));
  });

  it('is refused to the receiver, who returns instead', () => {
    expect(decide('signed', 'withdraw', ctx('receiver', REFERRAL_RECEIVER_ROLES), {})).toMatchObject({ status: 403 });
  });
});

describe('isDispute', () => {
  const notOurs = (fromAgencyId: string, toAgencyId: string) => ({
    fromAgencyId,
    toAgencyId,
    reasonCode: 'not_our_jurisdiction',
  });
  it.each<[string, Parameters<typeof isDispute>[0], boolean]>([
    ['no returns: no dispute', [], false],
    ['a single return: no dispute', [notOurs('B', 'A')], false],
    ['A→B→A→B→A, B refusing twice: a dispute', [notOurs('B', 'A'), notOurs('B', 'A')], true],
    ['both refusing, B to A then A to B: a dispute', [notOurs('B', 'A'), notOurs('A', 'B')], true],
    ['two refusals between different pairs: no dispute', [notOurs('B', 'A'), notOurs('C', 'A')], false],
    [
      'returns with other reasons: no dispute',
      [
        { fromAgencyId: 'B', toAgencyId: 'A', reasonCode: 'materials_incomplete' },
        { fromAgencyId: 'B', toAgencyId: 'A', reasonCode: 'duplicate' },
        notOurs('B', 'A'),
      ],
      false,
    ],
    [
      'not-ours, other, not-ours between the same pair: a dispute',
      [notOurs('B', 'A'), { fromAgencyId: 'A', toAgencyId: 'B', reasonCode: 'other' }, notOurs('A', 'B')],
      true,
    ],
  ])('%s', (_name, returns, expected) => {
    expect(isDispute(returns)).toBe(expected);
  });
});
