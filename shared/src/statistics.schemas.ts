import { z } from 'zod';
import { IsoDate } from './catalogue.schemas.js';
import { REFERRAL_KINDS } from './catalogue.js';
import { CHANNEL_KINDS } from './channels.js';
import { RETURN_REASONS } from './referral-lifecycle.js';
import {
  STATISTICS_SECTIONS,
  WORKLOAD_BANDS,
  sameDayYearBefore,
  type StatisticsSectionKey,
  type WorkloadBand,
} from './statistics.js';

const SECTION_KEYS = STATISTICS_SECTIONS.map((s) => s.key) as [StatisticsSectionKey, ...StatisticsSectionKey[]];
const BAND_KEYS = WORKLOAD_BANDS.map((b) => b.key) as [WorkloadBand, ...WorkloadBand[]];

export const StatisticsQuery = z
  .object({
    from: IsoDate.optional().describe('first day of the period (defaults to 1 January of last year)'),
    to: IsoDate.optional().describe('last day of the period, inclusive (defaults to 31 December of last year)'),
    agency: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .optional()
      .describe('agency id or code: figures of matters and referrals it (or a unit under it) is party to'),
    township: z.string().trim().min(1).max(64).optional().describe('township id or code: matters located there'),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '起始日期不能晚于截止日期', path: ['to'] })
  // Compared with the same period a year earlier: a period longer than a year would overlap it.
  .refine((q) => !q.from || !q.to || sameDayYearBefore(q.to) < q.from, {
    message: '统计区间不能超过一年（与上年同期对比）',
    path: ['from'],
  });
export type StatisticsQuery = z.infer<typeof StatisticsQuery>;

const Count = z.number().int().min(0);
const Growth = z.object({
  previous: Count.describe('the same period a year earlier'),
  rate: z.number().nullable().describe('percent, one decimal; null when the year before had none'),
  text: z.string().describe('as the report states it, e.g. 较上年增长97.6%'),
});
const AgencyCount = z.object({ agencyId: z.string(), code: z.string(), name: z.string(), count: Count });
const Durations = z.object({
  count: Count.describe('referrals measured'),
  medianHours: z.number().nullable(),
  p90Hours: z.number().nullable(),
});

