/**
 * The working-day calendar of mainland China (Asia/Shanghai), for legal deadlines.
 *
 * Dates are calendar days in China Standard Time written `YYYY-MM-DD`. Which days are working
 * days comes, per year, from the first source that knows the year:
 *  1. an arrangement an admin loaded (the State Council General Office's annual holiday notice,
 *     国务院办公厅关于某年部分节假日安排的通知), which replaces the library for its year;
 *  2. the `chinese-days` library's data (official notices 2004 → the latest it ships);
 *  3. otherwise the statutory holidays alone (《全国年节及纪念日放假办法》, as revised in 2024,
 *     in force from 2025) plus weekends, without any swapped working day (调休). Such a year is
 *     *provisional*: `hasOfficialArrangement(year)` is false, and clocks touching it say so.
 *
 * Time-zone safety: `chinese-days` builds dates from `YYYY-MM-DD` strings as UTC midnight but reads
 * them back with local-time getters, so west of UTC its answers are a day off — including its
 * holiday tables, which it generates that way when loaded. This module therefore reads the holidays
 * from the JSON data the package publishes (`dist/chinese-days.json`, identical to the functions'
 * answers in UTC and Asia/Shanghai for 2003–2027), hands the lunar helper local-midnight `Date`s
 * (whose local getters give back the intended day), and undoes the string round trip inside
 * `getSolarTermDate`. Nothing here depends on the process time zone.
 */
import chineseDays from 'chinese-days';
import holidayData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

import { isIsoDate } from './catalogue.js';

/** One year's official arrangement (国务院办公厅 holiday notice): holiday ranges and swapped working days (调休). */
export interface YearArrangement {
  year: number;
  /** inclusive ranges, weekend days inside them included */
  holidays: { name: string; from: string; to: string }[];
  /** weekend days that are working days (调休) */
  workdays: string[];
  /** e.g. '国办发明电〔2026〕X号' or 'chinese-days' */
  source: string;
}

/** Years the calendar answers for (the library's lunar data covers 1900–2100). */
export const CALENDAR_MIN_YEAR = 2000;
export const CALENDAR_MAX_YEAR = 2099;

const DAY_MS = 86_400_000;
/** China Standard Time is UTC+8 all year (no daylight saving since 1991). */
const CST_OFFSET_MS = 8 * 3_600_000;

// ---------------------------------------------------------------------------------------------
// Plain date arithmetic on `YYYY-MM-DD` strings (UTC-based, independent of the process time zone)

function assertDate(date: string, what = 'date'): void {
  if (typeof date !== 'string' || !isIsoDate(date)) throw new RangeError(`${what} must be a YYYY-MM-DD date: ${date}`);
}

const parts = (date: string): [number, number, number] => [
  Number(date.slice(0, 4)),
  Number(date.slice(5, 7)),
  Number(date.slice(8, 10)),
];
const utcMs = (date: string): number => {
  const [y, m, d] = parts(date);
  return Date.UTC(y, m - 1, d);
};
const fromUtcMs = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const pad2 = (n: number): string => String(n).padStart(2, '0');
const isoOf = (y: number, m: number, d: number): string => `${y}-${pad2(m)}-${pad2(d)}`;
/** 0 = Sunday … 6 = Saturday */
const weekday = (date: string): number => new Date(utcMs(date)).getUTCDay();
const isWeekend = (date: string): boolean => weekday(date) === 0 || weekday(date) === 6;
const yearOf = (date: string): number => Number(date.slice(0, 4));

/** `date` moved by `n` calendar days (n may be negative). */
export function addCalendarDays(date: string, n: number): string {
  assertDate(date);
  if (!Number.isInteger(n)) throw new RangeError(`n must be an integer: ${n}`);
  return fromUtcMs(utcMs(date) + n * DAY_MS);
}

/**
 * `date` moved by `n` calendar months; a day the target month lacks becomes its last day
 * (2026-01-31 + 1 month = 2026-02-28), as 《民法典》第二百零二条 counts month periods.
 */
export function addCalendarMonths(date: string, n: number): string {
  assertDate(date);
  if (!Number.isInteger(n)) throw new RangeError(`n must be an integer: ${n}`);
  const [y, m, d] = parts(date);
  const index = y * 12 + (m - 1) + n;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return isoOf(year, month, Math.min(d, lastDay));
}

