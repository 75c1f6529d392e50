import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Socket } from 'socket.io';
import { AuthService } from '../../auth/auth.service.js';
import { Forbidden } from '../errors.js';
import type { Actor } from './actor.js';
import { POLICIES, type PolicyName } from './policies.js';
import { POLICY_KEY } from './policy.decorator.js';
import { PolicyService } from './policy.service.js';

/**
 * The global guard for routes and socket events: authenticates, then applies the handler's
 * declared policy. A handler without a policy is refused here too (and boot refuses it first).
 */
@Injectable()
export class PolicyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly policies: PolicyService,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const name = this.reflector.get<PolicyName | undefined>(POLICY_KEY, ctx.getHandler());
    if (!name || !(name in POLICIES)) throw new Forbidden('no policy declared for this handler');
    let actor: Actor | undefined;
    if (ctx.getType() === 'ws') {
      const socket = ctx.switchToWs().getClient<Socket>();
      actor = (socket.data as { actor?: Actor }).actor;
    } else if (POLICIES[name].who !== 'public') {
      const req = ctx.switchToHttp().getRequest<Request & { actor?: Actor }>();
      actor = await this.auth.authenticate(bearerToken(req));
      req.actor = actor;
    }
    this.policies.assertAttempt(actor, name);
    return true;
  }
}

export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const [scheme, token] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token : undefined;
}
