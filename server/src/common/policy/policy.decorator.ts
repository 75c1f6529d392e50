import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Socket } from 'socket.io';
import type { Actor } from './actor.js';
import type { PolicyName } from './policies.js';

export const POLICY_KEY = 'xietong:policy';

/** Declares the policy of a route or socket event. Boot fails for a handler without one. */
export const Policy = (name: PolicyName): MethodDecorator => SetMetadata(POLICY_KEY, name);

/** The signed-in caller (REST or socket). The guard has already refused callers without one. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor | undefined => {
  if (ctx.getType() === 'ws') return (ctx.switchToWs().getClient<Socket>().data as { actor?: Actor }).actor;
  return ctx.switchToHttp().getRequest<{ actor?: Actor }>().actor;
});
