import { Injectable } from '@nestjs/common';
import { noteAudit } from '../../audit/audit-context.js';
import { Forbidden, NotFound, Unauthenticated } from '../errors.js';
import type { Actor } from './actor.js';
import { POLICIES, type PolicyName, type PolicyResource, type PolicyRule } from './policies.js';

/** Evaluates the policy table; used by the REST guard, the socket guard and services alike. */
@Injectable()
export class PolicyService {
  /** May this caller attempt the action at all (role level)? */
  canAttempt(actor: Actor | undefined, name: PolicyName): boolean {
    const rule = POLICIES[name] as PolicyRule<unknown>;
    if (rule.who === 'public') return true;
    if (!actor) return false;
    if (rule.who === 'signed-in') return true;
    return rule.who.some((r) => actor.roles.includes(r));
  }

  /** Throws unless the caller may attempt the action (401 without a session, 403 otherwise). */
  assertAttempt(actor: Actor | undefined, name: PolicyName): void {
    if (this.canAttempt(actor, name)) return;
    if (!actor) throw new Unauthenticated();
    throw new Forbidden(`无权执行此操作: ${POLICIES[name].description}`);
  }

  /** May this caller act on this particular object? */
  can<P extends PolicyName>(actor: Actor, name: P, resource: PolicyResource<P>): boolean {
    const rule = POLICIES[name] as PolicyRule<PolicyResource<P>>;
    if (!this.canAttempt(actor, name)) return false;
    return rule.object ? rule.object(actor, resource) : true;
  }

  /** Throws 403 (or 404 where existence must not leak) unless the caller may act on the object. */
  authorize<P extends PolicyName>(actor: Actor, name: P, resource: PolicyResource<P>, what = 'object'): void {
    if (this.can(actor, name, resource)) {
      noteOversightRead(actor, name, resource);
      return;
    }
    const rule = POLICIES[name] as PolicyRule<PolicyResource<P>>;
    if (rule.hide) throw new NotFound(what);
    throw new Forbidden(`无权执行此操作: ${rule.description}`);
  }
}

/**
 * A matter read by someone whose agency is not on it (auditors, system admins, prosecutors on a
 * flagged matter) is an audit entry, written as the request ends.
 */
function noteOversightRead(actor: Actor, name: PolicyName, resource: unknown): void {
  const r = resource as { partyAgencyIds?: readonly string[]; matterId?: string } | undefined;
  if (!r?.partyAgencyIds || !r.matterId || r.partyAgencyIds.includes(actor.agencyId)) return;
  noteAudit({
    action: 'matter.read.oversight',
    objectType: 'Matter',
    objectId: r.matterId,
    after: { policy: name, roles: [...actor.roles] },
  });
}
