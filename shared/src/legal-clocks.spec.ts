import { describe, expect, it } from '@jest/globals';

import { WorkCalendar } from './calendar.js';
import { FIXTURE_2027 } from './calendar.fixtures.js';
import {
  CLOCK_CODES,
  type ClockCode,
  type ClockRule,
  LEGAL_CLOCKS,
  extendClock,
  scheduleClock,
  scheduleClockUntil,
} from './legal-clocks.js';

// ---------------------------------------------------------------------------------------------
// Fixtures. Start instants are written in China Standard Time (+08:00); expected instants are the
// end of a China day, i.e. `<day>T15:59:59.999Z`, worked out by hand from the 2025/2026 notices.

const calendar = new WorkCalendar();
const with2027 = new WorkCalendar([FIXTURE_2027]);

/** 'YYYY-MM-DD HH:mm' in China Standard Time. */
const cst = (s: string): Date => new Date(`${s.replace(' ', 'T')}:00+08:00`);
/** The last instant of a China day. */
const endOf = (day: string): string => `${day}T15:59:59.999Z`;
const HOUR = 3_600_000;

describe('LEGAL_CLOCKS', () => {
  it.each<[ClockCode, ClockRule['unit'], number, ClockRule['startsOn'], boolean]>([
    ['township_sign', 'working_days', 1, 'delivered', true],
    ['township_decide', 'working_days', 3, 'delivered', true],
    ['police_decide', 'natural_days', 3, 'delivered', false],
    ['court_accept', 'working_days', 5, 'applied', false],
    ['court_rule', 'working_days', 7, 'accepted', false],
    ['procuratorate_reply', 'months', 2, 'delivered', true],
    ['assistance_reply', 'working_days', 5, 'delivered', true],
    ['dispute_accept', 'working_days', 5, 'opened', true],
    ['dispute_rule', 'working_days', 10, 'accepted', true],
    ['rectification', 'natural_days', 15, 'held', true],
    ['police_explain', 'natural_days', 7, 'issued', false],
    ['police_file', 'natural_days', 15, 'issued', false],
  ])('%s: %s × %i from %s, configurable %s', (code, unit, amount, startsOn, configurable) => {
    expect(LEGAL_CLOCKS[code]).toMatchObject({ code, unit, amount, startsOn, configurable });
  });

  it.each<[ClockCode, string]>([
    ['police_decide', '《行政执法机关移送涉嫌犯罪案件的规定》第八条'],
    ['court_accept', '《行政强制法》第五十六条、第六十九条'],
    ['court_rule', '《行政强制法》第五十七条、第六十九条'],
    ['procuratorate_reply', '《人民检察院检察建议工作规定》'],
  ])('%s cites %s', (code, basis) => {
    expect(LEGAL_CLOCKS[code].legalBasis).toContain(basis);
  });

  it('has one rule per code and nothing else', () => {
    expect(Object.keys(LEGAL_CLOCKS).sort()).toEqual([...CLOCK_CODES].sort());
    expect(CLOCK_CODES).toHaveLength(12);
  });
});

interface Row {
  what: string;
  code: ClockCode;
  start: string;
  override?: number;
  deadline: string;
  escalate: string;
  provisional: boolean;
}

