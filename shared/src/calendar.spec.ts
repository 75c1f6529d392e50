import { describe, expect, it } from '@jest/globals';
import chineseDays from 'chinese-days';

import {
  WorkCalendar,
  type YearArrangement,
  addCalendarDays,
  addCalendarMonths,
  endOfChinaDay,
  validateArrangement,
} from './calendar.js';
import { FIXTURE_2027 } from './calendar.fixtures.js';

// ---------------------------------------------------------------------------------------------
// Fixtures. Expected values below come from the official notices (国办发明电〔2024〕12号 for 2025,
// the November 2025 notice for 2026) and a paper calendar, never from the code under test.

/** A made-up 2026 arrangement, unlike the real one on purpose: 春节 Mon Feb 16 – Fri Feb 20, 调休 Sun Feb 22. */
const FAKE_2026: YearArrangement = {
  year: 2026,
  holidays: [{ name: '春节', from: '2026-02-16', to: '2026-02-20' }],
  workdays: ['2026-02-22'],
  source: '测试用虚构安排',
};

const calendar = new WorkCalendar();

// ---------------------------------------------------------------------------------------------

describe('WorkCalendar.isWorkingDay, years the library knows (2025, 2026)', () => {
  it.each<[string, string, boolean]>([
    ['2025-01-01', 'Wed 元旦', false],
    ['2025-01-02', 'Thu, ordinary weekday', true],
    ['2025-01-26', 'Sun, 春节 调休 working day', true],
    ['2025-01-28', 'Tue 除夕, 春节 holiday', false],
    ['2025-02-04', 'Tue, last 春节 holiday day', false],
    ['2025-02-05', 'Wed, first day back', true],
    ['2025-02-08', 'Sat, 春节 调休 working day', true],
    ['2025-02-09', 'Sun, ordinary weekend', false],
    ['2025-04-27', 'Sun, 劳动节 调休 working day', true],
    ['2025-05-05', 'Mon, 劳动节 holiday', false],
    ['2025-09-28', 'Sun, 国庆 调休 working day', true],
    ['2025-10-08', 'Wed, last 国庆/中秋 holiday day', false],
    ['2025-10-11', 'Sat, 国庆 调休 working day', true],
    ['2026-01-02', 'Fri, 元旦 holiday', false],
    ['2026-01-04', 'Sun, 元旦 调休 working day', true],
    ['2026-02-13', 'Fri, ordinary weekday before 春节', true],
    ['2026-02-14', 'Sat, 春节 调休 working day', true],
    ['2026-02-15', 'Sun, first 春节 holiday day', false],
    ['2026-02-17', 'Tue 正月初一', false],
    ['2026-02-23', 'Mon, last 春节 holiday day', false],
    ['2026-02-24', 'Tue, first day back', true],
    ['2026-02-28', 'Sat, 春节 调休 working day', true],
    ['2026-03-01', 'Sun, ordinary weekend', false],
    ['2026-05-09', 'Sat, 劳动节 调休 working day', true],
    ['2026-09-20', 'Sun, 国庆 调休 working day', true],
    ['2026-10-07', 'Wed, last 国庆 holiday day', false],
    ['2026-10-10', 'Sat, 国庆 调休 working day', true],
    ['2026-12-31', 'Thu, ordinary weekday', true],
  ])('%s (%s) → working %s', (date, _what, expected) => {
    expect(calendar.isWorkingDay(date)).toBe(expected);
  });
});

describe('WorkCalendar.isWorkingDay, years without an official arrangement (statutory holidays only)', () => {
  it('rests on chinese-days 1.5.7 having no 2027 data (update these rows once it has)', () => {
    expect(chineseDays.isWorkday(new Date(2027, 0, 1))).toBe(true);
    expect(calendar.isWorkingDay('2027-01-01')).toBe(false);
  });

  it.each<[string, string, boolean]>([
    ['2027-01-01', 'Fri 元旦 (the library says working)', false],
    ['2027-01-04', 'Mon', true],
    ['2027-02-04', 'Thu, day before 除夕', true],
    ['2027-02-05', 'Fri 除夕', false],
    ['2027-02-06', 'Sat 正月初一', false],
    ['2027-02-08', 'Mon 正月初三', false],
    ['2027-02-09', 'Tue 正月初四', true],
    ['2027-02-21', 'Sun: no 调休 is assumed', false],
    ['2027-04-05', 'Mon 清明', false],
    ['2027-05-03', 'Mon: no 补假 for a weekend 劳动节', true],
    ['2027-06-09', 'Wed 端午 (五月初五)', false],
    ['2027-09-15', 'Wed 中秋 (八月十五)', false],
    ['2027-10-01', 'Fri 国庆', false],
    ['2027-10-04', 'Mon', true],
    ['2030-02-02', 'Sat 除夕', false],
    ['2030-02-04', 'Mon 正月初二', false],
    ['2030-02-05', 'Tue 正月初三', false],
    ['2030-02-06', 'Wed 正月初四', true],
    ['2030-04-05', 'Fri 清明', false],
    ['2030-06-05', 'Wed 端午', false],
    ['2030-09-12', 'Thu 中秋', false],
  ])('%s (%s) → working %s', (date, _what, expected) => {
    expect(calendar.isWorkingDay(date)).toBe(expected);
  });
});

