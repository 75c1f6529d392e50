import { AsyncLocalStorage } from 'node:async_hooks';

/** Who is acting, from where, in which request: what every audit entry of that request carries. */
export interface AuditContext {
  actorId: string | null;
  actorName: string | null;
  agencyId: string | null;
  requestId: string | null;
  clientAddress: string | null;
  /** Entries the request noted outside a flush (oversight reads, exports); written when it ends. */
  pending: AuditNote[];
}

/** An entry noted explicitly (not seen by the flush subscriber). */
export interface AuditNote {
  action: string;
  objectType: string;
  objectId: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** overrides the request's actor (sign-in: the user signing in) */
  actorId?: string | null;
  actorName?: string | null;
  agencyId?: string | null;
}

/** Set by the audit interceptor around every REST handler and socket event. */
export const auditContext = new AsyncLocalStorage<AuditContext>();

export const currentAuditContext = (): AuditContext | undefined => auditContext.getStore();

/** Notes an entry for the current request (written as it ends); outside a request there is nothing to note. */
export function noteAudit(note: AuditNote): void {
  auditContext.getStore()?.pending.push(note);
}
