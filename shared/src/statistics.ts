/**
 * Figures for leadership (统计): the plain rules the statistics API, the annual report and the
 * tests share. No I/O.
 */

/** Growth as the annual report states it: "较上年增长97.6%", "较上年下降12.5%", "与上年持平". */
export function growthText(current: number, previous: number): { rate: number | null; text: string } {
  if (previous === 0) return { rate: null, text: current === 0 ? '与上年持平' : '上年同期无数据' };
  const rate = Math.round(((current - previous) / previous) * 1000) / 10;
  if (rate === 0) return { rate: 0, text: '与上年持平' };
  return { rate, text: rate > 0 ? `较上年增长${rate.toFixed(1)}%` : `较上年下降${Math.abs(rate).toFixed(1)}%` };
}

/** Workload bands (办案量分布); the first is the report's "办案数量为个位数". */
export const WORKLOAD_BANDS = [
  { key: 'under_10', label: '10件以下（个位数）', min: 0, max: 9 },
  { key: '10_to_49', label: '10—49件', min: 10, max: 49 },
  { key: '50_to_99', label: '50—99件', min: 50, max: 99 },
  { key: '100_plus', label: '100件及以上', min: 100, max: Number.POSITIVE_INFINITY },
] as const;
export type WorkloadBand = (typeof WORKLOAD_BANDS)[number]['key'];

export function workloadBand(matters: number): WorkloadBand {
  const band = WORKLOAD_BANDS.find((b) => matters >= b.min && matters <= b.max);
  return band?.key ?? '100_plus';
}

/** Share as a percentage with one decimal (0 when there is nothing to divide). */
export function share(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10;
}

/**
 * The same period a year earlier. 29 February has no twin: it becomes 28 February.
 * Dates are `YYYY-MM-DD` strings.
 */
export function sameDayYearBefore(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y - 1, m, 0)).getUTCDate();
  return `${String(y - 1).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/**
 * Sections of the statistics and of the annual report, in report order. A capability added
 * later adds its section here and in the statistics service; until then `pending` lists it.
 */
export const STATISTICS_SECTIONS = [
  { key: 'matters', title: '案件办理情况' },
  { key: 'referrals', title: '移送协作情况' },
  { key: 'clocks', title: '法定时限执行情况' },
  { key: 'disputes', title: '职责争议情况' },
  { key: 'workload', title: '执法人员办案量' },
  { key: 'joint_interviews', title: '共同约谈情况' },
  { key: 'reviews', title: '检察监督情况' },
  { key: 'court_applications', title: '申请强制执行情况' },
  { key: 'disclosures', title: '行政执法公示情况' },
  { key: 'channels', title: '协同沟通情况' },
] as const;
export type StatisticsSectionKey = (typeof STATISTICS_SECTIONS)[number]['key'];
