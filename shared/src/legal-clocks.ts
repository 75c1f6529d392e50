/**
 * Legal deadlines ("clocks") on referrals and reviews: the table of clocks with their legal basis,
 * and the computation of a clock's deadline, warning and escalation instants.
 *
 * "Within N days of E" means: the day of E is not counted, and the deadline is the end of the Nth
 * day after it (23:59:59.999 China Standard Time), as 《民法典》第二百零一条 counts periods.
 * Working-day clocks count working days of the {@link WorkCalendar} (holidays and 调休 included);
 * natural-day clocks count calendar days; month clocks add calendar months, a missing day becoming
 * the month's last (Jan 31 + 1 month = Feb 28/29). A natural-day or month deadline is not moved off
 * a holiday: the rules below give no such roll-over, and an earlier deadline is the safe side for
 * the agency that must act.
 */
import { addCalendarDays, addCalendarMonths, endOfChinaDay, type WorkCalendar } from './calendar.js';
import { todayInChina } from './catalogue.js';

export const ClockCode = {
  /** township jurisdiction transfer (管辖移送): the township signs for it (签收) */
  TownshipSign: 'township_sign',
  /** township jurisdiction transfer: the township accepts (受理) or returns (退回) it */
  TownshipDecide: 'township_decide',
  /** suspected-crime transfer (涉嫌犯罪案件移送): public security decides whether to open a case */
  PoliceDecide: 'police_decide',
  /** compulsory-enforcement application (申请强制执行): the court accepts (受理) it */
  CourtAccept: 'court_accept',
  /** compulsory-enforcement application: the court rules (执行裁定) */
  CourtRule: 'court_rule',
  /** procuratorate suggestion (检察建议): the agency replies in writing */
  ProcuratorateReply: 'procuratorate_reply',
  /** assistance request (协助请求): the requested agency replies */
  AssistanceReply: 'assistance_reply',
  /** responsibility dispute (职责争议): the guidance office accepts it */
  DisputeAccept: 'dispute_accept',
  /** responsibility dispute: the guidance office rules */
  DisputeRule: 'dispute_rule',
  /** joint interview (共同约谈): the party rectifies by the deadline the interview set */
  Rectification: 'rectification',
  /** procuratorate supervision of a transfer police did not file: police explain why (说明不立案理由) */
  PoliceExplain: 'police_explain',
  /** procuratorate notice to file (通知立案): police file the case */
  PoliceFile: 'police_file',
} as const;
export type ClockCode = (typeof ClockCode)[keyof typeof ClockCode];
export const CLOCK_CODES = Object.values(ClockCode) as [ClockCode, ...ClockCode[]];

export type ClockUnit = 'natural_days' | 'working_days' | 'months';
/** The event that starts a clock (not a state). */
export type ClockStartEvent = 'delivered' | 'signed' | 'accepted' | 'applied' | 'issued' | 'opened' | 'held';

export interface ClockRule {
  code: ClockCode;
  labelZh: string;
  legalBasis: string;
  unit: ClockUnit;
  amount: number;
  /** the event that starts it (not a state) */
  startsOn: ClockStartEvent;
  /** a county may change the amount */
  configurable: boolean;
}

const defineRule = (r: ClockRule): ClockRule => Object.freeze(r);

