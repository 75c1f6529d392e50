import { defineEntity, p } from '@mikro-orm/core';
import { uuidPrimaryKey } from '../database/columns.js';
import { AGENCY_KINDS } from '@xietong/shared';

export const AgencySchema = defineEntity({
  name: 'Agency',
  tableName: 'agency',
  properties: {
    id: uuidPrimaryKey(),
    /** Stable short code used by seeds, imports and the catalogue (e.g. `ZFJ`, `XZ-LZ`). */
    code: p.string().length(32).unique(),
    kind: p.enum(AGENCY_KINDS).nativeEnumName('agency_kind'),
    nameZh: p.string().length(128),
    nameEn: p.string().length(128),
    /** A township that is a 赋权乡镇 and can hold delegations of penalty power. */
    delegated: p.boolean().default(false),
    parent: () => p.manyToOne(Agency).nullable().ref(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class Agency extends AgencySchema.class {}
AgencySchema.setClass(Agency);
