import type { ChangeSet, EventSubscriber, FlushEventArgs, Platform, TransactionEventArgs, Type } from '@mikro-orm/core';
import type { AuditHash } from './audit-chain.js';
import { currentAuditContext, type AuditContext } from './audit-context.js';
import { queueAudit, takeQueued, type AuditRow } from './audit.writer.js';

/**
 * Entities whose changes are not audit entries, and why. Everything else is audited, so a new
 * capability's entities are covered without anyone remembering to.
 */
const NOT_AUDITED: Record<string, string> = {
  AuditEntry: 'the trail itself',
  AuditPending: 'the trail itself, before it is chained',
  OutboxMessage: 'delivery plumbing; the change it carries is audited',
  IdempotentRequest: 'replay protection of a request whose effect is audited',
  AuthSession: 'sign-ins and sign-outs are audited explicitly, with the outcome',
  RefreshToken: 'token rotation: secret material, no business change',
  Notification: 'a copy of news about an audited change',
  WebhookDelivery: 'delivery attempts of audited news',
  TimelineEntry: "the matter's own record of the audited referral change",
};

/** Fields that change on every update and say nothing. */
const NOISE = new Set(['updatedAt', 'revision']);
const SECRET = /password|secret|token|hash$/i;
const MAX_TEXT = 500;

/**
 * The one mechanism by which every state change appends an audit entry: on each flush, the
 * change sets of audited entities become rows; just before their transaction commits the rows are
 * queued for the chain in that same transaction (one commit, or neither), and once it has
 * committed the chain writer is woken (`onQueued`, set by the audit module).
 */
export class AuditSubscriber implements EventSubscriber {
  private readonly pending = new WeakMap<object, AuditRow[]>();
  /** Called after a commit that queued entries. */
  onQueued: (() => void) | undefined;

  constructor(private readonly alg: AuditHash) {}

  onFlush(args: FlushEventArgs): void {
    const ctx = currentAuditContext();
    const rows = args.uow.getChangeSets().flatMap((cs) => {
      const row = rowFromChangeSet(cs, ctx, args.em.getPlatform());
      return row ? [row] : [];
    });
    if (rows.length === 0) return;
    // Inside a transaction the rows wait for its commit; a plain flush runs its own, keyed by the unit of work.
    const key: object = args.em.getTransactionContext() ?? args.uow;
    this.pending.set(key, [...(this.pending.get(key) ?? []), ...rows]);
  }

  async beforeTransactionCommit(args: TransactionEventArgs): Promise<void> {
    const rows = [...this.take(args.transaction as object | undefined), ...this.take(args.uow)];
    await queueAudit(args.em.getConnection('write'), args.transaction, rows, this.alg);
  }

  afterTransactionCommit(args: TransactionEventArgs): void {
    if (takeQueued(args.transaction as object | undefined)) this.onQueued?.();
  }

  afterTransactionRollback(args: TransactionEventArgs): void {
    this.take(args.transaction as object | undefined);
    this.take(args.uow);
  }

  private take(key: object | undefined): AuditRow[] {
    if (!key) return [];
    const rows = this.pending.get(key) ?? [];
    this.pending.delete(key);
    return rows;
  }
}

export function rowFromChangeSet(
  cs: ChangeSet<object>,
  ctx: AuditContext | undefined,
  platform: Platform,
): AuditRow | null {
  const type = cs.meta.className;
  if (type in NOT_AUDITED) return null;
  const kind = cs.type.startsWith('delete') ? 'delete' : cs.type.startsWith('update') ? 'update' : 'create';
  const props = cs.meta.props as unknown as { name: string; hidden?: boolean }[];
  const hidden = new Set(props.filter((p) => p.hidden).map((p) => p.name));
  const payload = cs.payload as Record<string, unknown>;
  const original = (cs.originalEntity ?? {}) as Record<string, unknown>;
  const keys = Object.keys(kind === 'delete' ? original : payload).filter((k) => !NOISE.has(k));
  if (kind === 'update' && keys.length === 0) return null;
  // Change sets hold database values (an array as '{a,b}'): back to what the code means.
  const jsValue = (k: string, v: unknown): unknown => {
    const type = (cs.meta.properties as Record<string, { customType?: Type<unknown> } | undefined>)[k]?.customType;
    if (!type || v === null || v === undefined) return v;
    try {
      return type.convertToJSValue(v, platform);
    } catch {
      return v;
    }
  };
  const summary = (source: Record<string, unknown>) =>
    Object.fromEntries(
      keys.map((k) => [k, hidden.has(k) || SECRET.test(k) ? '[redacted]' : summarise(jsValue(k, source[k]))]),
    );
  return {
    actorId: ctx?.actorId ?? null,
    actorName: ctx?.actorName ?? null,
    agencyId: ctx?.agencyId ?? null,
    action: `${type.charAt(0).toLowerCase()}${type.slice(1)}.${kind}`,
    objectType: type,
    objectId: cs.getSerializedPrimaryKey(),
    before: kind === 'create' ? null : summary(original),
    after: kind === 'delete' ? null : summary(payload),
    requestId: ctx?.requestId ?? null,
    clientAddress: ctx?.clientAddress ?? null,
  };
}

/** A value as it goes into the trail: dates as ISO, long text cut, nothing jsonb would refuse. */
export function summarise(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === 'string') {
    const clean = value.replaceAll('\u0000', '').toWellFormed();
    return clean.length > MAX_TEXT ? `${clean.slice(0, MAX_TEXT)}…` : clean;
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.slice(0, 50).map(summarise);
  if (typeof value === 'object') {
    // a reference the payload did not reduce to its key
    const pk = (value as { id?: unknown }).id;
    if (pk !== undefined) return summarise(pk);
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, summarise(v)]));
  }
  return value;
}
