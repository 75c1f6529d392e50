import type { EntityManager } from '@mikro-orm/postgresql';
import { Agency } from '../agencies/agency.entity.js';
import { BoundaryVersionRecord } from '../catalogue/catalogue.entity.js';
import { Matter, MatterAgency, TimelineEntry } from '../referrals/referral.entity.js';
import { User } from '../users/user.entity.js';
import { Disclosure } from './disclosure.entity.js';

/** Concluded penalty decisions of the bureau: three published (the public page shows data), one late. */
const SEED_DISCLOSURES: {
  number: string;
  township: string;
  place: string;
  party: { kind: 'person' | 'company'; name: string; idNumber: string };
  decidedOn: string;
  /** the due day, and the day it was published (null: still queued) */
  dueOn: string;
  publishedOn: string | null;
  summary: string;
  decision: string;
}[] = [
  {
    number: '协-2026-D00001',
    township: 'XZ-LZ',
    place: '龙洲街道荣昌大道 128 号门前',
    party: { kind: 'person', name: '张建国', idNumber: '330825197803152317' },
    decidedOn: '2026-11-03',
    dueOn: '2026-11-12',
    publishedOn: '2026-11-06',
    summary: '当事人张建国在人行道上摆摊设点，经劝导拒不改正。',
    decision:
      '龙综执罚决字〔2026〕第 0312 号：对张建国（联系电话 13857001234）处警告并罚款人民币 200 元，责令立即改正。',
  },
  {
    number: '协-2026-D00002',
    township: 'XZ-HZ',
    place: '湖镇镇湖镇大街 56 号',
    party: { kind: 'company', name: '龙游县湖镇鑫源建材经营部', idNumber: '92330825MA2D4K7X3P' },
    decidedOn: '2026-11-10',
    dueOn: '2026-11-19',
    publishedOn: '2026-11-13',
    summary: '当事人未经批准擅自设置户外广告牌。',
    decision:
      '龙综执罚决字〔2026〕第 0335 号：责令龙游县湖镇鑫源建材经营部限期拆除违规广告牌，并处罚款人民币 2000 元。',
  },
  {
    number: '协-2026-D00003',
    township: 'XZ-DH',
    place: '东华街道城东路与兴龙路交叉口',
    party: { kind: 'person', name: '欧阳明辉', idNumber: '330825199106207756' },
    decidedOn: '2026-11-17',
    dueOn: '2026-11-26',
    publishedOn: '2026-11-20',
    summary: '当事人驾驶车辆运输渣土沿途撒漏，污染道路。',
    decision:
      '龙综执罚决字〔2026〕第 0351 号：对欧阳明辉（身份证号 330825199106207756）处罚款人民币 5000 元，责令清理撒漏渣土。',
  },
  {
    number: '协-2026-D00004',
    township: 'XZ-LZ',
    place: '龙洲街道西门街 9 号',
    party: { kind: 'person', name: '刘美华', idNumber: '330825196909083326' },
    decidedOn: '2026-11-02',
    dueOn: '2026-11-11',
    publishedOn: null,
    summary: '当事人在居民区内违规饲养犬只且未采取安全措施。',
    decision: '龙综执罚决字〔2026〕第 0308 号：对刘美华处罚款人民币 500 元。',
  },
];

/** The matters this seed writes: the demo activity counts a database with only these as empty. */
export const SEEDED_DISCLOSURE_MATTERS: readonly string[] = SEED_DISCLOSURES.map((d) => d.number);

/** Idempotent: a seeded matter number already present is left as it is. */
export async function seedDisclosures(
  em: EntityManager,
  progress: (msg: string) => void = () => undefined,
): Promise<number> {
  return em.transactional(async (tx) => {
    const bureau = await tx.findOne(Agency, { code: 'ZFJ' });
    const officer = await tx.findOne(User, { username: 'zfj.officer' });
    const legal = await tx.findOne(User, { username: 'zfj.legal' });
    const versions = await tx.find(
      BoundaryVersionRecord,
      { effectiveTo: null },
      { populate: ['item'], orderBy: { item: { code: 'asc' } }, limit: SEED_DISCLOSURES.length },
    );
    if (!bureau || !officer || !legal || versions.length < SEED_DISCLOSURES.length) return 0;
    let created = 0;
    for (const [i, seed] of SEED_DISCLOSURES.entries()) {
      if (await tx.findOne(Matter, { number: seed.number })) continue;
      const township = await tx.findOne(Agency, { code: seed.township });
      const version = versions[i];
      if (!township || !version) continue;
      const matter = tx.create(Matter, {
        number: seed.number,
        item: version.item,
        boundaryVersion: version,
        township,
        place: seed.place,
        partyKind: seed.party.kind,
        partyName: seed.party.name,
        partyIdNumber: seed.party.idNumber,
        procedure: 'general',
        originAgency: bureau,
        startedOn: seed.decidedOn,
        summary: seed.summary,
        createdBy: officer,
      });
      tx.create(MatterAgency, { matter, agency: bureau, role: 'origin' });
      tx.create(TimelineEntry, {
        matter,
        actor: officer,
        agency: bureau,
        action: 'matter.decided',
        detail: { outcome: 'penalty_decided', outcomeText: seed.decision },
      });
      tx.create(Disclosure, {
        matter,
        agency: bureau,
        decidedOn: seed.decidedOn,
        dueOn: seed.dueOn,
        decision: seed.decision,
        state: seed.publishedOn ? 'published' : 'queued',
        publishedAt: seed.publishedOn ? new Date(`${seed.publishedOn}T10:00:00+08:00`) : null,
        publishedBy: seed.publishedOn ? legal : null,
      });
      created++;
    }
    progress(`disclosures: ${created} new of ${SEED_DISCLOSURES.length}`);
    return created;
  });
}
