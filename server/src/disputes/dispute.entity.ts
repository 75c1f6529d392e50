import { defineEntity, p } from '@mikro-orm/core';
import { DISPUTE_STANCES } from '@xietong/shared';
import { Agency } from '../agencies/agency.entity.js';
import { uuidPrimaryKey } from '../database/columns.js';
import { ResponsibilityDispute } from '../referrals/referral.entity.js';
import { User } from '../users/user.entity.js';

/** One party's position in a dispute. A refined position is a new row: nothing stated is lost. */
export const DisputePositionSchema = defineEntity({
  name: 'DisputePosition',
  tableName: 'dispute_position',
  properties: {
    id: uuidPrimaryKey(),
    dispute: () => p.manyToOne(ResponsibilityDispute).ref().index(),
    agency: () => p.manyToOne(Agency).ref(),
    stance: p.enum(DISPUTE_STANCES),
    boundaryClause: p.text(),
    legalBasis: p.text(),
    attachmentIds: p.array<string>().columnType('uuid[]').default([]),
    statedBy: () => p.manyToOne(User).ref(),
    statedAt: p.datetime().onCreate(() => new Date()),
  },
});
export class DisputePosition extends DisputePositionSchema.class {}
DisputePositionSchema.setClass(DisputePosition);
