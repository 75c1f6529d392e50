import { type WorkCalendar } from './calendar.js';
import { todayInChina } from './catalogue.js';
import { LEGAL_CLOCKS, type ClockCode } from './legal-clocks.js';
import { ClockState } from './referral-clocks.js';

/**
 * How a legal clock reads to a person: days left (or overdue) in the clock's own unit, and how
 * urgent it is. The inbox shows it as a countdown; the same rule serves any later screen.
 */
export interface ClockLike {
  id: string;
  code: ClockCode;
  state: ClockState;
  /** ISO instants */
  deadline: string;
  warnAt: string;
  provisional: boolean;
}

/** overdue: past the deadline; due_soon: past the warning mark (75 %) or due today. */
export type ClockUrgency = 'overdue' | 'due_soon' | 'on_time' | 'paused';

export interface ClockCountdown {
  clockId: string;
  code: ClockCode;
  /** days until the deadline day (0: due today), negative when overdue */
  days: number;
  unit: 'working_days' | 'natural_days';
  urgency: ClockUrgency;
  provisional: boolean;
}

/** Clocks that still count: running, paused or already late. */
const LIVE: readonly ClockState[] = [ClockState.Running, ClockState.Paused, ClockState.Overdue, ClockState.Escalated];

/** The live clock with the nearest deadline, if any. */
export function nearestClock<C extends ClockLike>(clocks: readonly C[]): C | undefined {
  return clocks
    .filter((c) => LIVE.includes(c.state))
    .reduce<C | undefined>((best, c) => (best === undefined || c.deadline < best.deadline ? c : best), undefined);
}

const calendarDaysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** Days from `now` to the clock's deadline, counted on the working-day calendar for working-day clocks. */
export function clockCountdown(clock: ClockLike, now: Date, calendar: WorkCalendar): ClockCountdown {
  const unit = LEGAL_CLOCKS[clock.code].unit === 'working_days' ? 'working_days' : 'natural_days';
  const today = todayInChina(now);
  const deadlineDay = todayInChina(new Date(clock.deadline));
  const days =
    unit === 'working_days' ? calendar.workingDaysBetween(today, deadlineDay) : calendarDaysBetween(today, deadlineDay);
  const late =
    clock.state === ClockState.Overdue ||
    clock.state === ClockState.Escalated ||
    now.getTime() > Date.parse(clock.deadline);
  let urgency: ClockUrgency;
  if (late) urgency = 'overdue';
  else if (clock.state === ClockState.Paused) urgency = 'paused';
  else if (now.getTime() >= Date.parse(clock.warnAt) || deadlineDay <= today) urgency = 'due_soon';
  else urgency = 'on_time';
  return { clockId: clock.id, code: clock.code, days, unit, urgency, provisional: clock.provisional };
}
