import { defineEntity, p } from '@mikro-orm/core';

/**
 * The audit trail: one row per state change, sign-in, permission change, export, or read of a
 * matter by an oversight role. Append-only in PostgreSQL (a trigger refuses UPDATE, DELETE and
 * TRUNCATE) and hash-chained: each row's hash covers its content and the previous row's hash.
 * Written by raw SQL (audit.writer.ts), never through the unit of work; the entity is for reads
 * and for the migration.
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
  },
});
export class AuditEntry extends AuditEntrySchema.class {}
AuditEntrySchema.setClass(AuditEntry);