/** The last instant (23:59:59.999 China Standard Time) of a calendar day. */
export function endOfChinaDay(date: string): Date {
  assertDate(date);
  return new Date(utcMs(date) + DAY_MS - CST_OFFSET_MS - 1);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
const daysBetween = (from: string, to: string): number => Math.round((utcMs(to) - utcMs(from)) / DAY_MS);

// ---------------------------------------------------------------------------------------------
// The chinese-days library, used time-zone-safely

/** The official arrangements it ships: `YYYY-MM-DD` → 'English,中文,n' for holiday days and 调休 workdays. */
const DATA = holidayData as { holidays: Record<string, string>; workdays: Record<string, string> };
const LIBRARY_HOLIDAYS = new Set(Object.keys(DATA.holidays));
const LIBRARY_WORKDAYS = new Set(Object.keys(DATA.workdays));

/**
 * Years whose official arrangement the library ships. A year counts when both the National Day
 * holiday (October 1st, always part of it) and a Spring Festival holiday day (always between
 * January 15th and March 5th) of that year are listed. Asking for two festivals, not "any holiday",
 * keeps a year uncovered when the only days listed in it belong to the next year's notice (e.g. the
 * 2019 notice's 元旦 from 2018-12-30).
 */
const LIBRARY_YEARS: ReadonlySet<number> = (() => {
  const nationalDay = new Set<number>();
  const springFestival = new Set<number>();
  for (const day of LIBRARY_HOLIDAYS) {
    const year = yearOf(day);
    if (day.slice(5) === '10-01') nationalDay.add(year);
    if (day.slice(5) >= '01-15' && day.slice(5) <= '03-05') springFestival.add(year);
  }
  return new Set([...nationalDay].filter((year) => springFestival.has(year)));
})();

const library = {
  isWorkday: (date: string): boolean => LIBRARY_WORKDAYS.has(date) || (!isWeekend(date) && !LIBRARY_HOLIDAYS.has(date)),
  /** The Gregorian date of a day of the lunar calendar (the regular month, not a leap month). */
  solarFromLunar: (lunarYear: number, lunarMonth: number, lunarDay: number): string => {
    const date = chineseDays.getSolarDateFromLunar(new Date(lunarYear, lunarMonth - 1, lunarDay)).date;
    if (!isIsoDate(date)) throw new Error(`chinese-days gave no date for lunar ${lunarYear}-${lunarMonth}-${lunarDay}`);
    return date;
  },
  /**
   * The 清明 solar-term day of `year`. `getSolarTermDate` computes the day number, then formats
   * `Date.UTC(year, 3, day)` with local getters; find the day whose local rendering it returned.
   */
  qingming: (year: number): string => {
    const rendered = chineseDays.getSolarTermDate(year, 4, 'pure_brightness');
    for (let day = 1; day <= 30; day++) {
      const t = new Date(Date.UTC(year, 3, day));
      if (isoOf(t.getFullYear(), t.getMonth() + 1, t.getDate()) === rendered) {
        if (day < 3 || day > 6) break;
        return isoOf(year, 4, day);
      }
    }
    throw new Error(`chinese-days gave an implausible 清明 date for ${year}: ${rendered}`);
  },
};

/**
 * The statutory holidays of `year` (《全国年节及纪念日放假办法》 2024 revision, in force from 2025):
 * 元旦 Jan 1; 春节 农历除夕 and 正月初一–初三; 清明节 the 清明 solar-term day; 劳动节 May 1–2;
 * 端午节 农历五月初五; 中秋节 农历八月十五; 国庆节 Oct 1–3. Lunar dates and the solar term come from
 * chinese-days' lunar table and solar-term formula (1900–2100). Not modelled: the 补假 a notice grants
 * when a holiday falls on a weekend, and any 调休; a notice always settles those, hence "provisional".
 */
function statutoryHolidays(year: number): Map<string, string> {
  const days = new Map<string, string>();
  const add = (name: string, from: string, count: number): void => {
    for (let i = 0; i < count; i++) {
      const day = addCalendarDays(from, i);
      if (!days.has(day)) days.set(day, name);
    }
  };
  add('元旦', isoOf(year, 1, 1), 1);
  const lunarNewYear = library.solarFromLunar(year, 1, 1);
  add('春节', addCalendarDays(lunarNewYear, -1), 4); // 除夕 is the eve of 正月初一
  add('清明节', library.qingming(year), 1);
  add('劳动节', isoOf(year, 5, 1), 2);
  add('端午节', library.solarFromLunar(year, 5, 5), 1);
  add('中秋节', library.solarFromLunar(year, 8, 15), 1);
  add('国庆节', isoOf(year, 10, 1), 3);
  return days;
}

// ---------------------------------------------------------------------------------------------
// The calendar

type Problem = { field: string; message: string };

export class WorkCalendar {
  /** Loaded arrangements by year (a later one for the same year replaces an earlier one). */
  private readonly loaded = new Map<number, YearArrangement>();
  /** Days a loaded arrangement names explicitly: false in a holiday range, true when a 调休 workday. */
  private readonly loadedDays = new Map<string, boolean>();
  private readonly statutory = new Map<number, Map<string, string>>();
  private readonly memo = new Map<string, boolean>();

  /** `loaded`: arrangements an admin loaded (through the API or a file); they override the library for their year. */
  constructor(loaded: readonly YearArrangement[] = []) {
    for (const [i, arrangement] of loaded.entries()) {
      const result = validateArrangement(arrangement);
      if (!result.ok) {
        const list = result.problems.map((p) => `${p.field}: ${p.message}`).join('; ');
        throw new RangeError(`invalid holiday arrangement #${i}: ${list}`);
      }
      this.loaded.set(result.value.year, result.value);
    }
    // A notice may name days of the previous December (e.g. 元旦 from Dec 30th): those entries
    // count too. Where two notices name the same day, the later year's (the newer notice) wins.
    for (const year of [...this.loaded.keys()].sort((a, b) => a - b)) {
      const arrangement = this.loaded.get(year);
      if (!arrangement) continue;
      for (const range of arrangement.holidays) {
        for (let day = range.from; day <= range.to; day = addCalendarDays(day, 1)) this.loadedDays.set(day, false);
      }
      for (const day of arrangement.workdays) this.loadedDays.set(day, true);
    }
  }

  isWorkingDay(date: string): boolean {
    assertDate(date);
    const year = yearOf(date);
    if (year < CALENDAR_MIN_YEAR || year > CALENDAR_MAX_YEAR) {
      throw new RangeError(`the calendar covers ${CALENDAR_MIN_YEAR}–${CALENDAR_MAX_YEAR}: ${date}`);
    }
    const known = this.memo.get(date);
    if (known !== undefined) return known;
    let working: boolean;
    const named = this.loadedDays.get(date);
    if (named !== undefined) working = named;
    else if (this.loaded.has(year)) working = !isWeekend(date);
    else if (this.libraryCovers(year)) working = library.isWorkday(date);
    else working = !isWeekend(date) && !this.statutoryHolidays(year).has(date);
    this.memo.set(date, working);
    return working;
  }

  /** Whether an official arrangement is known for the year (loaded, or in the library's data). */
  hasOfficialArrangement(year: number): boolean {
    if (!Number.isInteger(year)) throw new RangeError(`year must be an integer: ${year}`);
    return this.loaded.has(year) || this.libraryCovers(year);
  }

  /** The date that is `n` working days after `date` (the start day itself is not counted; n >= 1). */
  addWorkingDays(date: string, n: number): string {
    assertDate(date);
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be an integer >= 1: ${n}`);
    let day = date;
    for (let left = n; left > 0;) {
      day = addCalendarDays(day, 1);
      if (this.isWorkingDay(day)) left--;
    }
    return day;
  }

  /** The next working day strictly after `date`. */
  nextWorkingDay(date: string): string {
    return this.addWorkingDays(date, 1);
  }

  /** Working days in (from, to]; when `to` is before `from`, minus the working days in (to, from]. */
  workingDaysBetween(from: string, to: string): number {
    assertDate(from, 'from');
    assertDate(to, 'to');
    if (to < from) return -this.workingDaysBetween(to, from);
    let count = 0;
    for (let day = addCalendarDays(from, 1); day <= to; day = addCalendarDays(day, 1)) {
      if (this.isWorkingDay(day)) count++;
    }
    return count;
  }

  private libraryCovers(year: number): boolean {
    return LIBRARY_YEARS.has(year);
  }

  private statutoryHolidays(year: number): Map<string, string> {
    let days = this.statutory.get(year);
    if (!days) {
      days = statutoryHolidays(year);
      this.statutory.set(year, days);
    }
    return days;
  }
}

// ---------------------------------------------------------------------------------------------
// Validation of an arrangement an admin loads

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Longest holiday range accepted (the longest ever, 2020's extended Spring Festival, was 10 days). */
const MAX_RANGE_DAYS = 31;

/**
 * Checks an arrangement (e.g. a JSON body or file) and names every bad field with a dotted path
 * (`holidays.0.from`, `workdays.2`). Dates must lie in the year, or in the December before it (a
 * notice's 元旦 may start on Dec 30th). Workdays must be Saturdays or Sundays outside every holiday
 * range. Names and source are trimmed in the returned value; unknown keys are dropped.
 */
export function validateArrangement(
  a: unknown,
): { ok: true; value: YearArrangement } | { ok: false; problems: { field: string; message: string }[] } {
  if (!isRecord(a)) return { ok: false, problems: [{ field: '(body)', message: '须为放假安排对象' }] };
  const problems: Problem[] = [];

  const year = a.year;
  const yearOk =
    typeof year === 'number' && Number.isInteger(year) && year >= CALENDAR_MIN_YEAR && year <= CALENDAR_MAX_YEAR;
  if (!yearOk)
    problems.push({ field: 'year', message: `年份须为 ${CALENDAR_MIN_YEAR}–${CALENDAR_MAX_YEAR} 之间的整数` });
  const inWindow = (date: string): boolean =>
    !yearOk || (date >= isoOf(year - 1, 12, 1) && date <= isoOf(year, 12, 31));
  const windowMessage = yearOk ? `日期须在 ${year} 年内（或 ${year - 1} 年 12 月）` : '';
  /** The date when it is one in the allowed window; otherwise records a problem. */
  const checkDate = (value: unknown, field: string): string | undefined => {
    if (typeof value !== 'string' || !isIsoDate(value)) problems.push({ field, message: '须为 YYYY-MM-DD 日期' });
    else if (!inWindow(value)) problems.push({ field, message: windowMessage });
    else return value;
    return undefined;
  };

  const source = typeof a.source === 'string' ? a.source.trim() : '';
  if (source === '' || source.length > 200) {
    problems.push({ field: 'source', message: '须注明来源（如 国办发明电〔2025〕7号），不超过 200 字' });
  }

  const holidays: YearArrangement['holidays'] = [];
  if (!Array.isArray(a.holidays) || a.holidays.length === 0) {
    problems.push({ field: 'holidays', message: '须至少列出一段放假日期' });
  } else {
    for (const [i, h] of (a.holidays as unknown[]).entries()) {
      const at = `holidays.${i}`;
      if (!isRecord(h)) {
        problems.push({ field: at, message: '须为 { name, from, to }' });
        continue;
      }
      const name = typeof h.name === 'string' ? h.name.trim() : '';
      if (name === '' || name.length > 20)
        problems.push({ field: `${at}.name`, message: '须填写节日名称，不超过 20 字' });
      const from = checkDate(h.from, `${at}.from`);
      const to = checkDate(h.to, `${at}.to`);
      if (from !== undefined && to !== undefined) {
        if (to < from) problems.push({ field: `${at}.to`, message: '结束日期不得早于开始日期' });
        else if (daysBetween(from, to) + 1 > MAX_RANGE_DAYS) {
          problems.push({ field: `${at}.to`, message: `一段假期不得超过 ${MAX_RANGE_DAYS} 天` });
        } else holidays.push({ name, from, to });
      }
    }
  }

  const workdays: string[] = [];
  if (!Array.isArray(a.workdays)) {
    problems.push({ field: 'workdays', message: '须为调休上班日期列表（没有则为空列表）' });
  } else {
    for (const [i, item] of (a.workdays as unknown[]).entries()) {
      const at = `workdays.${i}`;
      const w = checkDate(item, at);
      if (w === undefined) continue;
      if (!isWeekend(w)) problems.push({ field: at, message: '调休上班日须为星期六或星期日' });
      else if (workdays.includes(w)) problems.push({ field: at, message: '日期重复' });
      else if (holidays.some((h) => h.from <= w && w <= h.to)) {
        problems.push({ field: at, message: '调休上班日不得落在放假日期内' });
      } else workdays.push(w);
    }
  }

  if (problems.length > 0 || !yearOk) return { ok: false, problems };
  return { ok: true, value: { year, holidays, workdays, source } };
}
