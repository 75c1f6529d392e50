import { defineEntity, p } from '@mikro-orm/core';
import { INTERFERENCE_METHODS } from '@xietong/shared';
import { Agency } from '../agencies/agency.entity.js';
import { uuidPrimaryKey } from '../database/columns.js';
import { Matter } from '../referrals/referral.entity.js';
import { User } from '../users/user.entity.js';

/**
 * 干预案件记录: someone (inside or outside the platform) asked about or tried to influence a case.
 * Sealed when written: a trigger refuses UPDATE, DELETE and TRUNCATE.
 */
export const InterferenceRecordSchema = defineEntity({
  name: 'InterferenceRecord',
  tableName: 'interference_record',
  properties: {
    id: uuidPrimaryKey(),
    /** the recording agency: its discipline contact reads the record */
    agency: () => p.manyToOne(Agency).ref().index(),
    recordedBy: () => p.manyToOne(User).ref(),
    matter: () => p.manyToOne(Matter).ref().nullable().index(),
    /** a channel the record was made from (channels are their own capability) */
    channelId: p.uuid().nullable(),
    personName: p.string().length(64),
    personPosition: p.string().length(128),
    personOrganisation: p.string().length(128).nullable(),
    /** the person named, when a platform user: they never see the record */
    personUserId: p.uuid().nullable().index(),
    occurredAt: p.datetime(),
    method: p.enum(INTERFERENCE_METHODS).nativeEnumName('interference_method'),
    content: p.text(),
    sealedAt: p
      .datetime()
      .onCreate(() => new Date())
      .index(),
  },
});
export class InterferenceRecord extends InterferenceRecordSchema.class {}
InterferenceRecordSchema.setClass(InterferenceRecord);
