import { defineEntity, p } from '@mikro-orm/core';
import { DISCLOSURE_STATES } from '@xietong/shared';
import { Agency } from '../agencies/agency.entity.js';
import { uuidPrimaryKey } from '../database/columns.js';
import { Matter, Referral } from '../referrals/referral.entity.js';
import { User } from '../users/user.entity.js';

/** 行政执法公示: a concluded penalty decision, queued, published (masked) or withdrawn with a reason. */
export const DisclosureSchema = defineEntity({
  name: 'Disclosure',
  tableName: 'disclosure',
  properties: {
    id: uuidPrimaryKey(),
    matter: () => p.manyToOne(Matter).ref().index(),
    /** the concluded referral that decided it; one disclosure per decision */
    referral: () => p.manyToOne(Referral).ref().nullable().unique(),
    /** the deciding agency (the one that concluded the referral) */
    agency: () => p.manyToOne(Agency).ref().index(),
    decidedOn: p.string().columnType('date'),
    dueOn: p.string().columnType('date').index(),
    decision: p.text(),
    state: p.enum(DISCLOSURE_STATES).nativeEnumName('disclosure_state').index(),
    publishedAt: p.datetime().nullable(),
    publishedBy: () => p.manyToOne(User).ref().nullable(),
    withdrawnAt: p.datetime().nullable(),
    withdrawnBy: () => p.manyToOne(User).ref().nullable(),
    withdrawReason: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class Disclosure extends DisclosureSchema.class {}
DisclosureSchema.setClass(Disclosure);
