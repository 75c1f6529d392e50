import { z } from 'zod';
import { IsoDate } from './catalogue.schemas.js';

/**
 * Major administrative enforcement decisions (重大执法决定): a matter flagged major/difficult
 * (重大疑难) is concluded only after a collective discussion (集体讨论) and a legal review
 * (法制审核) are on its record. Both are timeline entries of the matter (append-only).
 */
export const MajorDecisionRecord = {
  CollectiveDiscussion: 'collectiveDiscussion',
  LegalReview: 'legalReview',
} as const;
export type MajorDecisionRecord = (typeof MajorDecisionRecord)[keyof typeof MajorDecisionRecord];

export const MAJOR_DECISION_LABELS: Record<MajorDecisionRecord, string> = {
  collectiveDiscussion: '集体讨论',
  legalReview: '法制审核',
};

/** The timeline action each record is kept as. */
export const MAJOR_DECISION_TIMELINE_ACTIONS: Record<MajorDecisionRecord, string> = {
  collectiveDiscussion: 'matter.collective_discussion',
  legalReview: 'matter.legal_review',
};

/** A legal review's conclusion: only an approval lets a major matter be concluded. */
export const LEGAL_REVIEW_CONCLUSIONS = ['approved', 'approved_with_changes', 'rejected'] as const;
export type LegalReviewConclusion = (typeof LEGAL_REVIEW_CONCLUSIONS)[number];
export const LEGAL_REVIEW_CONCLUSION_LABELS: Record<LegalReviewConclusion, string> = {
  approved: '同意',
  approved_with_changes: '修改后同意',
  rejected: '不同意',
};

/**
 * What a matter still lacks before it may be concluded: nothing unless it is flagged major; then
 * a collective discussion, and a legal review whose latest conclusion is not a rejection.
 */
export function missingForConclusion(
  matter: { majorDifficult: boolean },
  recorded: { collectiveDiscussion: boolean; latestLegalReview: LegalReviewConclusion | null },
): MajorDecisionRecord[] {
  if (!matter.majorDifficult) return [];
  const missing: MajorDecisionRecord[] = [];
  if (!recorded.collectiveDiscussion) missing.push(MajorDecisionRecord.CollectiveDiscussion);
  if (recorded.latestLegalReview === null || recorded.latestLegalReview === 'rejected')
    missing.push(MajorDecisionRecord.LegalReview);
  return missing;
}

const text = (label: string, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(1, `请填写${label}`)
    .max(max, `${label}最多 ${max} 字`);

export const CollectiveDiscussionRequest = z
  .object({
    heldOn: IsoDate,
    attendees: z
      .array(text('参加人员', 64), { error: '请列出参加人员' })
      .min(3, '集体讨论至少三人参加')
      .max(50, '参加人员最多 50 人'),
    decision: text('讨论决定', 5000),
  })
  .meta({ id: 'CollectiveDiscussionRequest' });
export type CollectiveDiscussionRequest = z.infer<typeof CollectiveDiscussionRequest>;

export const LegalReviewRequest = z
  .object({
    conclusion: z.enum(LEGAL_REVIEW_CONCLUSIONS, { error: `须为 ${LEGAL_REVIEW_CONCLUSIONS.join(' / ')}` }),
    opinion: text('审核意见', 5000),
  })
  .meta({ id: 'LegalReviewRequest' });
export type LegalReviewRequest = z.infer<typeof LegalReviewRequest>;
