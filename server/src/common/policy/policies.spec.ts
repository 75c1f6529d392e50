import { describe, expect, it } from '@jest/globals';
import { CATALOGUE_AMEND_ROLES, ROLES, Role } from '@xietong/shared';
import type { Actor } from './actor.js';
import { POLICIES, type ChannelScoped, type PolicyName } from './policies.js';
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

  it('lets exactly the roles the client shows amendment controls to amend the catalogue', () => {
    const allowed = ROLES.filter((r) => policy.canAttempt(actor([r]), 'catalogue.amend'));
    expect(allowed.sort()).toEqual([...CATALOGUE_AMEND_ROLES].sort());
  });

  it('answers 403 with the rule’s description when an object is out of reach', () => {
    expect(() => policy.authorize(actor([Role.AgencyAdmin]), 'user.manage', { agencyId: 'agency-b' }, 'user')).toThrow(
      /own agency/,
    );
  });

  describe.each(['dispute.read', 'review.read', 'enforcement.read', 'interview.read'] as const)('%s', (name) => {
    it.each<[string, Role, string, boolean, boolean]>([
      // who, role, agency, flagged matter, may read
      ['a party agency', Role.CaseOfficer, 'agency-a', false, true],
      ['another agency', Role.CaseOfficer, 'agency-c', true, false],
      ['a prosecutor, unflagged matter', Role.Prosecutor, 'agency-p', false, false],
      ['a prosecutor, flagged matter', Role.Prosecutor, 'agency-p', true, true],
      ['an auditor', Role.Auditor, 'agency-c', false, true],
      ['a system admin', Role.SystemAdmin, 'agency-c', false, true],
    ])('%s (%s): %s', (_who, role, agencyId, flagged, allowed) => {
      const resource = { partyAgencyIds: ['agency-a', 'agency-b'], flagged };
      expect(policy.can(actor([role], agencyId), name, resource)).toBe(allowed);
    });

    it('hides what it refuses (404, not 403)', () => {
      expect(POLICIES[name].hide).toBe(true);
    });
  });

  it.each<[PolicyName, Role[]]>([
    ['dispute.open', [Role.CaseOfficer, Role.LiaisonOfficer, Role.TownshipStaff, Role.AgencyHead]],
    ['dispute.stats', [Role.GuidanceArbiter, Role.AgencyHead, Role.Auditor, Role.SystemAdmin]],
    ['review.queue', [Role.Prosecutor]],
    ['review.open', [Role.Prosecutor]],
    ['enforcement.create', [Role.CaseOfficer, Role.LiaisonOfficer, Role.AgencyHead]],
    ['interview.create', [Role.CaseOfficer, Role.LiaisonOfficer, Role.TownshipStaff, Role.AgencyHead]],
  ])('%s may be attempted by exactly %j', (name, roles) => {
    expect(ROLES.filter((r) => policy.canAttempt(actor([r]), name))).toEqual(ROLES.filter((r) => roles.includes(r)));
  });
  describe('channels', () => {
    const scope = (over: Partial<ChannelScoped> = {}): ChannelScoped => ({
      member: false,
      matterFlagged: false,
      archived: false,
      createdById: null,
      agencyMember: false,
      ...over,
    });
    it.each([
      // who, channel → read, post
      ['a member', [Role.LiaisonOfficer], scope({ member: true }), true, true],
      ['a member of an archived channel', [Role.LiaisonOfficer], scope({ member: true, archived: true }), true, false],
      ['an outsider', [Role.LiaisonOfficer], scope(), false, false],
      ['an auditor', [Role.Auditor], scope(), true, false],
      ['a system admin', [Role.SystemAdmin], scope(), true, false],
      ['a prosecutor, unflagged matter', [Role.Prosecutor], scope(), false, false],
      ['a prosecutor, flagged matter', [Role.Prosecutor], scope({ matterFlagged: true }), true, false],
    ] as const)('%s: read %s, post %s', (_, roles, r, read, post) => {
      const a = actor([...roles]);
      expect([policy.can(a, 'channel.read', r), policy.can(a, 'channel.post', r)]).toEqual([read, post]);
    });

    it.each([
      ['its creator', [Role.CaseOfficer], scope({ member: true, createdById: 'u1' }), true],
      ['a member who did not create it', [Role.CaseOfficer], scope({ member: true, createdById: 'u9' }), false],
      ['an agency admin of a member agency', [Role.AgencyAdmin], scope({ member: true, agencyMember: true }), true],
      ['an agency head of another agency', [Role.AgencyHead], scope(), false],
      ['a system admin', [Role.SystemAdmin], scope(), true],
      ['an auditor', [Role.Auditor], scope(), false],
    ] as const)('%s may manage it: %s', (_, roles, r, allowed) => {
      expect(policy.can(actor([...roles]), 'channel.manage', r)).toBe(allowed);
    });

    it('hides channels from those who may not read them (404), and refuses readers who may not post (403)', () => {
      expect(() => policy.authorize(actor([Role.LiaisonOfficer]), 'channel.read', scope(), 'channel')).toThrow(
        'channel not found',
      );
      expect(() => policy.authorize(actor([Role.Auditor]), 'channel.post', scope(), 'channel')).toThrow(/无权/);
    });
  });
});
