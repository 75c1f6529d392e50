import { defineEntity, p } from '@mikro-orm/core';
import { EXECUTION_OUTCOMES } from '@xietong/shared';
import { Agency } from '../agencies/agency.entity.js';
import { uuidPrimaryKey } from '../database/columns.js';
import { Matter } from '../referrals/referral.entity.js';
import { User } from '../users/user.entity.js';

/** 申请强制执行: an agency's application to the court to enforce a decision the party has not carried out. */
export const EnforcementApplicationSchema = defineEntity({
  name: 'EnforcementApplication',
  tableName: 'enforcement_application',
  properties: {
    id: uuidPrimaryKey(),
    matter: () => p.manyToOne(Matter).ref().index(),
    applicant: () => p.manyToOne(Agency).ref().index(),
    court: () => p.manyToOne(Agency).ref().index(),
    state: p.string().length(32).index(),
    /** 行政决定书文号 */
    decisionNumber: p.string().length(128).nullable(),
    /** what the party must do, or pay */
    obligation: p.text().nullable(),
    amountYuan: p.decimal('number').precision(14).scale(2).nullable(),
    demandNoticeNumber: p.string().length(128).nullable(),
    demandNoticeOn: p.string().columnType('date').nullable(),
    rulingNumber: p.string().length(128).nullable(),
    rulingExecute: p.boolean().nullable(),
    rulingReasons: p.text().nullable(),
    executionOutcome: p.enum(EXECUTION_OUTCOMES).nullable(),
    executionNote: p.text().nullable(),
    /** the joint interview whose failed rectification led here */
    fromInterviewId: p.uuid().nullable(),
    createdBy: () => p.manyToOne(User).ref(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    revision: p.integer().version(),
  },
});
export class EnforcementApplication extends EnforcementApplicationSchema.class {}
EnforcementApplicationSchema.setClass(EnforcementApplication);