export const LEGAL_CLOCKS: Readonly<Record<ClockCode, ClockRule>> = Object.freeze({
  township_sign: defineRule({
    code: 'township_sign',
    labelZh: '乡镇签收管辖移送',
    legalBasis: '县级执法协作规则：乡镇（街道）自送达之日起 1 个工作日内签收',
    unit: 'working_days',
    amount: 1,
    startsOn: 'delivered',
    configurable: true,
  }),
  township_decide: defineRule({
    code: 'township_decide',
    labelZh: '乡镇受理或退回管辖移送',
    legalBasis: '县级执法协作规则：乡镇（街道）自送达之日起 3 个工作日内决定受理或退回',
    unit: 'working_days',
    amount: 3,
    startsOn: 'delivered',
    configurable: true,
  }),
  police_decide: defineRule({
    code: 'police_decide',
    labelZh: '公安机关审查决定是否立案',
    legalBasis: '《行政执法机关移送涉嫌犯罪案件的规定》第八条：公安机关自接受移送之日起 3 日内审查决定',
    unit: 'natural_days',
    amount: 3,
    startsOn: 'delivered',
    configurable: false,
  }),
  // 《行政强制法》第六十九条: "本法中十日以内期限的规定是指工作日，不含法定节假日" — so the
  // court's 5 and 7 days under 第五十六、五十七条 are working days.
  court_accept: defineRule({
    code: 'court_accept',
    labelZh: '法院受理强制执行申请',
    legalBasis: '《行政强制法》第五十六条、第六十九条：人民法院接到申请后 5 日（工作日）内受理',
    unit: 'working_days',
    amount: 5,
    startsOn: 'applied',
    configurable: false,
  }),
  court_rule: defineRule({
    code: 'court_rule',
    labelZh: '法院作出执行裁定',
    legalBasis: '《行政强制法》第五十七条、第六十九条：人民法院自受理之日起 7 日（工作日）内作出执行裁定',
    unit: 'working_days',
    amount: 7,
    startsOn: 'accepted',
    configurable: false,
  }),
  // The rules set two months from receipt "除另有规定外", and an urgent suggestion may set a shorter
  // term: the amount is therefore adjustable (per suggestion, through amountOverride).
  procuratorate_reply: defineRule({
    code: 'procuratorate_reply',
    labelZh: '书面回复检察建议',
    legalBasis: '《人民检察院检察建议工作规定》：被建议单位自收到检察建议书之日起两个月以内书面回复',
    unit: 'months',
    amount: 2,
    startsOn: 'delivered',
    configurable: true,
  }),
  assistance_reply: defineRule({
    code: 'assistance_reply',
    labelZh: '答复协助请求',
    legalBasis: '县级执法协作规则：被请求单位自送达之日起 5 个工作日内答复',
    unit: 'working_days',
    amount: 5,
    startsOn: 'delivered',
    configurable: true,
  }),
  dispute_accept: defineRule({
    code: 'dispute_accept',
    labelZh: '指导办受理职责争议',
    legalBasis: '县级执法协作规则：综合行政执法指导办自争议提出之日起 5 个工作日内受理',
    unit: 'working_days',
    amount: 5,
    startsOn: 'opened',
    configurable: true,
  }),
  dispute_rule: defineRule({
    code: 'dispute_rule',
    labelZh: '指导办裁决职责争议',
    legalBasis: '县级执法协作规则：综合行政执法指导办自受理之日起 10 个工作日内作出裁决（县可另行规定）',
    unit: 'working_days',
    amount: 10,
    startsOn: 'accepted',
    configurable: true,
  }),
  // The interview itself sets the day (scheduleClockUntil); the amount is only the default offered.
  rectification: defineRule({
    code: 'rectification',
    labelZh: '约谈整改期限',
    legalBasis: '共同约谈记录：当事人承诺在约谈确定的期限内整改到位',
    unit: 'natural_days',
    amount: 15,
    startsOn: 'held',
    configurable: true,
  }),
  police_explain: defineRule({
    code: 'police_explain',
    labelZh: '公安机关说明不立案理由',
    legalBasis: '《人民检察院刑事诉讼规则》：公安机关应当在收到要求说明不立案理由通知书后七日以内书面说明',
    unit: 'natural_days',
    amount: 7,
    startsOn: 'issued',
    configurable: false,
  }),
  police_file: defineRule({
    code: 'police_file',
    labelZh: '公安机关接到通知后立案',
    legalBasis: '《刑事诉讼法》第一百一十三条、《人民检察院刑事诉讼规则》：公安机关在收到通知立案书后十五日以内立案',
    unit: 'natural_days',
    amount: 15,
    startsOn: 'issued',
    configurable: false,
  }),
});

export interface ClockSchedule {
  /** ISO instant */
  startedAt: string;
  /** ISO instant: end of the deadline day (23:59:59.999 China Standard Time) */
  deadline: string;
  /** 75 % of the time from start to deadline */
  warnAt: string;
  /** end of the first working day after the deadline day */
  escalateAt: string;
  /** some year touched has no official arrangement */
  provisional: boolean;
}

function assertAmount(amount: number, what: string): void {
  if (!Number.isInteger(amount) || amount < 1) throw new RangeError(`${what} must be an integer >= 1: ${amount}`);
}

/** The day `amount` units of `unit` after `day`. */
function advance(unit: ClockUnit, day: string, amount: number, calendar: WorkCalendar): string {
  switch (unit) {
    case 'natural_days':
      return addCalendarDays(day, amount);
    case 'working_days':
      return calendar.addWorkingDays(day, amount);
    case 'months':
      return addCalendarMonths(day, amount);
  }
}

