import { defineEntity, p } from '@mikro-orm/core';
import { REVIEW_OPINIONS, type ReviewChecklist } from '@xietong/shared';
import { Agency } from '../agencies/agency.entity.js';
import { uuidPrimaryKey } from '../database/columns.js';
import { Matter } from '../referrals/referral.entity.js';
import { User } from '../users/user.entity.js';

/** 检察监督: a prosecutor's review of a flagged matter, its opinion and the reviewed agency's reply. */
export const ProcuratorateReviewSchema = defineEntity({
  name: 'ProcuratorateReview',
  tableName: 'procuratorate_review',
  properties: {
    id: uuidPrimaryKey(),
    matter: () => p.manyToOne(Matter).ref().index(),
    procuratorate: () => p.manyToOne(Agency).ref(),
    /** the agency whose handling is reviewed: the matter's origin agency */
    bureau: () => p.manyToOne(Agency).ref().index(),
    state: p.string().length(32).index(),
    openedBy: () => p.manyToOne(User).ref(),
    checklist: p.json<ReviewChecklist>().nullable(),
    opinion: p.enum(REVIEW_OPINIONS).nullable(),
    opinionText: p.text().nullable(),
    suggestionText: p.text().nullable(),
    replyText: p.text().nullable(),
    replyMeasures: p.array<string>().default([]),
    repliedAt: p.datetime().nullable(),
    /** set when the prosecutor asks public security why a transfer was not filed */
    policeAgency: () => p.manyToOne(Agency).ref().nullable(),
    explanationText: p.text().nullable(),
    filingText: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    revision: p.integer().version(),
  },
});
export class ProcuratorateReview extends ProcuratorateReviewSchema.class {}
ProcuratorateReviewSchema.setClass(ProcuratorateReview);
