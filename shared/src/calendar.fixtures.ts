import type { YearArrangement } from './calendar.js';

/** A made-up 2027 arrangement (the real notice is not out yet): 元旦 Jan 1–3, 春节 Feb 5–12, 调休 Sat Feb 20. */
export const FIXTURE_2027: YearArrangement = {
  year: 2027,
  holidays: [
    { name: '元旦', from: '2027-01-01', to: '2027-01-03' },
    { name: '春节', from: '2027-02-05', to: '2027-02-12' },
  ],
  workdays: ['2027-02-20'],
  source: '测试用虚构安排',
};