export const StatisticsView = z
  .object({
    period: z.object({ from: IsoDate, to: IsoDate, previousFrom: IsoDate, previousTo: IsoDate }),
    scope: z.object({
      countyWide: z.boolean().describe('false: limited to the caller’s agency and the units under it'),
      agencies: z.array(z.object({ id: z.string(), name: z.string() })).describe('empty when county-wide'),
      township: z.object({ id: z.string(), name: z.string() }).nullable(),
    }),
    rollupRefreshedAt: z.string().nullable().describe('referral figures come from a rollup refreshed by a queue job'),
    sections: z.object({
      available: z.array(z.enum(SECTION_KEYS)),
      pending: z
        .array(z.enum(SECTION_KEYS))
        .describe('sections whose capability this server does not have yet (none now)'),
    }),
    matters: z.object({
      total: Count,
      general: Count.describe('一般程序'),
      simple: Count.describe('简易程序'),
      growth: z.object({ total: Growth, general: Growth, simple: Growth }),
      byCategory: z.array(z.object({ category: z.string(), general: Count, simple: Count, total: Count })),
      flagged: z.object({ majorDifficult: Count, publicInterestClue: Count, suspectedCrime: Count }),
    }),
    referrals: z.object({
      total: Count,
      growth: Growth,
      byKind: z.array(z.object({ kind: z.enum(REFERRAL_KINDS), label: z.string(), count: Count })),
      bySender: z.array(AgencyCount),
      byReceiver: z.array(AgencyCount),
      delivered: Count,
      timeToSign: Durations.describe('from delivery to 签收'),
      timeToAccept: Durations.describe('from delivery to 受理'),
      returned: Count.describe('delivered referrals returned at least once'),
      returnedRate: z.number().describe('percent of delivered referrals, one decimal'),
      returnReasons: z.array(z.object({ reason: z.enum(RETURN_REASONS), label: z.string(), count: Count })),
    }),
    clocks: z.object({
      started: Count,
      met: Count.describe('answered, in time or late'),
      metOnTime: Count.describe('answered before the deadline'),
      warned: Count.describe('reached the 75 % warning'),
      overdue: Count.describe('passed the deadline'),
      escalated: Count.describe('reported up a working day after the deadline'),
    }),
    disputes: z.object({
      opened: Count,
      bothRefuse: Count.describe('争着推'),
      bothClaim: Count.describe('争着管'),
      ruled: Count.describe('ruled by the guidance office'),
      stillOpen: Count.describe('not ruled yet'),
      accepted: Count.describe('accepted by the guidance office, not ruled yet'),
      positions: Count.describe('positions the parties stated (a refined position counts again)'),
      medianDaysToRuling: z.number().nullable().describe('from opening to ruling, ruled disputes only'),
      byItem: z.array(
        z.object({
          itemCode: z.string(),
          itemName: z.string(),
          count: Count,
          bothRefuse: Count,
          bothClaim: Count,
          ruled: Count,
        }),
      ),
    }),
    joint_interviews: z.object({
      organised: Count.describe('joint interviews proposed in the period (by scheduled day, else creation)'),
      held: Count.describe('held: minutes taken (held, in follow-up, rectified or escalated)'),
      awaitingRectification: Count,
      rectified: Count,
      escalated: Count.describe('rectification failed: escalated to public security or the court'),
      cancelled: Count,
      rectificationRate: z.number().describe('percent of verified follow-ups that were rectified, one decimal'),
    }),
    reviews: z.object({
      opened: Count.describe('prosecutors’ reviews opened in the period'),
      inReview: Count,
      noObjection: Count,
      suggestions: Count.describe('检察建议 issued'),
      replied: Count.describe('suggestions the reviewed agency replied to'),
      awaitingReply: Count,
      replyRate: z.number().describe('percent of suggestions replied to, one decimal'),
      publicInterestLitigation: Count,
      filingSupervision: Count.describe('立案监督: public security asked to explain a transfer not filed'),
    }),
    court_applications: z.object({
      applications: Count.describe('applications to the court opened in the period'),
      applied: Count.describe('submitted to the court'),
      accepted: Count.describe('accepted by the court (受理)'),
      notAccepted: Count,
      granted: Count.describe('ruled to be enforced (准予执行)'),
      refused: Count.describe('ruled not to be enforced'),
      executed: Count,
      withdrawn: Count,
      grantedRate: z.number().describe('percent of rulings that granted enforcement, one decimal'),
      byOutcome: z.array(z.object({ outcome: z.string(), label: z.string(), count: Count })),
    }),
    disclosures: z.object({
      due: Count.describe('decisions taken in the period that must be disclosed'),
      published: Count,
      publishedOnTime: Count,
      publishedLate: Count.describe('published after the due day'),
      overdue: Count.describe('still not published after the due day'),
      queued: Count.describe('not published yet, not due yet'),
      withdrawn: Count,
      lateShare: z.number().describe('percent of due disclosures that were or are late, one decimal'),
    }),
    channels: z.object({
      messages: Count.describe('messages people posted in the period'),
      requiringAck: Count.describe('messages that asked for acknowledgement (须确认)'),
      byKind: z.array(
        z.object({
          kind: z.enum(CHANNEL_KINDS),
          label: z.string(),
          channels: Count.describe('channels with messages in the period'),
          messages: Count,
          requiringAck: Count,
          acks: Count.describe('acknowledgements given'),
          pendingAcks: Count.describe('acknowledgements asked for and not given'),
          ackMedianMinutes: z.number().nullable(),
          ackP90Minutes: z.number().nullable(),
        }),
      ),
    }),
    workload: z.object({
      officers: Count.describe('case officers and township staff in scope'),
      matters: Count,
      perOfficer: z.number(),
      under10: Count.describe('officers who handled fewer than 10 matters (个位数)'),
      under10Share: z.number().describe('percent of officers'),
      distribution: z.array(z.object({ band: z.enum(BAND_KEYS), label: z.string(), officers: Count })),
      units: z.array(
        z.object({
          agencyId: z.string(),
          name: z.string(),
          officers: Count,
          matters: Count,
          perOfficer: z.number(),
          under10: Count,
        }),
      ),
      byOfficer: z.array(
        z.object({
          userId: z.string(),
          name: z.string(),
          agencyId: z.string(),
          agencyName: z.string(),
          matters: Count,
        }),
      ),
    }),
  })
  .meta({ id: 'StatisticsView' });
export type StatisticsView = z.infer<typeof StatisticsView>;

export const AnnualReportQuery = z.object({
  year: z.coerce
    .number({ error: '须为年份' })
    .int('须为年份')
    .min(2000, '年份须在2000年以后')
    .max(2100, '年份须在2100年以前'),
  format: z.enum(['xlsx', 'pdf'], { error: '格式须为 xlsx 或 pdf' }).default('xlsx'),
  agency: z.string().trim().min(1).max(64).optional(),
});
export type AnnualReportQuery = z.infer<typeof AnnualReportQuery>;

export const RollupRefreshView = z
  .object({ refreshedAt: z.string(), tookMs: z.number() })
  .meta({ id: 'RollupRefresh' });
export type RollupRefreshView = z.infer<typeof RollupRefreshView>;
