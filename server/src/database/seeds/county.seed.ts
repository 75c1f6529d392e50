import type { EntityManager } from '@mikro-orm/postgresql';
import { hash } from '@node-rs/argon2';
import { Agency } from '../../agencies/agency.entity.js';
import { User } from '../../users/user.entity.js';
import { seedLiaisonChannels } from '../../channels/channels.seed.js';
import { DEMO_PASSWORD, SEED_AGENCIES, SEED_USERS } from './county.data.js';

/**
 * Creates the demo county. Idempotent: agencies are matched by code and users by username;
 * existing rows keep their passwords and any changes made since.
 */
export async function seedCounty(
  em: EntityManager,
  progress: (msg: string) => void = () => undefined,
): Promise<{ agencies: number; users: number }> {
  return em.transactional(async (tx) => {
    const byCode = new Map<string, Agency>();
    for (const a of await tx.find(Agency, {})) byCode.set(a.code, a);
    let agenciesCreated = 0;
    for (const seed of SEED_AGENCIES) {
      if (byCode.has(seed.code)) continue;
      const parent = seed.parent ? byCode.get(seed.parent) : undefined;
      const agency = tx.create(Agency, {
        code: seed.code,
        kind: seed.kind,
        nameZh: seed.nameZh,
        nameEn: seed.nameEn,
        delegated: seed.delegated ?? false,
        parent: parent ?? null,
      });
      byCode.set(seed.code, agency);
      agenciesCreated++;
    }
    progress(`agencies: ${agenciesCreated} new of ${SEED_AGENCIES.length}`);

    const existing = new Set((await tx.find(User, {}, { fields: ['username'] })).map((u) => u.username));
    const missing = SEED_USERS.filter((u) => !existing.has(u.username));
    let done = 0;
    for (const seed of missing) {
      const agency = byCode.get(seed.agency);
      if (!agency) throw new Error(`seed user ${seed.username} names unknown agency ${seed.agency}`);
      tx.create(User, {
        username: seed.username,
        displayName: seed.displayName,
        passwordHash: await hash(DEMO_PASSWORD),
        agency,
        roles: seed.roles,
      });
      done++;
      if (done % 10 === 0 || done === missing.length) progress(`users: ${done}/${missing.length}`);
    }
    await tx.flush();
    const channels = await seedLiaisonChannels(tx, new Map([...byCode].map(([code, a]) => [code, a.id])));
    progress(`liaison channels: ${channels} new`);
    return { agencies: agenciesCreated, users: missing.length };
  });
}
