import { defineEntity, p } from '@mikro-orm/core';

/**
 * The audit trail: one row per state change, sign-in, permission change, export, or read of a
 * matter by an oversight role. Append-only in PostgreSQL (a trigger refuses UPDATE, DELETE and
 * TRUNCATE) and hash-chained: each row's hash covers its content and the previous row's hash.
 * Written by raw SQL (audit.writer.ts), never through the unit of work; the entity is for reads
 * and for the migration. Entries reach it through `audit_pending` (below).
 */
export const AuditEntrySchema = defineEntity({
  name: 'AuditEntry',
  tableName: 'audit_entry',
  properties: {
    /** position in the chain: 1, 2, 3 … without gaps */
    seq: p.bigint('number').primary().autoincrement(false),
    at: p.datetime().index(),
    actorId: p.uuid().nullable().index(),
    actorName: p.string().length(64).nullable(),
    agencyId: p.uuid().nullable(),
    action: p.string().length(64),
    objectType: p.string().length(64),
    objectId: p.string().length(64).nullable().index(),
    before: p.json<Record<string, unknown>>().nullable(),
    after: p.json<Record<string, unknown>>().nullable(),
    requestId: p.string().length(64).nullable(),
    clientAddress: p.string().length(64).nullable(),
    hashAlg: p.string().length(16),
    prevHash: p.string().length(64),
    hash: p.string().length(64),
    /** the `audit_pending` row this entry was chained from (not hashed: where it came from, not what it says) */
    pendingId: p.bigint('number').nullable().index(),
  },
});
export class AuditEntry extends AuditEntrySchema.class {}
AuditEntrySchema.setClass(AuditEntry);

/**
 * Audit entries committed with their change but not yet in the chain. A business transaction
 * only inserts here (no lock, no read of the chain's end); the chain writer (audit.writer.ts)
 * moves them into `audit_entry` in the order it takes them, many transactions at a time under
 * the chain's one lock. PostgreSQL refuses UPDATE and TRUNCATE here, and a DELETE of a row the
 * chain does not hold yet (hand-written trigger), so an entry cannot be dropped on the way.
 */
export const AuditPendingSchema = defineEntity({
  name: 'AuditPending',
  tableName: 'audit_pending',
  properties: {
    /** the order the chain writer takes them in (commit order, near enough: the chain needs an order, not this one) */
    id: p.bigint('number').primary(),
    at: p.datetime(),
    actorId: p.uuid().nullable(),
    actorName: p.string().length(64).nullable(),
    agencyId: p.uuid().nullable(),
    action: p.string().length(64),
    objectType: p.string().length(64),
    objectId: p.string().length(64).nullable(),
    before: p.json<Record<string, unknown>>().nullable(),
    after: p.json<Record<string, unknown>>().nullable(),
    requestId: p.string().length(64).nullable(),
    clientAddress: p.string().length(64).nullable(),
    hashAlg: p.string().length(16),
  },
});
export class AuditPending extends AuditPendingSchema.class {}
AuditPendingSchema.setClass(AuditPending);
