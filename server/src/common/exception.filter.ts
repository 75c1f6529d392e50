import { randomUUID } from 'node:crypto';
import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { ErrorBody } from '@xietong/shared';
import { DomainError } from './errors.js';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * The one place errors become HTTP responses: `{ statusCode, error, message, details? }`.
 * Unknown errors become a 500 with a logged id; no stack, SQL or internals reach the client.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');
  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request & { id?: string }>();
    const res = ctx.getResponse<Response>();
    if (res.headersSent) return;
    const body = this.toBody(exception, req);

    if (exception instanceof DomainError && exception.headers) {
      for (const [k, v] of Object.entries(exception.headers)) res.setHeader(k, v);
    }
    res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown, req: Request & { id?: string }): ErrorBody {
    const requestId = typeof req.id === 'string' ? req.id : undefined;
    if (exception instanceof DomainError) {
      return {
        statusCode: exception.status,
        error: exception.code,
        message: exception.message,
        ...(exception.details ? { details: exception.details } : {}),
        ...(requestId ? { requestId } : {}),
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      let message = exception.message;
      if (status === 404 && /^Cannot /.test(message))
        message = `No route ${req.method} ${req.originalUrl.split('?')[0] ?? ''}`;
      if (typeof response === 'object' && response && 'message' in response) {
        const m = response.message;
        if (typeof m === 'string' && status !== 404) message = m;
      }
      return { statusCode: status, error: REASONS[status] ?? 'Error', message, ...(requestId ? { requestId } : {}) };
    }
    if (isBodyParserError(exception)) {
      const status = exception.status;
      return {
        statusCode: status,
        error: REASONS[status] ?? 'Bad Request',
        message: status === 413 ? 'Request body too large' : 'Malformed request body (expected JSON)',
        ...(requestId ? { requestId } : {}),
      };
    }
    if (isConstraintConflict(exception)) {
      return {
        statusCode: 409,
        error: 'Conflict',
        message: '与已有记录冲突，请刷新后重试 (conflicts with a record saved meanwhile)',
        ...(requestId ? { requestId } : {}),
      };
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn({ err: exception }, 'database unavailable');
      return {
        statusCode: 503,
        error: 'Service Unavailable',
        message: DATABASE_UNAVAILABLE,
        ...(requestId ? { requestId } : {}),
      };
    }
    const errorId = requestId ?? randomUUID();
    this.logger.error({ err: exception, errorId }, 'unhandled error');
    return {
      statusCode: 500,
      error: 'Internal Server Error',
      message: `Internal error; reference ${errorId}`,
      requestId: errorId,
    };
  }
}

function isBodyParserError(e: unknown): e is { status: number; type: string } {
  return (
    typeof e === 'object' &&
    e !== null &&
    'type' in e &&
    'status' in e &&
    typeof (e as { status: unknown }).status === 'number'
  );
}

export const DATABASE_UNAVAILABLE = '数据库暂不可用，请稍后重试 (database unavailable, try again shortly)';

/** Connection-level failures (refused, terminated, not accepting connections): retryable, 503. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  '57P01',
  '57P03',
  '55000',
  '08000',
  '08001',
  '08003',
  '08006',
]);
export function isDatabaseUnavailable(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur && typeof cur === 'object' && depth < 4; depth++) {
    const err = cur as { name?: unknown; code?: unknown; cause?: unknown; message?: unknown };
    if (err.name === 'ConnectionException') return true;
    if (typeof err.code === 'string' && UNAVAILABLE_CODES.has(err.code)) return true;
    if (typeof err.message === 'string' && /Connection terminated|does not allow connections/i.test(err.message))
      return true;
    cur = err.cause;
  }
  return false;
}

/** A unique or exclusion constraint refused a write the service had checked: a race, so 409. */
function isConstraintConflict(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '23505' || code === '23P01';
}
