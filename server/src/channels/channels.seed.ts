import type { EntityManager } from '@mikro-orm/postgresql';

/** The standing liaison channels of the demo county (常设联络群), by member agency codes. */
export const SEED_LIAISON_CHANNELS: { title: string; agencies: string[] }[] = [
  { title: '执法局—公安局联络群', agencies: ['ZFJ', 'GAJ'] },
  { title: '执法局—检察院公益诉讼线索联络群', agencies: ['ZFJ', 'JCY'] },
  { title: '县综合执法协同联络群', agencies: ['ZFJ', 'ZDB', 'ZJJ', 'ZRZY', 'STHJ', 'SCJG'] },
];

/** Creates the standing liaison channels that are missing (matched by title). Idempotent. */
export async function seedLiaisonChannels(em: EntityManager, agencyIdByCode: Map<string, string>): Promise<number> {
  let created = 0;
  for (const seed of SEED_LIAISON_CHANNELS) {
    const [exists] = await em.execute<{ id: string }[]>(`select id from channel where kind = 'liaison' and title = ?`, [
      seed.title,
    ]);
    if (exists) continue;
    const ids = seed.agencies.map((code) => {
      const id = agencyIdByCode.get(code);
      if (!id) throw new Error(`seed channel ${seed.title} names unknown agency ${code}`);
      return id;
    });
    const [row] = await em.execute<{ id: string }[]>(
      `insert into channel (id, kind, title, created_at, last_seq, last_change_seq)
       values (gen_random_uuid(), 'liaison', ?, now(), 0, 0) returning id`,
      [seed.title],
    );
    if (!row) continue;
    for (const agencyId of ids) {
      await em.execute(
        `insert into channel_member (id, channel_id, agency_id, added_at) values (gen_random_uuid(), ?, ?, now())`,
        [row.id, agencyId],
      );
    }
    created++;
  }
  return created;
}