describe('WorkCalendar.hasOfficialArrangement', () => {
  it.each<[number, boolean]>([
    [2003, false],
    [2027, false],
    [2030, false],
  ])('%i without loaded arrangements → %s', (year, expected) => {
    expect(calendar.hasOfficialArrangement(year)).toBe(expected);
  });

  it.each(Array.from({ length: 2026 - 2004 + 1 }, (_, i) => 2004 + i))('%i is in the library', (year) => {
    expect(calendar.hasOfficialArrangement(year)).toBe(true);
  });

  it('counts a loaded year as official', () => {
    const loaded = new WorkCalendar([FIXTURE_2027]);
    expect(loaded.hasOfficialArrangement(2027)).toBe(true);
    expect(loaded.hasOfficialArrangement(2028)).toBe(false);
  });
});

describe('WorkCalendar with a loaded arrangement', () => {
  const with2026 = new WorkCalendar([FAKE_2026]);
  it.each<[string, string, boolean]>([
    ['2026-02-14', 'Sat: the library’s 调休, not in the loaded one', false],
    ['2026-02-15', 'Sun', false],
    ['2026-02-16', 'Mon, loaded holiday', false],
    ['2026-02-20', 'Fri, loaded holiday', false],
    ['2026-02-22', 'Sun, loaded 调休', true],
    ['2026-02-23', 'Mon: a library holiday, not in the loaded one', true],
    ['2026-01-01', 'Thu: the loaded year replaces the library’s 元旦 too', true],
    ['2026-10-01', 'Thu: likewise 国庆', true],
    ['2025-01-26', 'Sun: 2025 still comes from the library', true],
    ['2025-01-28', 'Tue: 2025 still comes from the library', false],
  ])('loaded 2026: %s (%s) → working %s', (date, _what, expected) => {
    expect(with2026.isWorkingDay(date)).toBe(expected);
  });

  const with2027 = new WorkCalendar([FIXTURE_2027]);
  it.each<[string, string, boolean]>([
    ['2027-01-01', 'Fri 元旦', false],
    ['2027-02-04', 'Thu', true],
    ['2027-02-09', 'Tue: loaded holiday (statutory says working)', false],
    ['2027-02-12', 'Fri: loaded holiday', false],
    ['2027-02-15', 'Mon', true],
    ['2027-02-20', 'Sat, loaded 调休', true],
    ['2027-04-05', 'Mon 清明: not in this fixture, so working', true],
  ])('loaded 2027: %s (%s) → working %s', (date, _what, expected) => {
    expect(with2027.isWorkingDay(date)).toBe(expected);
  });

  it('applies a notice’s days in the previous December', () => {
    const spill = new WorkCalendar([
      { ...FIXTURE_2027, holidays: [{ name: '元旦', from: '2026-12-31', to: '2027-01-02' }], workdays: [] },
    ]);
    expect(spill.isWorkingDay('2026-12-31')).toBe(false);
    expect(spill.isWorkingDay('2026-12-30')).toBe(true);
    expect(spill.isWorkingDay('2026-02-14')).toBe(true); // the rest of 2026 is still the library's
  });

  it('lets a later arrangement for the same year replace an earlier one', () => {
    const replaced = new WorkCalendar([
      FAKE_2026,
      { ...FAKE_2026, holidays: [{ name: '测试', from: '2026-03-02', to: '2026-03-02' }], workdays: [] },
    ]);
    expect(replaced.isWorkingDay('2026-02-16')).toBe(true);
    expect(replaced.isWorkingDay('2026-02-22')).toBe(false);
    expect(replaced.isWorkingDay('2026-03-02')).toBe(false);
  });

  it('refuses an invalid arrangement, naming the field', () => {
    expect(() => new WorkCalendar([{ ...FIXTURE_2027, workdays: ['2027-02-22'] }])).toThrow(/workdays\.0/);
  });
});

