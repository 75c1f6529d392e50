/**
 * The shape every coordination workflow beside referrals shares (disputes, procuratorate reviews,
 * court enforcement, joint interviews): a lifecycle table of rules (state, action, side, roles,
 * required fields, next state) and one `decide` that answers 403, 409 or 400 in that order, the
 * same way `referral-lifecycle.ts` does. Plain data and plain functions, no I/O.
 */
import type { Role } from './agencies.js';

export interface WorkflowRule<S extends string, A extends string, Side extends string, F extends string> {
  action: A;
  from: readonly S[];
  /** 'same': the action records something and leaves the state as it is */
  to: S | 'same';
  side: Side;
  roles: readonly Role[];
  required: readonly F[];
  descriptionZh: string;
}

export interface Lifecycle<S extends string, A extends string, Side extends string, F extends string> {
  /** what the object is called, for messages: 职责争议, 检察监督 … */
  nameZh: string;
  name: string;
  actions: readonly A[];
  stateLabels: Record<S, string>;
  actionLabels: Record<A, string>;
  sideLabels: Record<Side, string>;
  rules: readonly WorkflowRule<S, A, Side, F>[];
  fieldMessages: Record<F, string>;
  /** a field's own check, where "present and not blank" is not enough */
  fieldValid?: (field: F, value: unknown) => boolean;
}

export interface WorkflowActor<Side extends string> {
  /** the sides this actor's agency holds on the object; empty: not a party */
  sides: readonly Side[];
  roles: readonly Role[];
}

export type WorkflowDecision<S extends string, A extends string> =
  | { ok: true; next: S; rule: { action: A; side: string } }
  | { ok: false; status: 403; reason: string }
  | { ok: false; status: 409; reason: string; state: S; allowed: A[] }
  | { ok: false; status: 400; reason: string; fields: { field: string; message: string }[] };

type AnyLifecycle<S extends string, A extends string, Side extends string, F extends string> = Lifecycle<S, A, Side, F>;

const mayAct = <S extends string, A extends string, Side extends string, F extends string>(
  rule: WorkflowRule<S, A, Side, F>,
  actor: WorkflowActor<Side>,
): boolean => actor.sides.includes(rule.side) && rule.roles.some((r) => actor.roles.includes(r));

const ruleFor = <S extends string, A extends string, Side extends string, F extends string>(
  lc: AnyLifecycle<S, A, Side, F>,
  state: S,
  action: A,
  actor: WorkflowActor<Side>,
): WorkflowRule<S, A, Side, F> | undefined =>
  lc.rules.find((r) => r.action === action && r.from.includes(state) && mayAct(r, actor));

/** What this actor may do in this state, in the lifecycle's action order. */
export function allowedWorkflowActions<S extends string, A extends string, Side extends string, F extends string>(
  lc: AnyLifecycle<S, A, Side, F>,
  state: S,
  actor: WorkflowActor<Side>,
): A[] {
  return lc.actions.filter((a) => ruleFor(lc, state, a, actor) !== undefined);
}

/** Present and not blank: a non-empty string, a non-empty list, a boolean, a number, an object. */
export function isFilled(v: unknown): boolean {
  if (typeof v === 'string') return v.trim() !== '';
  if (Array.isArray(v)) return v.length > 0;
  return v !== undefined && v !== null;
}

/**
 * Whether `actor` may perform `action` in `state` with `input`, and the state it leads to.
 * 403 (not a party, no side or role for the action), then 409 (not legal now), then 400 (each
 * missing field named).
 */
export function decideWorkflow<S extends string, A extends string, Side extends string, F extends string>(
  lc: AnyLifecycle<S, A, Side, F>,
  state: S,
  action: A,
  actor: WorkflowActor<Side>,
  input: Partial<Record<F, unknown>>,
): WorkflowDecision<S, A> {
  const rules = lc.rules.filter((r) => r.action === action);
  if (rules.length === 0) {
    return {
      ok: false,
      status: 400,
      reason: '未知操作（unknown action）',
      fields: [{ field: 'action', message: `未知操作「${String(action)}」（unknown action "${String(action)}"）` }],
    };
  }
  const label = lc.actionLabels[action];
  if (actor.sides.length === 0) {
    return { ok: false, status: 403, reason: `您所在单位不是该${lc.nameZh}的当事方（not a party to this ${lc.name}）` };
  }
  if (!rules.some((r) => actor.sides.includes(r.side))) {
    const sides = [...new Set(rules.map((r) => lc.sideLabels[r.side]))].join('、');
    return { ok: false, status: 403, reason: `「${label}」须由${sides}操作（"${action}" is for another side）` };
  }
  if (!rules.some((r) => mayAct(r, actor))) {
    const roles = [...new Set(rules.flatMap((r) => r.roles))].join(', ');
    return { ok: false, status: 403, reason: `「${label}」须由以下角色操作（"${action}" requires one of）：${roles}` };
  }
  const rule = ruleFor(lc, state, action, actor);
  if (!rule) {
    return {
      ok: false,
      status: 409,
      reason: `${lc.nameZh}当前为「${lc.stateLabels[state]}」，不能「${label}」（cannot "${action}" a ${lc.name} in state "${state}"）`,
      state,
      allowed: allowedWorkflowActions(lc, state, actor),
    };
  }
  const valid = (f: F) => (lc.fieldValid ? lc.fieldValid(f, input[f]) : isFilled(input[f]));
  const fields = rule.required.filter((f) => !valid(f)).map((field) => ({ field, message: lc.fieldMessages[field] }));
  if (fields.length > 0) {
    return { ok: false, status: 400, reason: '必填项缺失或无效（required fields are missing or invalid）', fields };
  }
  return { ok: true, next: rule.to === 'same' ? state : rule.to, rule: { action: rule.action, side: rule.side } };
}
