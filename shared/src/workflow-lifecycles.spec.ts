import { describe, expect, it } from '@jest/globals';
import { ROLES, Role } from './agencies.js';
import { DISPUTE_LIFECYCLE } from './dispute-lifecycle.js';
import { ENFORCEMENT_LIFECYCLE } from './enforcement-lifecycle.js';
import { INTERVIEW_LIFECYCLE } from './interview-lifecycle.js';
import { REVIEW_LIFECYCLE, REVIEW_QUESTIONS } from './review-lifecycle.js';
import { allowedWorkflowActions, decideWorkflow, type Lifecycle } from './workflow-lifecycle.js';

type AnyLifecycle = Lifecycle<string, string, string, string>;
const LIFECYCLES = [DISPUTE_LIFECYCLE, REVIEW_LIFECYCLE, ENFORCEMENT_LIFECYCLE, INTERVIEW_LIFECYCLE] as unknown as [
  AnyLifecycle,
  ...AnyLifecycle[],
];

const checklist = Object.fromEntries(REVIEW_QUESTIONS.map((q) => [q, { satisfied: true }]));
const sample = (field: string): unknown => (field === 'checklist' ? checklist : '有内容');
const full = (fields: readonly string[]) => Object.fromEntries(fields.map((f) => [f, sample(f)]));
const states = (lc: AnyLifecycle) => Object.keys(lc.stateLabels);
const sides = (lc: AnyLifecycle) => Object.keys(lc.sideLabels);

/** Every (lifecycle, rule, from-state, role) the tables allow. */
const cases = LIFECYCLES.flatMap((lc) =>
  lc.rules.flatMap((rule) =>
    rule.from.flatMap((from) => rule.roles.map((role) => ({ lc, rule, from, role, name: lc.name }))),
  ),
);

describe.each(LIFECYCLES.map((lc) => [lc.name, lc] as const))('the %s lifecycle table', (_, lc) => {
  it('labels every state, action and side, and every rule names known ones', () => {
    for (const rule of lc.rules) {
      expect(lc.actions).toContain(rule.action);
      expect(sides(lc)).toContain(rule.side);
      for (const s of rule.from) expect(states(lc)).toContain(s);
      if (rule.to !== 'same') expect(states(lc)).toContain(rule.to);
      for (const f of rule.required) expect(lc.fieldMessages[f]).toBeTruthy();
    }
    for (const a of lc.actions) expect(lc.rules.some((r) => r.action === a)).toBe(true);
  });

  it('refuses an actor whose agency is not a party (403)', () => {
    for (const action of lc.actions) {
      const d = decideWorkflow(lc, states(lc)[0] ?? '', action, { sides: [], roles: ROLES }, {});
      expect(d).toMatchObject({ ok: false, status: 403 });
    }
  });

  it('names an unknown action (400)', () => {
    const d = decideWorkflow(lc, states(lc)[0] ?? '', 'fly', { sides: sides(lc), roles: ROLES }, {});
    expect(d).toMatchObject({ ok: false, status: 400, fields: [{ field: 'action' }] });
  });
});

describe.each(cases.map((c) => [c.name, c.rule.action, c.rule.side, c.role, c.from, c] as const))(
  '%s: %s by the %s side as %s from %s',
  (_n, _a, _s, _r, _f, { lc, rule, from, role }) => {
    const actor = { sides: [rule.side], roles: [role] };

    it(`leads to ${rule.to === 'same' ? 'the same state' : rule.to} with every required field`, () => {
      expect(decideWorkflow(lc, from, rule.action, actor, full(rule.required))).toMatchObject({
        ok: true,
        next: rule.to === 'same' ? from : rule.to,
      });
      expect(allowedWorkflowActions(lc, from, actor)).toContain(rule.action);
    });

    it('answers 400 naming each missing required field', () => {
      for (const field of rule.required) {
        const input = full(rule.required.filter((f) => f !== field));
        expect(decideWorkflow(lc, from, rule.action, actor, input)).toEqual(
          expect.objectContaining({ ok: false, status: 400, fields: [expect.objectContaining({ field })] }),
        );
      }
    });

    it('answers 409 with the allowed actions in every state the rule does not start from', () => {
      const legal = lc.rules
        .filter((r) => r.action === rule.action && r.side === rule.side && r.roles.includes(role))
        .flatMap((r) => r.from);
      for (const state of states(lc).filter((s) => !legal.includes(s))) {
        expect(decideWorkflow(lc, state, rule.action, actor, full(rule.required))).toEqual({
          ok: false,
          status: 409,
          reason: expect.any(String),
          state,
          allowed: allowedWorkflowActions(lc, state, actor),
        });
      }
    });

    it('answers 403 to the other sides and to roles the rule does not name', () => {
      const others = sides(lc).filter(
        (s) => !lc.rules.some((r) => r.action === rule.action && r.side === s && r.roles.includes(role)),
      );
      for (const s of others) {
        expect(decideWorkflow(lc, from, rule.action, { sides: [s], roles: [role] }, full(rule.required))).toMatchObject(
          { ok: false, status: 403 },
        );
      }
      const named = lc.rules.filter((r) => r.action === rule.action && r.side === rule.side).flatMap((r) => r.roles);
      for (const other of ROLES.filter((r) => !named.includes(r))) {
        expect(
          decideWorkflow(lc, from, rule.action, { sides: [rule.side], roles: [other] }, full(rule.required)),
        ).toMatchObject({ ok: false, status: 403 });
      }
    });
  },
);

describe('checks beyond presence', () => {
  it('a review opinion needs all four questions answered', () => {
    const actor = { sides: ['prosecutor' as const], roles: [Role.Prosecutor] };
    const partial = { factsClear: { satisfied: true }, evidenceSufficient: { satisfied: false } };
    expect(
      decideWorkflow(REVIEW_LIFECYCLE, 'in_review', 'no_objection', actor, { checklist: partial, opinionText: '无' }),
    ).toMatchObject({ ok: false, status: 400, fields: [{ field: 'checklist' }] });
  });

  it('only an arbiter rules a dispute; the guidance head may accept it', () => {
    const head = { sides: ['guidance' as const], roles: [Role.AgencyHead] };
    expect(decideWorkflow(DISPUTE_LIFECYCLE, 'open', 'accept', head, {})).toMatchObject({ ok: true });
    expect(
      decideWorkflow(DISPUTE_LIFECYCLE, 'accepted', 'rule', head, full(['responsibleAgencyId', 'rulingText'])),
    ).toMatchObject({ ok: false, status: 403 });
  });

  it('only the agency head signs the application to the court (行政强制法第五十五条)', () => {
    const officer = { sides: ['applicant' as const], roles: [Role.CaseOfficer] };
    expect(
      decideWorkflow(ENFORCEMENT_LIFECYCLE, 'demanded', 'apply', officer, full(['decisionNumber', 'obligation'])),
    ).toMatchObject({ ok: false, status: 403 });
  });
});
