import { randomUUID } from 'node:crypto';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { catchError, concatMap, from, map, Observable, throwError } from 'rxjs';
import type { Socket } from 'socket.io';
import type { Actor } from '../common/policy/actor.js';
import { auditContext, type AuditContext } from './audit-context.js';
import { AuditService } from './audit.service.js';

/**
 * Runs every REST handler and socket event inside an audit context (actor, agency, request id,
 * client address), so the flush subscriber can stamp each change with them; and writes what the
 * handler noted (oversight reads, exports) before the response leaves, whether it succeeded or not.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditService) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const store = contextOf(ctx);
    const flush = () => from(this.audit.flushNotes(store));
    return new Observable((subscriber) =>
      auditContext.run(store, () =>
        next
          .handle()
          .pipe(
            concatMap((value: unknown) => flush().pipe(map(() => value))),
            catchError((e: unknown) => flush().pipe(concatMap(() => throwError(() => e)))),
          )
          .subscribe(subscriber),
      ),
    );
  }
}

function contextOf(ctx: ExecutionContext): AuditContext {
  if (ctx.getType() === 'ws') {
    const socket = ctx.switchToWs().getClient<Socket>();
    const actor = (socket.data as { actor?: Actor }).actor;
    return base(actor, `ws-${randomUUID()}`, socket.handshake.address);
  }
  const req = ctx.switchToHttp().getRequest<Request & { actor?: Actor; id?: unknown }>();
  return base(req.actor, typeof req.id === 'string' ? req.id : null, req.ip ?? null);
}

function base(actor: Actor | undefined, requestId: string | null, address: string | null): AuditContext {
  return {
    actorId: actor?.userId ?? null,
    actorName: actor?.username ?? null,
    agencyId: actor?.agencyId ?? null,
    requestId: requestId?.slice(0, 64) ?? null,
    clientAddress: address?.slice(0, 64) ?? null,
    pending: [],
  };
}
