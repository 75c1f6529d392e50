import { createHash } from 'node:crypto';
import { sm3 } from 'sm-crypto-v2';

/** The hash algorithms the audit chain can use (AUDIT_HASH). Each entry records its own. */
export const AUDIT_HASHES = ['sha256', 'sm3'] as const;
export type AuditHash = (typeof AUDIT_HASHES)[number];

/** The previous hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** One entry's content: everything its hash covers. */
export interface ChainedFields {
  seq: number;
  at: string;
  actorId: string | null;
  actorName: string | null;
  agencyId: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  clientAddress: string | null;
  hashAlg: AuditHash;
  prevHash: string;
}

export function digest(alg: AuditHash, text: string): string {
  switch (alg) {
    case 'sha256':
      return createHash('sha256').update(text, 'utf8').digest('hex');
    case 'sm3':
      return sm3(new TextEncoder().encode(text));
  }
}

/** JSON with object keys sorted at every level: PostgreSQL's jsonb reorders keys, the hash must not care. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The hash of an entry: its algorithm over the canonical form of its fields, previous hash included. */
export function entryHash(e: ChainedFields): string {
  const text = canonicalJson([
    e.seq,
    e.at,
    e.actorId,
    e.actorName,
    e.agencyId,
    e.action,
    e.objectType,
    e.objectId,
    e.before,
    e.after,
    e.requestId,
    e.clientAddress,
    e.hashAlg,
    e.prevHash,
  ]);
  return digest(e.hashAlg, text);
}

export type ChainBreak =
  | { seq: number; problem: 'hash_mismatch'; expected: string; stored: string }
  | { seq: number; problem: 'prev_hash_mismatch'; expected: string; stored: string }
  | { seq: number; problem: 'sequence_gap'; expected: number };

/** Walks entries in sequence order and names the first one whose link does not hold. */
export class ChainWalker {
  private prev = GENESIS_HASH;
  private nextSeq: number;
  count = 0;

  constructor(start?: { seq: number; prevHash: string }) {
    this.nextSeq = start?.seq ?? 1;
    if (start) this.prev = start.prevHash;
  }

  /** Checks one entry; returns the break, if this entry is where the chain breaks. */
  check(entry: ChainedFields & { hash: string }): ChainBreak | null {
    if (entry.seq !== this.nextSeq) return { seq: entry.seq, problem: 'sequence_gap', expected: this.nextSeq };
    if (entry.prevHash !== this.prev)
      return { seq: entry.seq, problem: 'prev_hash_mismatch', expected: this.prev, stored: entry.prevHash };
    const expected = entryHash(entry);
    if (expected !== entry.hash) return { seq: entry.seq, problem: 'hash_mismatch', expected, stored: entry.hash };
    this.prev = entry.hash;
    this.nextSeq += 1;
    this.count += 1;
    return null;
  }
}
