import { defineEntity, p } from '@mikro-orm/core';
import { uuidPrimaryKey } from '../database/columns.js';
import { CLOCK_CODES, CLOCK_STATES } from '@xietong/shared';
import { Referral } from '../referrals/referral.entity.js';
import { User } from '../users/user.entity.js';

/**
 * One legal clock on a referral. Its delayed jobs (warn at 75 %, overdue at 100 %, escalate a
 * working day later) carry `generation`: moving the clock bumps it, so old jobs do nothing.
 */
export const ReferralClockSchema = defineEntity({
  name: 'ReferralClock',
  tableName: 'referral_clock',
  properties: {
    id: uuidPrimaryKey(),
    referral: () => p.manyToOne(Referral).ref().index(),
    code: p.enum(CLOCK_CODES).nativeEnumName('clock_code'),
    state: p.enum(CLOCK_STATES).nativeEnumName('clock_state').index(),
    startedAt: p.datetime(),
    deadline: p.datetime().index(),
    warnAt: p.datetime(),
    escalateAt: p.datetime(),
    /** computed from statutory holidays alone: a year it touches has no official arrangement yet */
    provisional: p.boolean().default(false),
    generation: p.integer().default(0),
    pausedAt: p.datetime().nullable(),
    warnedAt: p.datetime().nullable(),
    overdueAt: p.datetime().nullable(),
    escalatedAt: p.datetime().nullable(),
    endedAt: p.datetime().nullable(),
    /** a pending request for more time, made before expiry by the receiving side */
    extensionAmount: p.integer().nullable(),
    extensionReason: p.text().nullable(),
    extensionRequestedAt: p.datetime().nullable(),
    extensionRequestedBy: () => p.manyToOne(User).ref().nullable(),
    /** extensions granted so far, in the clock's unit */
    extendedBy: p.integer().default(0),
  },
});
export class ReferralClock extends ReferralClockSchema.class {}
ReferralClockSchema.setClass(ReferralClock);

/** A county's own amount for a configurable clock (the legal table's default otherwise). */
export const ClockSettingSchema = defineEntity({
  name: 'ClockSetting',
  tableName: 'clock_setting',
  properties: {
    code: p.enum(CLOCK_CODES).nativeEnumName('clock_code').primary(),
    amount: p.integer(),
    reason: p.text(),
    updatedBy: () => p.manyToOne(User).ref().nullable(),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class ClockSetting extends ClockSettingSchema.class {}
ClockSettingSchema.setClass(ClockSetting);

/** A year's official holiday arrangement loaded by an admin (the library may lag a year). */
export const HolidayArrangementSchema = defineEntity({
  name: 'HolidayArrangement',
  tableName: 'holiday_arrangement',
  properties: {
    year: p.integer().primary(),
    arrangement: p.json<Record<string, unknown>>(),
    loadedBy: () => p.manyToOne(User).ref().nullable(),
    loadedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class HolidayArrangement extends HolidayArrangementSchema.class {}
HolidayArrangementSchema.setClass(HolidayArrangement);
