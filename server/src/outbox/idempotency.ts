import { createHash } from 'node:crypto';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Request, Response } from 'express';
import { catchError, from, of, switchMap, throwError, type Observable } from 'rxjs';
import { Conflict, ValidationFailed } from '../common/errors.js';
import type { Actor } from '../common/policy/actor.js';
import { IdempotentRequest } from './outbox.entity.js';

const KEY = /^[\w.:-]{8,128}$/;
const IN_PROGRESS = 0;
const WAIT_MS = 10_000;
/**
 * A claim still in progress after this long belongs to a process that died mid-request (a
 * SIGKILL, a crash): a retry takes it over rather than being refused forever. No request runs this
 * long; one that dies between its commit and its answer is run again (creates that must not repeat
 * guard it themselves).
 */
const ABANDONED_AFTER_SECONDS = 30;

type Claim = { first: true } | { first: false; status: number; body: unknown };

/**
 * Honours the `Idempotency-Key` header on creates. The key is claimed (per user) before the work
 * runs, so two concurrent retries cannot both create: the second waits for the first answer and
 * returns it. A key reused with a different body is a 409. A failed first attempt releases the
 * key, so the retry can succeed; so does one whose process died holding it, once it is abandoned.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly em: EntityManager) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const key = req.headers['idempotency-key'];
    if (key === undefined || !req.actor) return next.handle();
    if (typeof key !== 'string' || !KEY.test(key)) {
      throw new ValidationFailed([{ field: 'Idempotency-Key', message: '8–128 letters, digits, _ . : -' }]);
    }
    const userId = req.actor.userId;
    const route = `${req.method} ${req.baseUrl}${(req.route as { path?: string } | undefined)?.path ?? req.path}`;
    const requestHash = createHash('sha256')
      .update(JSON.stringify(req.body ?? null))
      .digest('hex');
    return from(this.claim(userId, key, route, requestHash)).pipe(
      switchMap((claim) => {
        if (!claim.first) {
          res.status(claim.status);
          res.setHeader('Idempotent-Replayed', 'true');
          return of(claim.body);
        }
        return next.handle().pipe(
          switchMap((body: unknown) =>
            from(this.complete(userId, key, res.statusCode, body)).pipe(switchMap(() => of(body))),
          ),
          catchError((err: unknown) => from(this.release(userId, key)).pipe(switchMap(() => throwError(() => err)))),
        );
      }),
    );
  }

  private async claim(userId: string, key: string, route: string, requestHash: string): Promise<Claim> {
    const inserted = await this.em.fork().execute<{ id: string }[]>(
      `insert into idempotent_request (user_id, key, route, request_hash, status, body, created_at)
       values (?, ?, ?, ?, ${IN_PROGRESS}, 'null'::jsonb, now()) on conflict (user_id, key) do nothing returning id`,
      [userId, key, route, requestHash],
    );
    if (inserted.length > 0) return { first: true };
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const earlier = await this.em.fork().findOne(IdempotentRequest, { userId, key });
      if (!earlier) return this.claim(userId, key, route, requestHash); // released after a failure
      if (earlier.requestHash !== requestHash || earlier.route !== route) {
        throw new Conflict('Idempotency-Key 已用于另一请求 (key already used for a different request)');
      }
      if (earlier.status !== IN_PROGRESS) return { first: false, status: earlier.status, body: earlier.body };
      if (await this.takeOver(userId, key)) return { first: true };
      if (Date.now() > deadline)
        throw new Conflict('同一 Idempotency-Key 的请求仍在处理中 (the first request is still running)');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Claims an abandoned in-progress key for this request; false if it is not abandoned (or another retry won). */
  private async takeOver(userId: string, key: string): Promise<boolean> {
    const taken = await this.em.fork().execute<{ id: string }[]>(
      `update idempotent_request set created_at = now()
        where user_id = ? and key = ? and status = ${IN_PROGRESS}
          and created_at < now() - make_interval(secs => ${ABANDONED_AFTER_SECONDS})
        returning id`,
      [userId, key],
    );
    return taken.length > 0;
  }

  private async complete(userId: string, key: string, status: number, body: unknown): Promise<void> {
    await this.em.fork().nativeUpdate(IdempotentRequest, { userId, key }, { status, body: body ?? null });
  }

  /** The first attempt failed: forget the key (it holds no answer), so a retry runs afresh. */
  private async release(userId: string, key: string): Promise<void> {
    await this.em.fork().nativeDelete(IdempotentRequest, { userId, key, status: IN_PROGRESS });
  }
}