function build(startMs: number, deadlineDay: string, calendar: WorkCalendar): ClockSchedule {
  const startDay = todayInChina(new Date(startMs));
  const deadlineMs = endOfChinaDay(deadlineDay).getTime();
  const escalateDay = calendar.nextWorkingDay(deadlineDay);
  let provisional = false;
  for (let year = Number(startDay.slice(0, 4)); year <= Number(escalateDay.slice(0, 4)); year++) {
    if (!calendar.hasOfficialArrangement(year)) provisional = true;
  }
  return {
    startedAt: new Date(startMs).toISOString(),
    deadline: new Date(deadlineMs).toISOString(),
    warnAt: new Date(startMs + Math.floor(((deadlineMs - startMs) * 3) / 4)).toISOString(),
    escalateAt: endOfChinaDay(escalateDay).toISOString(),
    provisional,
  };
}

function instant(value: Date | string, what: string): number {
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`${what} is not a valid instant: ${String(value)}`);
  return ms;
}

/**
 * Schedules a clock that started at `startedAt` (the instant of the rule's start event).
 * `amountOverride` is a county's (or, for 检察建议, the suggestion's own) amount; it is refused for a
 * rule that is not configurable.
 */
export function scheduleClock(
  rule: ClockRule,
  startedAt: Date,
  calendar: WorkCalendar,
  amountOverride?: number,
): ClockSchedule {
  const startMs = instant(startedAt, 'startedAt');
  if (amountOverride !== undefined && !rule.configurable && amountOverride !== rule.amount) {
    throw new RangeError(`${rule.code} is set by law (${rule.amount}); it cannot be changed to ${amountOverride}`);
  }
  const amount = amountOverride ?? rule.amount;
  assertAmount(amount, 'amount');
  return build(startMs, advance(rule.unit, todayInChina(new Date(startMs)), amount, calendar), calendar);
}

/** Schedules a clock whose deadline day was chosen (a rectification deadline set at an interview). */
export function scheduleClockUntil(startedAt: Date, deadlineDay: string, calendar: WorkCalendar): ClockSchedule {
  const startMs = instant(startedAt, 'startedAt');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(deadlineDay) || deadlineDay <= todayInChina(new Date(startMs))) {
    throw new RangeError(`deadlineDay must be a day after the start: ${deadlineDay}`);
  }
  return build(startMs, deadlineDay, calendar);
}

/**
 * Moves a clock: after `pausedMs` on hold, or with `extraAmount` granted as an extension (same unit
 * as the rule); both may be given (the pause is applied first).
 *
 * A pause freezes what was left of the clock from the day it began to the day it ended: the
 * deadline moves by the days those two days are apart — working days for a working-day clock,
 * calendar days otherwise. `pausedAt` (an addition to the basic change) says when the hold began;
 * without it the hold is taken to begin at the start, i.e. the whole clock slides later. A hold that
 * begins and ends on the same day does not move a deadline counted in days. An extension adds its
 * amount to the deadline day (months: from the deadline day, clamped to the month's end).
 * `startedAt` stays the real start; warnAt is recomputed as 75 % of the time from it to the new deadline.
 */
export function extendClock(
  rule: ClockRule,
  schedule: ClockSchedule,
  calendar: WorkCalendar,
  change: { pausedMs?: number; extraAmount?: number; pausedAt?: Date },
): ClockSchedule {
  const startMs = instant(schedule.startedAt, 'schedule.startedAt');
  let deadlineDay = todayInChina(new Date(instant(schedule.deadline, 'schedule.deadline')));

  const { pausedMs = 0, extraAmount } = change;
  if (!Number.isFinite(pausedMs) || pausedMs < 0) throw new RangeError(`pausedMs must be >= 0: ${pausedMs}`);
  const pausedFromMs = change.pausedAt === undefined ? startMs : instant(change.pausedAt, 'pausedAt');
  if (pausedFromMs < startMs) throw new RangeError('pausedAt is before the clock started');
  if (pausedMs > 0) {
    const from = todayInChina(new Date(pausedFromMs));
    const to = todayInChina(new Date(pausedFromMs + pausedMs));
    if (rule.unit === 'working_days') {
      const lost = calendar.workingDaysBetween(from, to);
      if (lost > 0) deadlineDay = calendar.addWorkingDays(deadlineDay, lost);
    } else {
      deadlineDay = addCalendarDays(deadlineDay, Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000));
    }
  }
  if (extraAmount !== undefined) {
    assertAmount(extraAmount, 'extraAmount');
    deadlineDay = advance(rule.unit, deadlineDay, extraAmount, calendar);
  }
  return build(startMs, deadlineDay, calendar);
}
