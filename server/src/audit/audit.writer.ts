import { AsyncLocalStorage } from 'node:async_hooks';
import type { Connection, Transaction } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { entryHash, GENESIS_HASH, type AuditHash, type ChainedFields } from './audit-chain.js';
import type { AuditContext, AuditNote } from './audit-context.js';

/** Any key 2^31-ish, fixed: the advisory lock that serialises appends to the chain. */
const CHAIN_LOCK = 0x41554454; // 'AUDT'
/** Most pending entries one chain-writer transaction takes. */
const CHAIN_BATCH = 1000;

export type AuditRow = Omit<ChainedFields, 'seq' | 'prevHash' | 'hashAlg' | 'at'>;

/** An explicit note, with the request's context filled in where the note does not say. */
export function rowFromNote(note: AuditNote, ctx: AuditContext | undefined): AuditRow {
  return {
    actorId: note.actorId !== undefined ? note.actorId : (ctx?.actorId ?? null),
    actorName: note.actorName !== undefined ? note.actorName : (ctx?.actorName ?? null),
    agencyId: note.agencyId !== undefined ? note.agencyId : (ctx?.agencyId ?? null),
    action: note.action,
    objectType: note.objectType,
    objectId: note.objectId,
    before: note.before ?? null,
    after: note.after ?? null,
    requestId: ctx?.requestId ?? null,
    clientAddress: ctx?.clientAddress ?? null,
  };
}

/** Transactions that queued entries, so their commit can wake the chain writer. */
const queuedIn = new WeakSet<object>();

/** True once for a transaction that queued audit entries (the subscriber asks after its commit). */
export function takeQueued(trx: object | undefined): boolean {
  if (!trx || !queuedIn.has(trx)) return false;
  queuedIn.delete(trx);
  return true;
}

/**
 * Writes rows into `audit_pending` inside the caller's transaction: one insert, no lock and no
 * read of the chain, so audited transactions no longer queue behind each other. They commit with
 * the change they describe, or not at all; `chainPending` links them into the chain afterwards.
 */
export async function queueAudit(
  connection: Connection,
  /** the caller's transaction; none: the insert commits on its own */
  trx: Transaction,
  rows: readonly AuditRow[],
  alg: AuditHash,
): Promise<void> {
  if (rows.length === 0) return;
  // Millisecond precision: what PostgreSQL stores is exactly what will be hashed.
  const at = new Date().toISOString();
  const values: unknown[] = [];
  const tuples: string[] = [];
  for (const row of rows) {
    tuples.push('(?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?)');
    values.push(
      at,
      row.actorId,
      row.actorName,
      row.agencyId,
      row.action,
      row.objectType,
      row.objectId,
      row.before === null ? null : JSON.stringify(row.before),
      row.after === null ? null : JSON.stringify(row.after),
      row.requestId,
      row.clientAddress,
      alg,
    );
  }
  await connection.execute(
    `insert into audit_pending (at, actor_id, actor_name, agency_id, action, object_type, object_id, before, after, request_id, client_address, hash_alg) values ${tuples.join(', ')}`,
    values,
    'run',
    trx,
  );
  if (trx) queuedIn.add(trx as object);
}

interface PendingRow {
  last_seq: string | null;
  last_hash: string | null;
  id: string | null;
  at: Date;
  actor_id: string | null;
  actor_name: string | null;
  agency_id: string | null;
  action: string;
  object_type: string;
  object_id: string | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
  client_address: string | null;
  hash_alg: AuditHash;
}

/**
 * The chain writer's step: under the chain's lock, takes the oldest committed pending entries,
 * links each to the previous one's hash, inserts them into `audit_entry` and removes them from
 * `audit_pending`, in one transaction (moved, or neither). One lock and five statements for up
 * to CHAIN_BATCH entries, however many transactions wrote them. Returns how many it chained.
 */
