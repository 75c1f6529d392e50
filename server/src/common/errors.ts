import type { FieldError } from '@xietong/shared';

/**
 * Typed domain errors. Services throw these; the one exception filter maps them to HTTP, and
 * the socket layer maps them to error acks. Nothing else decides status codes.
 */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  details?: FieldError[];
  headers?: Record<string, string>;
}

export class ValidationFailed extends DomainError {
  readonly status = 400;
  readonly code = 'Bad Request';
  constructor(details: FieldError[], message?: string) {
    super(message ?? `Invalid input: ${details.map((d) => `${d.field} (${d.message})`).join('; ')}`);
    this.details = details;
  }
}

export class Unauthenticated extends DomainError {
  readonly status = 401;
  readonly code = 'Unauthorized';
  constructor(message = '未登录或登录已失效 (not signed in or session expired)') {
    super(message);
  }
}

export class Forbidden extends DomainError {
  readonly status = 403;
  readonly code = 'Forbidden';
  constructor(message = '无权执行此操作 (not allowed)') {
    super(message);
  }
}

export class NotFound extends DomainError {
  readonly status = 404;
  readonly code = 'Not Found';
  constructor(what: string) {
    super(`${what} not found`);
  }
}

export class Conflict extends DomainError {
  readonly status = 409;
  readonly code = 'Conflict';
}

export class TooManyAttempts extends DomainError {
  readonly status = 429;
  readonly code = 'Too Many Requests';
  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.headers = { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) };
  }
}

export class UnsupportedMediaType extends DomainError {
  readonly status = 415;
  readonly code = 'Unsupported Media Type';
  constructor(field: string, message: string) {
    super(message);
    this.details = [{ field, message }];
  }
}

export class ServiceUnavailable extends DomainError {
  readonly status = 503;
  readonly code = 'Service Unavailable';
}
