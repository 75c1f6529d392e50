import { defineEntity, p } from '@mikro-orm/core';
import { uuidPrimaryKey } from '../database/columns.js';
import { BOUNDARY_CHANGE_REASONS, ITEM_CATEGORIES } from '@xietong/shared';
import { Agency } from '../agencies/agency.entity.js';
import { User } from '../users/user.entity.js';

/** 执法事项: an enforcement item of the catalogue. Its responsibility lives in its versions. */
export const EnforcementItemSchema = defineEntity({
  name: 'EnforcementItem',
  tableName: 'enforcement_item',
  properties: {
    id: uuidPrimaryKey(),
    code: p.string().length(64).unique(),
    nameZh: p.string().length(256),
    category: p.enum(ITEM_CATEGORIES).nativeEnumName('item_category'),
    legalBasis: p.text(),
    transferBatch: p.string().length(32),
    transferDate: p.string().columnType('date'),
    /** first letters of the name's pinyin (擅自占用城市道路 → szzycsdl), for search */
    pinyinInitials: p.string().length(256).index(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class EnforcementItem extends EnforcementItemSchema.class {}
EnforcementItemSchema.setClass(EnforcementItem);

/**
 * 职责边界: one version of an item's responsibility boundary, in force on
 * [effectiveFrom, effectiveTo). Versions of one item never overlap (an exclusion constraint in
 * PostgreSQL holds it); a new version closes the previous one.
 */
export const BoundaryVersionSchema = defineEntity({
  name: 'BoundaryVersionRecord',
  tableName: 'boundary_version',
  uniques: [{ properties: ['item', 'version'] }],
  checks: [
    { name: 'boundary_version_period_check', expression: 'effective_to is null or effective_to > effective_from' },
  ],
  properties: {
    id: uuidPrimaryKey(),
    item: () => p.manyToOne(EnforcementItem).ref().index(),
    version: p.integer(),
    effectiveFrom: p.string().columnType('date'),
    effectiveTo: p.string().columnType('date').nullable(),
    supervising: () => p.manyToOne(Agency).ref().nullable(),
    approving: () => p.manyToOne(Agency).ref().nullable(),
    penalising: () => p.manyToOne(Agency).ref().nullable(),
    /** 赋权乡镇 (agency ids); checked against the agency table on every write */
    delegatedTownshipIds: p.array<string>().columnType('uuid[]').default([]),
    evidenceHandoffDuty: p.text().default(''),
    resultFeedbackDuty: p.text().default(''),
    reason: p.enum(BOUNDARY_CHANGE_REASONS).nativeEnumName('boundary_change_reason'),
    note: p.text(),
    /** what caused this version (a dispute id once disputes exist, an import, a batch document) */
    causeRef: p.string().length(128).nullable(),
    createdBy: () => p.manyToOne(User).ref().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class BoundaryVersionRecord extends BoundaryVersionSchema.class {}
BoundaryVersionSchema.setClass(BoundaryVersionRecord);
