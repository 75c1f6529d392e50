/**
 * Rules of the record: interference-record quarters and disclosure deadlines. Plain functions.
 */
import { addCalendarDays, type WorkCalendar } from './calendar.js';

/** How someone tried to influence a case (干预、插手案件的方式). */
export const InterferenceMethod = {
  Phone: 'phone',
  InPerson: 'in_person',
  Message: 'message',
  Letter: 'letter',
  Other: 'other',
} as const;
export type InterferenceMethod = (typeof InterferenceMethod)[keyof typeof InterferenceMethod];
export const INTERFERENCE_METHODS = Object.values(InterferenceMethod) as [InterferenceMethod, ...InterferenceMethod[]];
export const INTERFERENCE_METHOD_LABELS: Record<InterferenceMethod, string> = {
  phone: '电话',
  in_person: '当面',
  message: '短信或网络消息',
  letter: '书信或批条',
  other: '其他',
};

/** The calendar quarter (1–4) of an ISO date. */
export function quarterOf(date: string): { year: number; quarter: 1 | 2 | 3 | 4 } {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return { year, quarter: (Math.floor((month - 1) / 3) + 1) as 1 | 2 | 3 | 4 };
}

/** First day of a quarter and the first day after it (ISO dates, China time is meant). */
export function quarterRange(year: number, quarter: 1 | 2 | 3 | 4): { from: string; until: string } {
  const month = (quarter - 1) * 3 + 1;
  const from = `${year}-${String(month).padStart(2, '0')}-01`;
  const until = quarter === 4 ? `${year + 1}-01-01` : `${year}-${String(month + 3).padStart(2, '0')}-01`;
  return { from, until };
}

export const DisclosureState = {
  Queued: 'queued',
  Published: 'published',
  Withdrawn: 'withdrawn',
} as const;
export type DisclosureState = (typeof DisclosureState)[keyof typeof DisclosureState];
export const DISCLOSURE_STATES = Object.values(DisclosureState) as [DisclosureState, ...DisclosureState[]];
export const DISCLOSURE_STATE_LABELS: Record<DisclosureState, string> = {
  queued: '待公示',
  published: '已公示',
  withdrawn: '已撤回',
};

/** The last day a decision of `decidedOn` may be published: `workingDays` working days after it. */
export function disclosureDueOn(calendar: WorkCalendar, decidedOn: string, workingDays: number): string {
  return calendar.addWorkingDays(decidedOn, workingDays);
}

/** Late: still not published after its due day (published late counts too, for the record). */
export function disclosureLate(dueOn: string, today: string, publishedOn: string | null): boolean {
  return (publishedOn ?? today) > dueOn;
}

/** Days of grace before a due day at which a queued disclosure is flagged as due soon. */
export function disclosureDueSoon(dueOn: string, today: string): boolean {
  return !disclosureLate(dueOn, today, null) && addCalendarDays(today, 2) >= dueOn;
}
