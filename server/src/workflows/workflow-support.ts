import type { EntityManager } from '@mikro-orm/postgresql';
import type { WorkflowDecision, WorkflowKind } from '@xietong/shared';
import { Agency } from '../agencies/agency.entity.js';
import { Conflict, Forbidden, ValidationFailed } from '../common/errors.js';
import type { Actor } from '../common/policy/actor.js';
import { OutboxRelay } from '../outbox/outbox.service.js';
import { Matter, TimelineEntry } from '../referrals/referral.entity.js';
import { User } from '../users/user.entity.js';

/** The next state of a lifecycle decision, or the domain error it stands for (403, 409 with allowed actions, 400). */
export function nextStateOf<S extends string, A extends string>(d: WorkflowDecision<S, A>): S {
  if (d.ok) return d.next;
  if (d.status === 403) throw new Forbidden(d.reason);
  if (d.status === 400) throw new ValidationFailed(d.fields, d.reason);
  throw conflict(d.reason, [
    { field: 'state', message: d.state },
    { field: 'allowedActions', message: d.allowed.join(',') },
  ]);
}

export function conflict(message: string, details: { field: string; message: string }[]): Conflict {
  const e = new Conflict(message);
  e.details = details;
  return e;
}

export interface WorkflowChange {
  workflow: WorkflowKind;
  id: string;
  matter: Matter;
  actor: Actor | null;
  action: string;
  fromState: string | null;
  state: string;
  /** who is told (socket rooms; later the matter channel) */
  agencyIds: string[];
  summaryZh: string;
  detail?: Record<string, unknown>;
}

/**
 * Records a workflow change in the caller's transaction: an entry on the matter's timeline and
 * an outbox message on the workflow's topic (`dispute.changed` …), which the delivery worker
 * pushes to the agencies' rooms and other capabilities (matter channels) can follow.
 */
export function recordChange(em: EntityManager, c: WorkflowChange): void {
  em.create(TimelineEntry, {
    matter: c.matter,
    referral: null,
    actor: c.actor ? em.getReference(User, c.actor.userId) : null,
    agency: c.actor ? em.getReference(Agency, c.actor.agencyId) : null,
    action: `${c.workflow}.${c.action}`,
    fromState: c.fromState,
    toState: c.state,
    detail: { [`${c.workflow}Id`]: c.id, ...c.detail },
  });
  OutboxRelay.record(em, `${c.workflow}.changed`, {
    workflow: c.workflow,
    id: c.id,
    matterId: c.matter.id,
    matterNumber: c.matter.number,
    action: c.action,
    fromState: c.fromState,
    state: c.state,
    actor: c.actor ? { userId: c.actor.userId, agencyId: c.actor.agencyId } : null,
    agencyIds: [...new Set(c.agencyIds)],
    summaryZh: c.summaryZh,
    at: new Date().toISOString(),
  });
}

/** The defined fields of an action's input, for the timeline. */
export const definedFields = (input: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));

export const matterSummary = (m: Matter) => ({
  id: m.id,
  number: m.number,
  itemCode: m.item.unwrap().code,
  itemName: m.item.unwrap().nameZh,
});

export const isFlaggedMatter = (m: Matter): boolean => m.majorDifficult || m.publicInterestClue || m.suspectedCrime;

/** 400 naming the field unless every id is an attachment (or timeline entry) of this matter. */
export async function assertOnMatter(
  em: EntityManager,
  matterId: string,
  table: 'attachment' | 'timeline_entry',
  ids: readonly string[] | undefined,
  field: string,
): Promise<void> {
  if (!ids || ids.length === 0) return;
  const rows = await em.execute<{ id: string }[]>(
    `select id from ${table} where matter_id = ? and id = any(?::uuid[])`,
    [matterId, `{${ids.join(',')}}`],
  );
  const found = new Set(rows.map((r) => r.id));
  const missing = ids.filter((i) => !found.has(i));
  if (missing.length > 0) {
    throw new ValidationFailed([
      { field, message: `不是本案的${table === 'attachment' ? '附件' : '时间线记录'}：${missing.join(', ')}` },
    ]);
  }
}