describe('WorkCalendar working-day arithmetic', () => {
  it.each<[string, number, string, string]>([
    ['2026-02-12', 1, '2026-02-13', 'Thu → Fri'],
    ['2026-02-12', 2, '2026-02-14', 'the 调休 Saturday counts'],
    ['2026-02-12', 3, '2026-02-24', 'across 春节 Feb 15–23'],
    ['2026-02-24', 4, '2026-02-28', 'the second 调休 Saturday counts'],
    ['2026-02-24', 5, '2026-03-02', 'then the weekend Mar 1 is skipped'],
    ['2026-02-14', 1, '2026-02-24', 'from a working Saturday'],
    ['2026-02-15', 1, '2026-02-24', 'from a holiday'],
    ['2025-12-31', 1, '2026-01-04', '元旦 Jan 1–3, then the 调休 Sunday'],
    ['2026-09-30', 1, '2026-10-08', 'across 国庆 Oct 1–7'],
    ['2026-09-30', 3, '2026-10-10', 'to the 调休 Saturday after 国庆'],
    ['2026-12-31', 1, '2027-01-04', 'into 2027: 元旦 is a statutory holiday, then a weekend'],
    ['2027-02-03', 3, '2027-02-10', 'across 2027’s statutory 春节 Feb 5–8'],
  ])('addWorkingDays(%s, %i) = %s (%s)', (date, n, expected) => {
    expect(calendar.addWorkingDays(date, n)).toBe(expected);
  });

  it.each<[string, string]>([
    ['2026-01-30', '2026-02-02'],
    ['2026-02-13', '2026-02-14'],
    ['2026-02-28', '2026-03-02'],
    ['2027-02-04', '2027-02-09'],
  ])('nextWorkingDay(%s) = %s', (date, expected) => {
    expect(calendar.nextWorkingDay(date)).toBe(expected);
  });

  it.each<[string, string, number, string]>([
    ['2026-02-12', '2026-02-24', 3, 'Feb 13, 14, 24'],
    ['2026-02-12', '2026-03-02', 8, 'Feb 13, 14, 24–28, Mar 2'],
    ['2026-02-12', '2026-02-12', 0, 'empty'],
    ['2026-02-15', '2026-02-23', 0, 'all 春节'],
    ['2026-02-24', '2026-02-12', -3, 'reversed'],
    ['2026-09-30', '2026-10-31', 18, 'Oct 8, 9, 10 and three full weeks'],
    ['2024-12-31', '2025-12-31', 248, '261 weekdays − 18 holidays + 5 调休'],
    ['2025-12-31', '2026-12-31', 248, '261 weekdays − 19 holidays + 6 调休'],
    ['2026-12-31', '2027-12-31', 254, '261 weekdays − 7 statutory weekday holidays'],
  ])('workingDaysBetween(%s, %s) = %i (%s)', (from, to, expected) => {
    expect(calendar.workingDaysBetween(from, to)).toBe(expected);
  });

  it.each<[string, () => unknown]>([
    ['an impossible date', () => calendar.isWorkingDay('2026-02-30')],
    ['a date in another format', () => calendar.isWorkingDay('2026/02/03')],
    ['a year outside 2000–2099', () => calendar.isWorkingDay('2100-01-04')],
    ['n = 0', () => calendar.addWorkingDays('2026-02-12', 0)],
    ['a fractional n', () => calendar.addWorkingDays('2026-02-12', 1.5)],
    ['a bad bound', () => calendar.workingDaysBetween('2026-02-12', '2026-13-01')],
  ])('throws a RangeError for %s', (_what, call) => {
    expect(call).toThrow(RangeError);
  });
});