describe('scheduleClock', () => {
  it.each<Row>([
    {
      what: '1 working day across 元旦 lands on the 调休 Sunday Jan 4',
      code: 'township_sign',
      start: '2025-12-31 16:00',
      deadline: '2026-01-04',
      escalate: '2026-01-05',
      provisional: false,
    },
    {
      what: '3 working days across 春节: Feb 13, the 调休 Saturday Feb 14, then Feb 24',
      code: 'township_decide',
      start: '2026-02-12 10:00',
      deadline: '2026-02-24',
      escalate: '2026-02-25',
      provisional: false,
    },
    {
      what: '5 working days counting the 调休 Saturday Feb 28',
      code: 'assistance_reply',
      start: '2026-02-24 09:00',
      deadline: '2026-03-02',
      escalate: '2026-03-03',
      provisional: false,
    },
    {
      what: 'a county’s 3 working days: escalation on the 调休 Saturday Feb 28',
      code: 'assistance_reply',
      start: '2026-02-24 09:00',
      override: 3,
      deadline: '2026-02-27',
      escalate: '2026-02-28',
      provisional: false,
    },
    {
      what: '5 working days ending on the 2025 调休 Sunday Jan 26',
      code: 'assistance_reply',
      start: '2025-01-20 10:00',
      deadline: '2025-01-26',
      escalate: '2025-01-27',
      provisional: false,
    },
    {
      what: '3 natural days ending on a Sunday: escalation skips to Monday',
      code: 'police_decide',
      start: '2026-01-29 09:00',
      deadline: '2026-02-01',
      escalate: '2026-02-02',
      provisional: false,
    },
    {
      what: '3 natural days ending on 国庆: escalation skips the holiday week',
      code: 'police_decide',
      start: '2026-09-28 09:00',
      deadline: '2026-10-01',
      escalate: '2026-10-08',
      provisional: false,
    },
    {
      what: 'just before midnight China time the day is still Mar 2',
      code: 'police_decide',
      start: '2026-03-02 23:30',
      deadline: '2026-03-05',
      escalate: '2026-03-06',
      provisional: false,
    },
    {
      what: 'just after midnight China time (still Mar 2 in UTC) the day is Mar 3',
      code: 'police_decide',
      start: '2026-03-03 00:30',
      deadline: '2026-03-06',
      escalate: '2026-03-09',
      provisional: false,
    },
    {
      what: 'court acceptance: 5 working days (行政强制法第六十九条) across 国庆 to the 调休 Saturday',
      code: 'court_accept',
      start: '2026-09-28 10:00',
      deadline: '2026-10-10',
      escalate: '2026-10-12',
      provisional: false,
    },
    {
      what: 'court ruling: 7 working days across 劳动节 and its 调休 Saturday May 9',
      code: 'court_rule',
      start: '2026-04-30 15:00',
      deadline: '2026-05-13',
      escalate: '2026-05-14',
      provisional: false,
    },
    {
      what: '2 months from Dec 31 clamp to Feb 28 (a 调休 Saturday), escalation on Monday',
      code: 'procuratorate_reply',
      start: '2025-12-31 10:00',
      deadline: '2026-02-28',
      escalate: '2026-03-02',
      provisional: false,
    },
    {
      what: 'Jan 31 + 1 month (a suggestion’s own shorter term) = Feb 28',
      code: 'procuratorate_reply',
      start: '2026-01-31 10:00',
      override: 1,
      deadline: '2026-02-28',
      escalate: '2026-03-02',
      provisional: false,
    },
    {
      what: 'Jul 31 + 2 months clamps to Sep 30; escalation after 国庆',
      code: 'procuratorate_reply',
      start: '2026-07-31 10:00',
      deadline: '2026-09-30',
      escalate: '2026-10-08',
      provisional: false,
    },
    {
      what: '2 months into 2027',
      code: 'procuratorate_reply',
      start: '2026-11-15 10:00',
      deadline: '2027-01-15',
      escalate: '2027-01-18',
      provisional: true,
    },
    {
      what: '2027 春节 from statutory holidays: Feb 4, then 除夕–初三 (Feb 5–8) off, Feb 9, Feb 10',
      code: 'township_decide',
      start: '2027-02-03 10:00',
      deadline: '2027-02-10',
      escalate: '2027-02-11',
      provisional: true,
    },
    {
      what: 'a 2027 natural-day clock: escalation skips 初三 Feb 8',
      code: 'police_decide',
      start: '2027-02-03 10:00',
      deadline: '2027-02-06',
      escalate: '2027-02-09',
      provisional: true,
    },
    {
      what: 'a 2026 deadline whose escalation falls in 2027 (statutory 元旦 Jan 1)',
      code: 'police_decide',
      start: '2026-12-28 10:00',
      deadline: '2026-12-31',
      escalate: '2027-01-04',
      provisional: true,
    },
  ])('$code from $start: $what', ({ code, start, override, deadline, escalate, provisional }) => {
    const schedule = scheduleClock(LEGAL_CLOCKS[code], cst(start), calendar, override);
    expect([schedule.startedAt, schedule.deadline, schedule.escalateAt, schedule.provisional]).toEqual([
      cst(start).toISOString(),
      endOf(deadline),
      endOf(escalate),
      provisional,
    ]);
  });

  it.each<Row>([
    {
      what: 'the loaded 春节 Feb 5–12 replaces the statutory days',
      code: 'township_decide',
      start: '2027-02-03 10:00',
      deadline: '2027-02-16',
      escalate: '2027-02-17',
      provisional: false,
    },
    {
      what: 'same deadline, but escalation after the loaded 春节',
      code: 'police_decide',
      start: '2027-02-03 10:00',
      deadline: '2027-02-06',
      escalate: '2027-02-15',
      provisional: false,
    },
    {
      what: 'escalation in 2027 is no longer provisional',
      code: 'police_decide',
      start: '2026-12-28 10:00',
      deadline: '2026-12-31',
      escalate: '2027-01-04',
      provisional: false,
    },
  ])('with a 2027 arrangement loaded, $code from $start: $what', ({ code, start, deadline, escalate, provisional }) => {
    const schedule = scheduleClock(LEGAL_CLOCKS[code], cst(start), with2027);
    expect([schedule.deadline, schedule.escalateAt, schedule.provisional]).toEqual([
      endOf(deadline),
      endOf(escalate),
      provisional,
    ]);
  });

  it.each<[string, ClockCode, string, string, string]>([
    // deadline Mar 5 end = 2026-03-05T15:59:59.999Z; 3d 14h = 309 600 000 ms from start; 3/4 = 64h30m
    [
      'an exact quarter',
      'police_decide',
      '2026-03-02T01:59:59.999Z',
      '2026-03-05T15:59:59.999Z',
      '2026-03-04T18:29:59.999Z',
    ],
    // 4d − 1 ms = 345 599 999 ms; 3/4 = 259 199 999.25 → floored to 3d − 1 ms
    [
      'a fraction, floored',
      'police_decide',
      '2026-03-01T16:00:00.000Z',
      '2026-03-05T15:59:59.999Z',
      '2026-03-04T15:59:59.999Z',
    ],
    // 12d 13:59:59.999 = 1 087 199 999 ms; 3/4 floored = 815 399 999 ms = 9d 10:29:59.999
    [
      'wall-clock time, not working time',
      'township_decide',
      '2026-02-12T02:00:00.000Z',
      '2026-02-24T15:59:59.999Z',
      '2026-02-21T12:29:59.999Z',
    ],
  ])('warnAt at 75 %% with %s', (_what, code, start, deadline, warnAt) => {
    const schedule = scheduleClock(LEGAL_CLOCKS[code], new Date(start), calendar);
    expect([schedule.deadline, schedule.warnAt]).toEqual([deadline, warnAt]);
  });

  it('puts warnAt at exactly three quarters of the way', () => {
    const schedule = scheduleClock(LEGAL_CLOCKS.police_decide, new Date('2026-03-02T01:59:59.999Z'), calendar);
    const [start, warn, deadline] = [schedule.startedAt, schedule.warnAt, schedule.deadline].map(Date.parse) as [
      number,
      number,
      number,
    ];
    expect((warn - start) / (deadline - start)).toBe(0.75);
  });

  it.each<[string, () => unknown, RegExp]>([
    [
      'a changed statutory amount',
      () => scheduleClock(LEGAL_CLOCKS.police_decide, cst('2026-03-02 10:00'), calendar, 5),
      /set by law/,
    ],
    [
      'a zero amount',
      () => scheduleClock(LEGAL_CLOCKS.assistance_reply, cst('2026-03-02 10:00'), calendar, 0),
      /amount/,
    ],
    [
      'a fractional amount',
      () => scheduleClock(LEGAL_CLOCKS.assistance_reply, cst('2026-03-02 10:00'), calendar, 1.5),
      /amount/,
    ],
    ['an invalid start', () => scheduleClock(LEGAL_CLOCKS.assistance_reply, new Date('nope'), calendar), /startedAt/],
  ])('refuses %s', (_what, call, message) => {
    expect(call).toThrow(message);
  });

  it('accepts an override equal to a statutory amount', () => {
    const schedule = scheduleClock(LEGAL_CLOCKS.police_decide, cst('2026-03-02 10:00'), calendar, 3);
    expect(schedule.deadline).toBe(endOf('2026-03-05'));
  });
});

