import { describe, expect, it } from '@jest/globals';
import { WorkCalendar } from './calendar.js';
import { disclosureDueOn, disclosureLate, quarterOf, quarterRange } from './record.js';

describe('quarters', () => {
  it.each([
    ['2026-01-01', 2026, 1],
    ['2026-03-31', 2026, 1],
    ['2026-04-01', 2026, 2],
    ['2026-09-30', 2026, 3],
    ['2026-12-31', 2026, 4],
  ] as const)('%s is in %i Q%i', (date, year, quarter) => {
    expect(quarterOf(date)).toEqual({ year, quarter });
  });

  it.each([
    [1, '2026-01-01', '2026-04-01'],
    [2, '2026-04-01', '2026-07-01'],
    [3, '2026-07-01', '2026-10-01'],
    [4, '2026-10-01', '2027-01-01'],
  ] as const)('Q%i of 2026 is [%s, %s)', (quarter, from, until) => {
    expect(quarterRange(2026, quarter)).toEqual({ from, until });
  });
});

describe('disclosure time limit', () => {
  const calendar = new WorkCalendar();
  it.each([
    // decided on, working days, due on
    ['2026-11-02', 7, '2026-11-11'], // Monday: the next week's Wednesday
    ['2026-11-06', 7, '2026-11-17'], // Friday: the weekend does not count
    ['2026-09-30', 7, '2026-10-15'], // National Day holiday Oct 1–7 skipped, 调休 Saturday Oct 10 counted
  ])('a decision of %s with %i working days is due %s', (decided, days, due) => {
    expect(disclosureDueOn(calendar, decided, days)).toBe(due);
  });

  it.each([
    ['2026-11-11', '2026-11-11', null, false],
    ['2026-11-11', '2026-11-12', null, true],
    ['2026-11-11', '2026-11-20', '2026-11-10', false],
    ['2026-11-11', '2026-11-20', '2026-11-12', true],
  ])('due %s, today %s, published %s: late %s', (due, today, published, late) => {
    expect(disclosureLate(due, today, published)).toBe(late);
  });
});