export async function chainPending(em: EntityManager): Promise<number> {
  return em.fork().transactional(async (tx) => {
    const exec = <T>(sql: string, params: unknown[] = []) => tx.execute<T[]>(sql, params);
    await exec('select pg_advisory_xact_lock(?)', [CHAIN_LOCK]);
    // A statement after the lock: its snapshot sees the previous holder's commit.
    const rows = await exec<PendingRow>(
      `select l.seq last_seq, l.hash last_hash, p.*
         from (select 1) one
         left join lateral (select seq, hash from audit_entry order by seq desc limit 1) l on true
         left join lateral (select * from audit_pending order by id limit ${CHAIN_BATCH}) p on true`,
    );
    const first = rows[0];
    if (!first || first.id === null) return 0;
    let seq = first.last_seq === null ? 0 : Number(first.last_seq);
    let prevHash = first.last_hash ?? GENESIS_HASH;
    const values: unknown[] = [];
    const tuples: string[] = [];
    for (const r of rows) {
      seq += 1;
      const at = new Date(r.at).toISOString();
      const fields: ChainedFields = {
        seq,
        at,
        actorId: r.actor_id,
        actorName: r.actor_name,
        agencyId: r.agency_id,
        action: r.action,
        objectType: r.object_type,
        objectId: r.object_id,
        before: r.before,
        after: r.after,
        requestId: r.request_id,
        clientAddress: r.client_address,
        hashAlg: r.hash_alg,
        prevHash,
      };
      const hash = entryHash(fields);
      tuples.push('(?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?)');
      values.push(
        seq,
        at,
        r.actor_id,
        r.actor_name,
        r.agency_id,
        r.action,
        r.object_type,
        r.object_id,
        r.before === null ? null : JSON.stringify(r.before),
        r.after === null ? null : JSON.stringify(r.after),
        r.request_id,
        r.client_address,
        r.hash_alg,
        prevHash,
        hash,
        r.id,
      );
      prevHash = hash;
    }
    await exec(
      `insert into audit_entry (seq, at, actor_id, actor_name, agency_id, action, object_type, object_id, before, after, request_id, client_address, hash_alg, prev_hash, hash, pending_id) values ${tuples.join(', ')}`,
      values,
    );
    // A statement of its own: the trigger that guards the delete must see the entries just inserted.
    await exec('delete from audit_pending where id = any(?::bigint[])', [`{${rows.map((r) => r.id).join(',')}}`]);
    return rows.length;
  });
}

/** How many entries are committed but not chained yet. */
export async function pendingCount(em: EntityManager): Promise<number> {
  const [row] = await em.fork().execute<{ n: string }[]>('select count(*) n from audit_pending');
  return Number(row?.n ?? 0);
}

/**
 * Runs `chainPending` in the background for one process: woken after each commit that queued
 * entries (several wake-ups during a pass make one more pass, not one each), and swept every
 * `sweepMs` for entries other processes committed. `drain()` chains everything committed so far
 * before a reader looks at the chain. Several processes may run one each: the lock serialises
 * them, and each takes only what the previous one left.
 */
export class AuditChainWriter {
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /**
   * Runs a function in the context this writer was made in: a pass woken from inside a request's
   * commit must be neither that request's statements nor inside its (finished) transaction.
   */
  private readonly detached = AsyncLocalStorage.snapshot();

  constructor(
    private readonly em: EntityManager,
    private readonly onError: (e: unknown) => void,
  ) {}

  start(sweepMs: number): void {
    this.timer = setInterval(() => void this.sweep(), sweepMs);
    this.timer.unref();
    this.kick();
  }

  /** The periodic look: one cheap read when nothing is pending, a pass when something is. */
  private async sweep(): Promise<void> {
    if (this.running || this.stopped) return;
    try {
      const [row] = await this.em
        .fork()
        .execute<{ waiting: boolean }[]>('select exists (select 1 from audit_pending) waiting');
      if (row?.waiting) this.kick();
    } catch (e) {
      this.onError(e);
    }
  }

  /** Asks for a pass soon; returns at once. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.detached(() =>
      this.passes().finally(() => {
        this.running = undefined;
      }),
    );
  }

  /** Chains everything committed before the call (and whatever else is pending by then). */
  async drain(): Promise<void> {
    await this.running;
    while ((await chainPending(this.em)) === CHAIN_BATCH);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async passes(): Promise<void> {
    try {
      do {
        this.again = false;
        while ((await chainPending(this.em)) === CHAIN_BATCH);
      } while (this.again && !this.stopped);
    } catch (e) {
      // The entries stay pending: the next wake-up or sweep chains them.
      this.onError(e);
    }
  }
}