interface ExtendRow {
  what: string;
  code: ClockCode;
  start: string;
  change: { pausedMs?: number; extraAmount?: number; pausedAt?: string };
  deadline: string;
  escalate: string;
  provisional: boolean;
}

describe('extendClock', () => {
  it.each<ExtendRow>([
    {
      what: '+2 working days after Feb 24',
      code: 'township_decide',
      start: '2026-02-12 10:00',
      change: { extraAmount: 2 },
      deadline: '2026-02-26',
      escalate: '2026-02-27',
      provisional: false,
    },
    {
      what: '+2 natural days onto a Saturday',
      code: 'police_decide',
      start: '2026-03-02 10:00',
      change: { extraAmount: 2 },
      deadline: '2026-03-07',
      escalate: '2026-03-09',
      provisional: false,
    },
    {
      what: '+1 month from Feb 28',
      code: 'procuratorate_reply',
      start: '2025-12-31 10:00',
      change: { extraAmount: 1 },
      deadline: '2026-03-28',
      escalate: '2026-03-30',
      provisional: false,
    },
    {
      what: '+5 natural days pushes the clock into 2027',
      code: 'police_decide',
      start: '2026-12-24 10:00',
      change: { extraAmount: 5 },
      deadline: '2027-01-01',
      escalate: '2027-01-04',
      provisional: true,
    },
    {
      what: 'a 24 h hold from the start slides the clock one working day',
      code: 'township_decide',
      start: '2026-02-12 10:00',
      change: { pausedMs: 24 * HOUR },
      deadline: '2026-02-25',
      escalate: '2026-02-26',
      provisional: false,
    },
    {
      what: 'a hold Fri 09:00 → Mon 09:00 loses one working day (Mon)',
      code: 'assistance_reply',
      start: '2026-03-02 10:00',
      change: { pausedMs: 72 * HOUR, pausedAt: '2026-03-06 09:00' },
      deadline: '2026-03-10',
      escalate: '2026-03-11',
      provisional: false,
    },
    {
      what: 'the same 72 h from the start (Mon → Thu) loses three',
      code: 'assistance_reply',
      start: '2026-03-02 10:00',
      change: { pausedMs: 72 * HOUR },
      deadline: '2026-03-12',
      escalate: '2026-03-13',
      provisional: false,
    },
    {
      what: 'a 2 h hold within one day moves nothing',
      code: 'assistance_reply',
      start: '2026-03-02 10:00',
      change: { pausedMs: 2 * HOUR, pausedAt: '2026-03-03 10:00' },
      deadline: '2026-03-09',
      escalate: '2026-03-10',
      provisional: false,
    },
    {
      what: 'a 4 h hold across midnight moves a natural-day clock by a day',
      code: 'police_decide',
      start: '2026-03-02 10:00',
      change: { pausedMs: 4 * HOUR, pausedAt: '2026-03-03 22:00' },
      deadline: '2026-03-06',
      escalate: '2026-03-09',
      provisional: false,
    },
    {
      what: 'a hold, then an extension',
      code: 'township_decide',
      start: '2026-02-12 10:00',
      change: { pausedMs: 24 * HOUR, extraAmount: 1 },
      deadline: '2026-02-26',
      escalate: '2026-02-27',
      provisional: false,
    },
  ])('$code from $start: $what', ({ code, start, change, deadline, escalate, provisional }) => {
    const rule = LEGAL_CLOCKS[code];
    const before = scheduleClock(rule, cst(start), calendar);
    const { pausedAt, ...rest } = change;
    const after = extendClock(rule, before, calendar, { ...rest, ...(pausedAt ? { pausedAt: cst(pausedAt) } : {}) });
    expect([after.startedAt, after.deadline, after.escalateAt, after.provisional]).toEqual([
      cst(start).toISOString(),
      endOf(deadline),
      endOf(escalate),
      provisional,
    ]);
  });

  it('keeps startedAt and recomputes warnAt at 75 % of the longer span', () => {
    const rule = LEGAL_CLOCKS.police_decide;
    const before = scheduleClock(rule, new Date('2026-03-02T01:59:59.999Z'), calendar);
    // deadline Mar 6 end: 4d 14h = 396 000 000 ms after the start; 3/4 = 82h30m
    expect(extendClock(rule, before, calendar, { extraAmount: 1 })).toEqual({
      startedAt: '2026-03-02T01:59:59.999Z',
      deadline: '2026-03-06T15:59:59.999Z',
      warnAt: '2026-03-05T12:29:59.999Z',
      escalateAt: '2026-03-09T15:59:59.999Z',
      provisional: false,
    });
  });

  it('drops the provisional mark once the 2027 arrangement is loaded', () => {
    const rule = LEGAL_CLOCKS.police_decide;
    const before = scheduleClock(rule, cst('2027-02-03 10:00'), calendar);
    expect(before.provisional).toBe(true);
    const after = extendClock(rule, before, with2027, { extraAmount: 1 });
    expect([after.deadline, after.escalateAt, after.provisional]).toEqual([
      endOf('2027-02-07'),
      endOf('2027-02-15'),
      false,
    ]);
  });

  const base = scheduleClock(LEGAL_CLOCKS.assistance_reply, cst('2026-03-02 10:00'), calendar);
  it.each<[string, { pausedMs?: number; extraAmount?: number; pausedAt?: Date }, RegExp]>([
    ['a zero extension', { extraAmount: 0 }, /extraAmount/],
    ['a negative extension', { extraAmount: -1 }, /extraAmount/],
    ['a fractional extension', { extraAmount: 1.5 }, /extraAmount/],
    ['a negative hold', { pausedMs: -1 }, /pausedMs/],
    ['a hold before the start', { pausedMs: HOUR, pausedAt: cst('2026-03-01 10:00') }, /pausedAt/],
  ])('refuses %s', (_what, change, message) => {
    expect(() => extendClock(LEGAL_CLOCKS.assistance_reply, base, calendar, change)).toThrow(message);
  });
});

describe('scheduleClockUntil', () => {
  it.each<[string, string, string]>([
    // a rectification deadline chosen at the interview: the end of that day, escalation a working day later
    // (国庆 2026: 10月1日至7日放假, 8日上班)
    ['2026-03-02 10:00', '2026-03-20', '2026-03-23'],
    ['2026-09-28 10:00', '2026-09-30', '2026-10-08'],
  ])('from %s until %s, escalating at the end of %s', (start, day, escalateDay) => {
    const s = scheduleClockUntil(cst(start), day, calendar);
    expect([s.deadline, s.escalateAt]).toEqual([endOf(day), endOf(escalateDay)]);
  });

  it.each([['2026-03-02'], ['2026-03-01'], ['not a day']])('refuses %s, not after the start', (day) => {
    expect(() => scheduleClockUntil(cst('2026-03-02 10:00'), day, calendar)).toThrow(RangeError);
  });
});
