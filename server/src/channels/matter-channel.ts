import type { EntityManager } from '@mikro-orm/postgresql';
import { Channel } from './channel.entity.js';

/**
 * The matter channel: one per matter, opened in the transaction that opens the matter. Its members
 * are never copied: they are read from the matter's agencies (`matter_agency`) whenever asked.
 */
export const MatterChannel = {
  title: (matterNumber: string): string => `案件协同 ${matterNumber}`,

  /** Called by the matter's creation, in its transaction. */
  open(em: EntityManager, matter: { id: string; number: string }): void {
    em.create(Channel, { kind: 'matter', title: MatterChannel.title(matter.number), matter: matter.id });
  },

  /** The matter's channel id, created if an older matter has none yet (idempotent). */
  async ensure(em: EntityManager, matterId: string): Promise<string> {
    const [found] = await em.execute<{ id: string }[]>(`select id from channel where matter_id = ?`, [matterId]);
    if (found) return found.id;
    const [row] = await em.execute<{ id: string }[]>(
      `insert into channel (id, kind, title, matter_id, created_at, last_seq, last_change_seq)
       select gen_random_uuid(), 'matter', '案件协同 ' || m.number, m.id, now(), 0, 0 from matter m where m.id = ?
       on conflict (matter_id) do update set matter_id = excluded.matter_id returning id`,
      [matterId],
    );
    if (!row) throw new Error(`matter ${matterId} not found`);
    return row.id;
  },
};
