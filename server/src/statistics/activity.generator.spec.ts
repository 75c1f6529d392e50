import { describe, expect, it } from '@jest/globals';
import { allocateWorkload, generateActivity, rngUuid, seededRng, type ActivityContext } from './activity.generator.js';

const agency = (code: string, kind: string, delegated = false) => ({
  id: rngUuid(seededRng(code.length * 7919 + code.charCodeAt(0))),
  code,
  kind,
  nameZh: code,
  delegated,
});
const AGENCIES = [
  agency('ZFJ', 'enforcement_bureau'),
  agency('ZFJ-CQ', 'bureau_squadron'),
  agency('GAJ', 'public_security'),
  agency('JCY', 'procuratorate'),
  agency('FY', 'court'),
  agency('ZJJ', 'line_department'),
  agency('XZ-LZ', 'township', true),
  agency('XZ-TS', 'township'),
];
const rng = seededRng(1);
const CTX: ActivityContext = {
  agencies: AGENCIES,
  items: Array.from({ length: 12 }, () => ({ id: rngUuid(rng), versionId: rngUuid(rng) })),
  officers: Array.from({ length: 30 }, (_, i) => ({ id: rngUuid(rng), agencyId: AGENCIES[i % 2]?.id ?? '' })),
  actorsByAgency: new Map(AGENCIES.map((a) => [a.id, rngUuid(rng)])),
};
const AS_OF = Date.UTC(2026, 11, 1);

describe('allocateWorkload', () => {
  it.each([
    [30, 2014],
    [73, 2014],
    [9, 400],
    [45, 1019],
  ])('%i officers, %i matters: the total is exact and a third are in single digits', (officers, matters) => {
    const counts = allocateWorkload(seededRng(officers), officers, matters);
    expect(counts).toHaveLength(officers);
    expect(counts.reduce((s, n) => s + n, 0)).toBe(matters);
    expect(counts.filter((n) => n < 10).length).toBeGreaterThanOrEqual(Math.ceil(officers / 3));
  });
});

describe('generateActivity', () => {
  const years = [{ year: 2025, general: 1335, simple: 679 }];
  const small = [{ year: 2025, general: 200, simple: 100 }];
  it('is reproducible from a seed (and the instant it is generated as of)', () => {
    const a = generateActivity(CTX, { seed: 42, years: small, asOf: AS_OF });
    const b = generateActivity(CTX, { seed: 42, years: small, asOf: AS_OF });
    const c = generateActivity(CTX, { seed: 43, years: small, asOf: AS_OF });
    expect(b).toEqual(a);
    expect(c.matter[0]?.id).not.toBe(a.matter[0]?.id);
  });

  it('makes exactly the planned matters by procedure, with referrals, returns, clocks and disputes', () => {
    const rows = generateActivity(CTX, { seed: 42, years, asOf: AS_OF });
    expect(rows.matter.filter((m) => m.procedure === 'general')).toHaveLength(1335);
    expect(rows.matter.filter((m) => m.procedure === 'simple')).toHaveLength(679);
    expect(rows.referral.length).toBeGreaterThan(400);
    expect(rows.timeline_entry.filter((t) => t.action === 'referral.return').length).toBeGreaterThan(10);
    expect(rows.referral_clock.some((c) => c.overdue_at !== null)).toBe(true);
    expect(rows.responsibility_dispute.length).toBeGreaterThan(0);
  });

  it('puts the workflows on top: interviews, reviews, court applications, disclosures, messages', () => {
    const rows = generateActivity(CTX, { seed: 42, years, asOf: AS_OF });
    expect(rows.dispute_position.length).toBe(rows.responsibility_dispute.length * 2);
    expect(rows.joint_interview.some((i) => i.state === 'rectified')).toBe(true);
    expect(rows.joint_interview.some((i) => i.state === 'escalated')).toBe(true);
    expect(rows.procuratorate_review.some((r) => r.opinion === 'suggestion' && r.replied_at !== null)).toBe(true);
    expect(rows.enforcement_application.some((a) => a.state === 'executed')).toBe(true);
    expect(rows.disclosure.some((d) => d.state === 'published')).toBe(true);
    expect(rows.channel_ack.some((a) => a.acked_at === null)).toBe(true);
    // One matter channel per matter at most, and consecutive positions in each channel.
    const matterChannels = rows.channel.filter((c) => c.matter_id !== null).map((c) => c.matter_id);
    expect(new Set(matterChannels).size).toBe(matterChannels.length);
    const lastSeq = new Map(rows.channel.map((c) => [c.id, c.last_seq]));
    const counts = new Map<unknown, number>();
    for (const m of rows.channel_message) counts.set(m.channel_id, (counts.get(m.channel_id) ?? 0) + 1);
    for (const [channel, n] of counts) expect(lastSeq.get(channel)).toBe(n);
  });

  it('leaves the matters and referrals as they were before the workflows were generated', () => {
    const rows = generateActivity(CTX, { seed: 42, years: small, asOf: AS_OF });
    const again = generateActivity({ ...CTX, actorsByAgency: new Map() }, { seed: 42, years: small, asOf: AS_OF });
    expect(again.matter).toEqual(rows.matter);
    expect(again.referral).toEqual(rows.referral);
  });

  it('never invents activity after the instant it is generated as of', () => {
    const rows = generateActivity(CTX, { seed: 5, years: [{ year: 2026, general: 100, simple: 50 }], asOf: AS_OF });
    const latest = Math.max(...rows.timeline_entry.map((t) => Date.parse(String(t.at))));
    expect(latest).toBeLessThanOrEqual(AS_OF);
    const times = [
      ...rows.channel_message.map((m) => m.created_at),
      ...rows.channel_ack.flatMap((a) => (a.acked_at ? [a.acked_at] : [])),
      ...rows.dispute_position.map((p) => p.stated_at),
      ...rows.procuratorate_review.map((r) => r.updated_at),
      ...rows.joint_interview.map((i) => i.updated_at),
      ...rows.disclosure.flatMap((d) => (d.published_at ? [d.published_at] : [])),
    ].map((t) => Date.parse(String(t)));
    expect(Math.max(...times)).toBeLessThanOrEqual(AS_OF);
    expect(rows.matter.length).toBeLessThan(150);
  });
});