describe('calendar date helpers', () => {
  it.each<[string, number, string]>([
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-03-31', 1, '2026-04-30'],
    ['2025-12-31', 2, '2026-02-28'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2026-01-15', 2, '2026-03-15'],
    ['2026-12-31', -1, '2026-11-30'],
  ])('addCalendarMonths(%s, %i) = %s', (date, n, expected) => {
    expect(addCalendarMonths(date, n)).toBe(expected);
  });

  it.each<[string, number, string]>([
    ['2026-02-28', 1, '2026-03-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-03-01', -1, '2026-02-28'],
  ])('addCalendarDays(%s, %i) = %s', (date, n, expected) => {
    expect(addCalendarDays(date, n)).toBe(expected);
  });

  it.each<[string, string]>([
    ['2026-02-24', '2026-02-24T15:59:59.999Z'],
    ['2027-01-01', '2027-01-01T15:59:59.999Z'],
  ])('endOfChinaDay(%s) = %s', (date, expected) => {
    expect(endOfChinaDay(date).toISOString()).toBe(expected);
  });
});

describe('validateArrangement', () => {
  it('accepts a well-formed arrangement and trims its texts', () => {
    const input = {
      ...FIXTURE_2027,
      holidays: [{ name: ' 春节 ', from: '2027-02-05', to: '2027-02-12' }],
      source: ' 国办发明电〔2026〕X号 ',
      extra: 'dropped',
    };
    expect(validateArrangement(input)).toEqual({
      ok: true,
      value: {
        year: 2027,
        holidays: [{ name: '春节', from: '2027-02-05', to: '2027-02-12' }],
        workdays: ['2027-02-20'],
        source: '国办发明电〔2026〕X号',
      },
    });
  });

  it('accepts days in the December before the year', () => {
    const result = validateArrangement({
      ...FIXTURE_2027,
      holidays: [{ name: '元旦', from: '2026-12-31', to: '2027-01-02' }],
      workdays: ['2026-12-27'],
    });
    expect(result.ok).toBe(true);
  });

  const base = FIXTURE_2027 as unknown as Record<string, unknown>;
  const holiday = (h: Record<string, unknown>): Record<string, unknown> => ({ ...base, holidays: [h] });
  it.each<[string, unknown, string[]]>([
    ['null', null, ['(body)']],
    ['an array', [], ['(body)']],
    ['a fractional year', { ...base, year: 2027.5 }, ['year']],
    ['a year given as text', { ...base, year: '2027' }, ['year']],
    ['a year out of range', { ...base, year: 1999 }, ['year']],
    ['no source', { ...base, source: undefined }, ['source']],
    ['a blank source', { ...base, source: '  ' }, ['source']],
    ['no holidays', { ...base, holidays: undefined }, ['holidays']],
    ['an empty holiday list', { ...base, holidays: [] }, ['holidays']],
    ['a holiday that is not an object', { ...base, holidays: ['春节'] }, ['holidays.0']],
    ['a blank name', holiday({ name: ' ', from: '2027-02-05', to: '2027-02-06' }), ['holidays.0.name']],
    ['an impossible date', holiday({ name: '春节', from: '2027-02-30', to: '2027-03-01' }), ['holidays.0.from']],
    ['an end before the start', holiday({ name: '春节', from: '2027-02-12', to: '2027-02-05' }), ['holidays.0.to']],
    ['a range over 31 days', holiday({ name: '春节', from: '2027-01-01', to: '2027-02-01' }), ['holidays.0.to']],
    [
      'dates of another year',
      holiday({ name: '元旦', from: '2028-01-01', to: '2028-01-02' }),
      ['holidays.0.from', 'holidays.0.to'],
    ],
    [
      'a November date of the year before',
      holiday({ name: 'x', from: '2026-11-30', to: '2027-01-01' }),
      ['holidays.0.from'],
    ],
    ['workdays missing', { ...base, workdays: undefined }, ['workdays']],
    ['a weekday as 调休', { ...base, workdays: ['2027-02-22'] }, ['workdays.0']],
    ['a 调休 inside a holiday range', { ...base, workdays: ['2027-02-20', '2027-02-06'] }, ['workdays.1']],
    ['a repeated 调休', { ...base, workdays: ['2027-02-20', '2027-02-20'] }, ['workdays.1']],
    [
      'several problems at once',
      { year: 'x', holidays: [{ name: '', from: 'bad', to: '2027-01-01' }], workdays: ['2027-02-22'], source: '' },
      ['year', 'source', 'holidays.0.name', 'holidays.0.from', 'workdays.0'],
    ],
  ])('names the bad fields of %s', (_what, input, fields) => {
    const result = validateArrangement(input);
    expect(result.ok ? [] : result.problems.map((p) => p.field)).toEqual(fields);
  });

  it('explains a weekday given as 调休', () => {
    expect(validateArrangement({ ...base, workdays: ['2027-02-22'] })).toEqual({
      ok: false,
      problems: [{ field: 'workdays.0', message: '调休上班日须为星期六或星期日' }],
    });
  });
});
