import { describe, expect, it } from '@jest/globals';

import { WorkCalendar } from './calendar.js';
import { FIXTURE_2027 } from './calendar.fixtures.js';
import { clockCountdown, nearestClock, type ClockLike, type ClockUrgency } from './clock-countdown.js';
import type { ClockCode } from './legal-clocks.js';
import type { ClockState } from './referral-clocks.js';

const calendar = new WorkCalendar([FIXTURE_2027]);
/** 'YYYY-MM-DD HH:mm' in China Standard Time. */
const cst = (s: string): Date => new Date(`${s.replace(' ', 'T')}:00+08:00`);
const endOf = (day: string): string => `${day}T15:59:59.999Z`;

const clock = (over: Partial<ClockLike> = {}): ClockLike => ({
  id: 'c1',
  code: 'township_decide',
  state: 'running',
  deadline: endOf('2026-10-09'),
  warnAt: cst('2026-10-09 09:00').toISOString(),
  provisional: false,
  ...over,
});

describe('clockCountdown', () => {
  it.each<[string, ClockCode, ClockState, string, string, string, number, ClockUrgency]>([
    // National Day week 2026 (Oct 1–7 off, Sat Oct 10 a 调休 workday): Sep 30 → Oct 9 is 2 working days.
    [
      'over a holiday week',
      'township_decide',
      'running',
      '2026-09-30 10:00',
      '2026-10-09',
      '2026-10-09 09:00',
      2,
      'on_time',
    ],
    [
      'past the warning mark',
      'township_decide',
      'running',
      '2026-10-09 10:00',
      '2026-10-09',
      '2026-10-09 09:00',
      0,
      'due_soon',
    ],
    [
      'due today, before the mark',
      'township_sign',
      'running',
      '2026-10-09 08:00',
      '2026-10-09',
      '2026-10-09 09:00',
      0,
      'due_soon',
    ],
    ['a day late', 'township_sign', 'overdue', '2026-10-12 10:00', '2026-10-09', '2026-10-09 09:00', -2, 'overdue'],
    [
      'late by the clock though not yet marked',
      'township_sign',
      'running',
      '2026-10-10 00:30',
      '2026-10-09',
      '2026-10-09 09:00',
      -1,
      'overdue',
    ],
    ['paused', 'assistance_reply', 'paused', '2026-09-30 10:00', '2026-10-09', '2026-10-09 09:00', 2, 'paused'],
    // Natural days for a clock set in natural days: Sep 30 → Oct 3 is 3 days, holiday or not.
    ['natural days', 'police_decide', 'running', '2026-09-30 10:00', '2026-10-03', '2026-10-02 09:00', 3, 'on_time'],
  ])('%s', (_what, code, state, now, deadlineDay, warnAt, days, urgency) => {
    const c = clock({ code, state, deadline: endOf(deadlineDay), warnAt: cst(warnAt).toISOString() });
    expect(clockCountdown(c, cst(now), calendar)).toMatchObject({ days, urgency });
  });

  it('counts natural days for a clock set in months', () => {
    const c = clock({ code: 'procuratorate_reply', deadline: endOf('2026-12-31'), warnAt: endOf('2026-12-15') });
    expect(clockCountdown(c, cst('2026-12-01 10:00'), calendar)).toMatchObject({ days: 30, unit: 'natural_days' });
  });

  it('passes the provisional mark through', () => {
    expect(clockCountdown(clock({ provisional: true }), cst('2026-09-30 10:00'), calendar).provisional).toBe(true);
  });
});

describe('nearestClock', () => {
  it('picks the earliest deadline among clocks that still count', () => {
    const clocks = [
      clock({ id: 'met', state: 'met', deadline: endOf('2026-10-01') }),
      clock({ id: 'later', deadline: endOf('2026-10-20') }),
      clock({ id: 'late', state: 'overdue', deadline: endOf('2026-10-05') }),
      clock({ id: 'stopped', state: 'stopped', deadline: endOf('2026-09-01') }),
    ];
    expect(nearestClock(clocks)?.id).toBe('late');
    expect(nearestClock([clock({ state: 'met' })])).toBeUndefined();
  });
});
