import type { Role } from '@xietong/shared';

/** The signed-in caller, as REST handlers and socket handlers both see it. */
export interface Actor {
  userId: string;
  username: string;
  agencyId: string;
  roles: readonly Role[];
  sessionId: string;
}

export const hasRole = (actor: Actor, ...roles: Role[]): boolean => roles.some((r) => actor.roles.includes(r));
