import type { Connection, Transaction } from '@mikro-orm/core';
import { entryHash, GENESIS_HASH, type AuditHash, type ChainedFields } from './audit-chain.js';
import type { AuditContext, AuditNote } from './audit-context.js';

/** Any key 2^31-ish, fixed: the advisory lock that serialises appends to the chain. */
const CHAIN_LOCK = 0x41554454; // 'AUDT'

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

/**
 * Appends rows to the chain inside the caller's transaction: takes the chain lock (held until
 * that transaction ends, so appends are serialised and the chain never forks), reads the last
 * entry, and inserts each row with the previous one's hash.
 */
export async function appendAudit(
  connection: Connection,
  trx: Transaction,
  rows: readonly AuditRow[],
  alg: AuditHash,
): Promise<void> {
  if (rows.length === 0) return;
  const exec = <T>(sql: string, params: unknown[] = []) => connection.execute(sql, params, 'all', trx) as Promise<T[]>;
  await exec('select pg_advisory_xact_lock(?)', [CHAIN_LOCK]);
  const [last] = await exec<{ seq: string; hash: string }>(
    'select seq, hash from audit_entry order by seq desc limit 1',
  );
  let seq = last ? Number(last.seq) : 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  // Millisecond precision: what PostgreSQL stores is exactly what was hashed.
  const at = new Date().toISOString();
  const values: unknown[] = [];
  const tuples: string[] = [];
  for (const row of rows) {
    seq += 1;
    const fields: ChainedFields = { ...row, seq, at, hashAlg: alg, prevHash };
    const hash = entryHash(fields);
    tuples.push('(?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?)');
    values.push(
      seq,
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
      prevHash,
      hash,
    );
    prevHash = hash;
  }
  await exec(
    `insert into audit_entry (seq, at, actor_id, actor_name, agency_id, action, object_type, object_id, before, after, request_id, client_address, hash_alg, prev_hash, hash) values ${tuples.join(', ')}`,
    values,
  );
}
