import { describe, expect, it } from '@jest/globals';
import { CollectiveDiscussionRequest, LegalReviewRequest, missingForConclusion } from './major-decisions.js';

describe('missingForConclusion', () => {
  it.each([
    [false, false, null, []],
    [false, true, 'approved', []],
    [true, false, null, ['collectiveDiscussion', 'legalReview']],
    [true, true, null, ['legalReview']],
    [true, false, 'approved', ['collectiveDiscussion']],
    [true, true, 'rejected', ['legalReview']],
    [true, true, 'approved_with_changes', []],
    [true, true, 'approved', []],
  ] as const)('major %s, discussed %s, legal review %s → missing %j', (major, discussed, review, missing) => {
    expect(
      missingForConclusion({ majorDifficult: major }, { collectiveDiscussion: discussed, latestLegalReview: review }),
    ).toEqual(missing);
  });
});

describe('payloads', () => {
  const fields = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
    r.success ? [] : (r.error?.issues ?? []).map((i) => String(i.path[0]));

  it('a collective discussion needs its date, at least three attendees and the decision', () => {
    expect(fields(CollectiveDiscussionRequest.safeParse({}))).toEqual(['heldOn', 'attendees', 'decision']);
    expect(
      fields(CollectiveDiscussionRequest.safeParse({ heldOn: '2026-11-30', attendees: ['徐立新'], decision: '处罚' })),
    ).toEqual(['attendees']);
    expect(
      CollectiveDiscussionRequest.safeParse({
        heldOn: '2026-11-30',
        attendees: ['徐立新', '叶海峰', '郑丽萍'],
        decision: '同意按一般程序作出罚款决定',
      }).success,
    ).toBe(true);
  });

  it('a legal review needs a known conclusion and an opinion', () => {
    expect(fields(LegalReviewRequest.safeParse({ conclusion: 'maybe' }))).toEqual(['conclusion', 'opinion']);
    expect(LegalReviewRequest.safeParse({ conclusion: 'approved', opinion: '事实清楚，适用法律正确' }).success).toBe(
      true,
    );
  });
});
