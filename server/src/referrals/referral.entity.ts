import { defineEntity, p } from '@mikro-orm/core';
import { uuidPrimaryKey } from '../database/columns.js';
import { REFERRAL_KINDS } from '@xietong/shared';
import { Agency } from '../agencies/agency.entity.js';
import { BoundaryVersionRecord, EnforcementItem } from '../catalogue/catalogue.entity.js';
import { User } from '../users/user.entity.js';

/** 协同案件: the matter being coordinated. It keeps the boundary version in force when it started. */
export const MatterSchema = defineEntity({
  name: 'Matter',
  tableName: 'matter',
  properties: {
    id: uuidPrimaryKey(),
    /** human reference, e.g. 协-2026-000042 */
    number: p.string().length(32).unique(),
    item: () => p.manyToOne(EnforcementItem).ref().index(),
    boundaryVersion: () => p.manyToOne(BoundaryVersionRecord).ref(),
    township: () => p.manyToOne(Agency).ref().index(),
    place: p.string().length(256),
    partyKind: p.enum(['person', 'company'] as const),
    partyName: p.string().length(128),
    /** ID-card number or unified social credit code */
    partyIdNumber: p.string().length(32).nullable(),
    procedure: p.enum(['general', 'simple'] as const),
    majorDifficult: p.boolean().default(false),
    publicInterestClue: p.boolean().default(false),
    suspectedCrime: p.boolean().default(false),
    originAgency: () => p.manyToOne(Agency).ref().index(),
    startedOn: p.string().columnType('date'),
    summary: p.text(),
    createdBy: () => p.manyToOne(User).ref(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class Matter extends MatterSchema.class {}
MatterSchema.setClass(Matter);

/** The agencies on a matter and since when (an agency added by a referral joins then). */
export const MatterAgencySchema = defineEntity({
  name: 'MatterAgency',
  tableName: 'matter_agency',
  uniques: [{ properties: ['matter', 'agency'] }],
  properties: {
    id: uuidPrimaryKey(),
    matter: () => p.manyToOne(Matter).ref().index(),
    agency: () => p.manyToOne(Agency).ref().index(),
    role: p.enum(['origin', 'receiver', 'informed'] as const),
    since: p.datetime().onCreate(() => new Date()),
  },
});
export class MatterAgency extends MatterAgencySchema.class {}
MatterAgencySchema.setClass(MatterAgency);

/** 移送/转办: one agency handing a matter (or a request about it) to another. */
export const ReferralSchema = defineEntity({
  name: 'Referral',
  tableName: 'referral',
  properties: {
    id: uuidPrimaryKey(),
    matter: () => p.manyToOne(Matter).ref().index(),
    kind: p.enum(REFERRAL_KINDS).nativeEnumName('referral_kind'),
    fromAgency: () => p.manyToOne(Agency).ref().index(),
    toAgency: () => p.manyToOne(Agency).ref().index(),
    informAgencyIds: p.array<string>().columnType('uuid[]').default([]),
    state: p.string().length(32).index(),
    /** the routing rule that chose the receiver, or 'override' */
    routingRule: p.string().length(64),
    overrideReason: p.text().nullable(),
    createdBy: () => p.manyToOne(User).ref(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    /** optimistic lock: two people acting at once cannot both win */
    revision: p.integer().version(),
  },
});
export class Referral extends ReferralSchema.class {}
ReferralSchema.setClass(Referral);

/** The matter's timeline: every state change, who, when, from which state. Append-only. */
export const TimelineEntrySchema = defineEntity({
  name: 'TimelineEntry',
  tableName: 'timeline_entry',
  properties: {
    id: uuidPrimaryKey(),
    matter: () => p.manyToOne(Matter).ref().index(),
    referral: () => p.manyToOne(Referral).ref().nullable().index(),
    actor: () => p.manyToOne(User).ref().nullable(),
    agency: () => p.manyToOne(Agency).ref().nullable(),
    action: p.string().length(48),
    fromState: p.string().length(32).nullable(),
    toState: p.string().length(32).nullable(),
    detail: p.json<Record<string, unknown>>(),
    at: p.datetime().onCreate(() => new Date()),
  },
});
export class TimelineEntry extends TimelineEntrySchema.class {}
TimelineEntrySchema.setClass(TimelineEntry);

/** 职责争议: opened when a matter is returned as not-ours twice between the same agencies. */
export const ResponsibilityDisputeSchema = defineEntity({
  name: 'ResponsibilityDispute',
  tableName: 'responsibility_dispute',
  properties: {
    id: uuidPrimaryKey(),
    matter: () => p.manyToOne(Matter).ref().index(),
    agencyA: () => p.manyToOne(Agency).ref(),
    agencyB: () => p.manyToOne(Agency).ref(),
    /** 争着推 (both refuse) or 争着管 (both claim) */
    pattern: p.enum(['both_refuse', 'both_claim'] as const),
    state: p.string().length(32).default('open'),
    openedByReferral: () => p.manyToOne(Referral).ref().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    // The dispute workflow (server/src/disputes/): who opened it by hand, acceptance and ruling.
    openedBy: () => p.manyToOne(User).ref().nullable(),
    acceptedAt: p.datetime().nullable(),
    ruledAt: p.datetime().nullable(),
    responsibleAgency: () => p.manyToOne(Agency).ref().nullable(),
    rulingText: p.text().nullable(),
    rulingReferral: () => p.manyToOne(Referral).ref().nullable(),
    rulingBoundaryVersion: () => p.manyToOne(BoundaryVersionRecord).ref().nullable(),
    /** optimistic lock */
    revision: p.integer().version().default(1),
  },
});
export class ResponsibilityDispute extends ResponsibilityDisputeSchema.class {}
ResponsibilityDisputeSchema.setClass(ResponsibilityDispute);
