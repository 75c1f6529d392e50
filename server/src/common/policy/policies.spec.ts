import { describe, expect, it } from '@jest/globals';
import { ROLES, Role } from '@xietong/shared';
import type { Actor } from './actor.js';
import { POLICIES, type PolicyName } from './policies.js';
import { PolicyService } from './policy.service.js';

const policy = new PolicyService();
const actor = (roles: Role[], agencyId = 'agency-a'): Actor => ({
  userId: 'u1',
  username: 'someone',
  agencyId,
  roles,
  sessionId: 's1',
});

describe('the policy table', () => {
  it('lets nobody without a session past anything but public routes', () => {
    for (const name of Object.keys(POLICIES) as PolicyName[]) {
      expect({ name, allowed: policy.canAttempt(undefined, name) }).toEqual({
        name,
        allowed: POLICIES[name].who === 'public',
      });
    }
  });

  it.each([
    // role, own agency allowed, other agency allowed
    [Role.SystemAdmin, true, true],
    [Role.AgencyAdmin, true, false],
    ...ROLES.filter((r) => r !== Role.SystemAdmin && r !== Role.AgencyAdmin).map((r) => [r, false, false] as const),
  ])('user.manage for %s: own %s, other %s', (role, own, other) => {
    const a = actor([role]);
    expect(policy.can(a, 'user.manage', { agencyId: 'agency-a' })).toBe(own);
    expect(policy.can(a, 'user.manage', { agencyId: 'agency-b' })).toBe(other);
  });

  it('lets auditors read users everywhere but change nothing', () => {
    const a = actor([Role.Auditor]);
    expect(policy.can(a, 'user.list', { agencyId: 'agency-b' })).toBe(true);
    expect(policy.can(a, 'user.manage', { agencyId: 'agency-a' })).toBe(false);
  });

  it('answers 403 with the rule’s description when an object is out of reach', () => {
    expect(() => policy.authorize(actor([Role.AgencyAdmin]), 'user.manage', { agencyId: 'agency-b' }, 'user')).toThrow(
      /own agency/,
    );
  });
});
