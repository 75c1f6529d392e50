import type { AgencySummary, Me, UserSummary } from '@xietong/shared';
import type { Agency } from '../agencies/agency.entity.js';
import type { User } from './user.entity.js';

export function toAgencySummary(a: Agency): AgencySummary {
  return {
    id: a.id,
    code: a.code,
    kind: a.kind,
    nameZh: a.nameZh,
    nameEn: a.nameEn,
    delegated: a.delegated,
    parentId: a.parent?.id ?? null,
  };
}

export function toUserSummary(u: User): UserSummary {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    agencyId: u.agency.id,
    roles: u.roles,
    active: u.active,
  };
}

/** Requires the agency to be loaded. */
export function toMe(u: User): Me {
  return { ...toUserSummary(u), agency: toAgencySummary(u.agency.unwrap()) };
}
