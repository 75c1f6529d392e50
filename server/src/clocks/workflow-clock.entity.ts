import { defineEntity, p } from '@mikro-orm/core';
import { CLOCK_CODES, CLOCK_STATES, WORKFLOW_KINDS } from '@xietong/shared';
import { uuidPrimaryKey } from '../database/columns.js';
import { Matter } from '../referrals/referral.entity.js';

/**
 * A legal clock that belongs to a workflow object (a dispute, a procuratorate review, a court
 * application, a joint interview) rather than to a referral: same rules, calendar, steps and
 * generation scheme as `referral_clock`, in a table of its own so referral clocks stay as they are.
 */
export const WorkflowClockSchema = defineEntity({
  name: 'WorkflowClock',
  tableName: 'workflow_clock',
  indexes: [{ properties: ['subjectKind', 'subjectId'] }],
  properties: {
    id: uuidPrimaryKey(),
    subjectKind: p.enum(WORKFLOW_KINDS).nativeEnumName('workflow_kind'),
    subjectId: p.uuid(),
    matter: () => p.manyToOne(Matter).ref().index(),
    code: p.enum(CLOCK_CODES).nativeEnumName('clock_code'),
    state: p.enum(CLOCK_STATES).nativeEnumName('clock_state').index(),
    startedAt: p.datetime(),
    deadline: p.datetime().index(),
    warnAt: p.datetime(),
    escalateAt: p.datetime(),
    provisional: p.boolean().default(false),
    generation: p.integer().default(0),
    warnedAt: p.datetime().nullable(),
    overdueAt: p.datetime().nullable(),
    escalatedAt: p.datetime().nullable(),
    endedAt: p.datetime().nullable(),
    /** told at every step */
    notifyAgencyIds: p.array<string>().columnType('uuid[]').default([]),
    /** told on escalation too (the guidance office, an agency head's agency …) */
    escalateToAgencyIds: p.array<string>().columnType('uuid[]').default([]),
  },
});
export class WorkflowClock extends WorkflowClockSchema.class {}
WorkflowClockSchema.setClass(WorkflowClock);
