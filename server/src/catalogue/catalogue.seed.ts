import type { EntityManager } from '@mikro-orm/postgresql';
import { Agency } from '../agencies/agency.entity.js';
import { BoundaryVersionRecord, EnforcementItem } from './catalogue.entity.js';
import { SEED_ITEMS } from './catalogue.seed-data.js';
import { pinyinInitials } from './catalogue.views.js';

/**
 * Seeds the demo catalogue: about 40 items with full boundaries, some with a later version.
 * Idempotent: items already present (by code) are left as they are.
 */
export async function seedCatalogue(
  em: EntityManager,
  progress: (msg: string) => void = () => undefined,
): Promise<{ items: number }> {
  return em.transactional(async (tx) => {
    const agencies = new Map((await tx.find(Agency, {})).map((a) => [a.code, a]));
    const id = (code: string | null): Agency | null => {
      if (code === null) return null;
      const a = agencies.get(code);
      if (!a) throw new Error(`catalogue seed names unknown agency ${code}`);
      return a;
    };
    const existing = new Set((await tx.find(EnforcementItem, {}, { fields: ['code'] })).map((i) => i.code));
    let created = 0;
    for (const seed of SEED_ITEMS) {
      if (existing.has(seed.code)) continue;
      const item = tx.create(EnforcementItem, {
        code: seed.code,
        nameZh: seed.nameZh,
        category: seed.category,
        legalBasis: seed.legalBasis,
        transferBatch: seed.transferBatch,
        transferDate: seed.transferDate,
        pinyinInitials: pinyinInitials(seed.nameZh),
      });
      seed.boundaries.forEach((b, i) => {
        tx.create(BoundaryVersionRecord, {
          item,
          version: i + 1,
          effectiveFrom: b.effectiveFrom,
          effectiveTo: seed.boundaries[i + 1]?.effectiveFrom ?? null,
          supervising: id(b.supervising),
          approving: id(b.approving),
          penalising: id(b.penalising),
          delegatedTownshipIds: b.delegatedTo.map((t) => (id(t) as Agency).id),
          evidenceHandoffDuty: b.evidenceHandoffDuty,
          resultFeedbackDuty: b.resultFeedbackDuty,
          reason: b.reason,
          note: b.note,
          causeRef: null,
          createdBy: null,
        });
      });
      created++;
    }
    progress(`catalogue: ${created} new items of ${SEED_ITEMS.length}`);
    return { items: created };
  });
}
