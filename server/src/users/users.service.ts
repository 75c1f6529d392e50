import { Injectable } from '@nestjs/common';
import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import {
  Role,
  ROLE_LABELS,
  ROLES_BY_AGENCY_KIND,
  SYSTEM_GRANTED_ROLES,
  type CreateUserRequest,
  type UpdateUserRequest,
  type UserSummary,
} from '@xietong/shared';
import { Agency } from '../agencies/agency.entity.js';
import { AuthService } from '../auth/auth.service.js';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../common/errors.js';
import { hasRole, type Actor } from '../common/policy/actor.js';
import { PolicyService } from '../common/policy/policy.service.js';
import { User } from './user.entity.js';
import { toUserSummary } from './user.views.js';

@Injectable()
export class UsersService {
  constructor(
    private readonly em: EntityManager,
    private readonly policy: PolicyService,
    private readonly auth: AuthService,
  ) {}

  async listForAgency(actor: Actor, agencyId: string): Promise<UserSummary[]> {
    const agency = await this.em.findOne(Agency, { id: agencyId });
    if (!agency) throw new NotFound('agency');
    this.policy.authorize(actor, 'user.list', { agencyId });
    const users = await this.em.find(User, { agency: agencyId }, { orderBy: { username: 'asc' } });
    return users.map(toUserSummary);
  }

  async create(actor: Actor, agencyId: string, input: CreateUserRequest): Promise<UserSummary> {
    const agency = await this.em.findOne(Agency, { id: agencyId });
    if (!agency) throw new NotFound('agency');
    this.policy.authorize(actor, 'user.manage', { agencyId });
    this.assertRolesFit(actor, agency, input.roles);
    const user = this.em.create(User, {
      username: input.username,
      displayName: input.displayName,
      passwordHash: await AuthService.hashPassword(input.password),
      agency,
      roles: input.roles,
    });
    try {
      await this.em.flush();
    } catch (e) {
      if (e instanceof UniqueConstraintViolationException) {
        throw new Conflict(`username "${input.username}" is taken`);
      }
      throw e;
    }
    return toUserSummary(user);
  }

  async update(actor: Actor, userId: string, input: UpdateUserRequest): Promise<UserSummary> {
    const user = await this.em.findOne(User, { id: userId }, { populate: ['agency'] });
    if (!user) throw new NotFound('user');
    this.policy.authorize(actor, 'user.manage', { agencyId: user.agency.id });
    if (input.roles) this.assertRolesFit(actor, user.agency.unwrap(), input.roles);
    if (user.id === actor.userId && input.active === false) throw new Forbidden('不能停用自己的账号');
    const accessChanged =
      (input.roles !== undefined && input.roles.join() !== user.roles.join()) ||
      (input.active === false && user.active) ||
      input.password !== undefined;
    if (input.displayName !== undefined) user.displayName = input.displayName;
    if (input.roles !== undefined) user.roles = input.roles;
    if (input.active !== undefined) user.active = input.active;
    if (input.password !== undefined) user.passwordHash = await AuthService.hashPassword(input.password);
    await this.em.flush();
    // Changed access takes effect at once: the user signs in again with the new roles.
    if (accessChanged) await this.auth.revokeUserSessions(user.id, 'access_changed');
    return toUserSummary(user);
  }

  private assertRolesFit(actor: Actor, agency: Agency, roles: readonly Role[]): void {
    if (!hasRole(actor, Role.SystemAdmin)) {
      const reserved = roles.filter((r) => SYSTEM_GRANTED_ROLES.includes(r));
      if (reserved.length > 0) throw new Forbidden(`只有系统管理员可以授予: ${reserved.join(', ')}`);
    }
    const allowed = ROLES_BY_AGENCY_KIND[agency.kind];
    const misfits = roles.filter((r) => !allowed.includes(r));
    if (misfits.length > 0) {
      throw new ValidationFailed(
        misfits.map((r) => ({ field: 'roles', message: `${ROLE_LABELS[r].zh} (${r}) 不适用于该类单位` })),
      );
    }
  }
}
