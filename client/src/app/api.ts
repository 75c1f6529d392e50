import type { QueryClient, QueryKey } from '@tanstack/react-query';
import { z } from 'zod';
import {
  AgencySummary,
  AttachmentView,
  ChannelView,
  ErrorBody,
  HistoryPage,
  ImportResult,
  BlindSpotReport,
  ItemDetail,
  ItemPage,
  LoginRequest,
  MatterList,
  MatterView,
  NotificationList,
  ReferralList,
  ReadersView,
  ReferralView,
  ResponsibilityAnswer,
  ReviewQueue,
  ReviewView,
  SearchHit,
  StatisticsView,
  TimelineEntryView,
  TokenPair,
  type AmendBoundaryRequest,
  UserSummary,
  type CreateEnforcementRequest,
  type CreateInterviewRequest,
  type CreateUserRequest,
  type OpenDisputeRequest,
  type UpdateUserRequest,
  type CreateMatterRequest,
  type DelegationChangeRequest,
  type ItemCategory,
  type CreateReferralRequest,
  type ExtensionDecision,
  type ExtensionRequest,
  type ReferralAction,
  type ReferralActionRequest,
  type ReferralKind,
  type ReferralState,
  type RoutingDecision,
} from '@xietong/shared';
import { session } from './session.js';

/** A failed request: the server's status and its error body (message, and each bad field). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.message);
  }
}

/** Not reached the server at all. */
export const OFFLINE = 0;

interface CallOptions {
  method?: string;
  body?: unknown;
  form?: FormData;
  headers?: Record<string, string>;
  /** false: no bearer token (sign-in) */
  auth?: boolean;
  /** error statuses whose body is an answer, not an ErrorBody (the import's 422 report) */
  accept?: readonly number[];
}

async function send(path: string, opts: CallOptions, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { ...opts.headers };
  if (token) headers.authorization = `Bearer ${token}`;
  let body: BodyInit | undefined;
  if (opts.form) body = opts.form;
  else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  try {
    return await fetch(path, { method: opts.method ?? 'GET', headers, ...(body !== undefined ? { body } : {}) });
  } catch {
    throw new ApiError(OFFLINE, { statusCode: OFFLINE, error: 'Offline', message: '无法连接服务器' });
  }
}

/** One request; a 401 on a signed-in call refreshes the session once and retries. */
async function raw(path: string, opts: CallOptions = {}): Promise<Response> {
  const authed = opts.auth !== false;
  const token = authed ? await session.accessToken() : null;
  let res = await send(path, opts, token);
  if (res.status === 401 && authed && token) {
    const fresh = await session.refresh(token);
    if (fresh) res = await send(path, opts, fresh);
  }
  if (!res.ok && !opts.accept?.includes(res.status)) {
    const json: unknown = await res.json().catch(() => undefined);
    const parsed = ErrorBody.safeParse(json);
    throw new ApiError(
      res.status,
      parsed.success ? parsed.data : { statusCode: res.status, error: 'Error', message: `请求失败（${res.status}）` },
    );
  }
  return res;
}

async function call<T>(path: string, schema: z.ZodType<T>, opts: CallOptions = {}): Promise<T> {
  const res = await raw(path, opts);
  return schema.parse(await res.json());
}

async function none(path: string, opts: CallOptions): Promise<void> {
  await raw(path, opts);
}

const qs = (params: Record<string, string | number | boolean | undefined>): string => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') s.set(k, String(v));
  const text = s.toString();
  return text ? `?${text}` : '';
};

const idempotent = (key: string) => ({ 'Idempotency-Key': key });

/** The routing answer has no schema of its own on the server (a plain domain value). */
const RoutingAnswer = z.custom<RoutingDecision>((v) => typeof v === 'object' && v !== null && 'routed' in v);

export const api = {
  login: (input: LoginRequest) =>
    call('/api/auth/login', TokenPair, { method: 'POST', body: LoginRequest.parse(input), auth: false }),
  logout: () => none('/api/auth/logout', { method: 'POST' }),

  agencies: () => call('/api/agencies', z.array(AgencySummary)),
  items: (q: string) => call(`/api/catalogue/items${qs({ q, limit: 20 })}`, ItemPage),
  item: (code: string) => call(`/api/catalogue/items/${encodeURIComponent(code)}`, ItemDetail),
  blindSpots: (date?: string) => call(`/api/catalogue/blind-spots${qs({ date })}`, BlindSpotReport),
  route: (code: string, kind: ReferralKind, township: string, date?: string) =>
    call(`/api/catalogue/items/${encodeURIComponent(code)}/route${qs({ kind, township, date })}`, RoutingAnswer),
  responsibility: (code: string, township: string, date?: string) =>
    call(
      `/api/catalogue/items/${encodeURIComponent(code)}/responsibility${qs({ township, date })}`,
      ResponsibilityAnswer,
    ),
  searchItems: (p: { q?: string; category?: ItemCategory; limit: number; offset: number }) =>
    call(`/api/catalogue/items${qs(p)}`, ItemPage),
  amendBoundary: (code: string, input: AmendBoundaryRequest, key: string) =>
    call(`/api/catalogue/items/${encodeURIComponent(code)}/versions`, ItemDetail, {
      method: 'POST',
      body: input,
      headers: idempotent(key),
    }),
  changeDelegation: (code: string, input: DelegationChangeRequest, key: string) =>
    call(`/api/catalogue/items/${encodeURIComponent(code)}/delegations`, ItemDetail, {
      method: 'POST',
      body: input,
      headers: idempotent(key),
    }),
  /** Bad rows answer 422 with the full report (nothing written): a result to show, not an error. */
  importCatalogue: (file: File, dryRun: boolean, importId: string) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return call(`/api/catalogue/import${qs({ dryRun, importId })}`, ImportResult, {
      method: 'POST',
      form,
      accept: [422],
    });
  },
  exportCatalogue: async (format: 'xlsx' | 'csv'): Promise<Blob> =>
    (await raw(`/api/catalogue/export${qs({ format })}`)).blob(),

  createMatter: (input: CreateMatterRequest, key: string) =>
    call('/api/matters', MatterView, { method: 'POST', body: input, headers: idempotent(key) }),
  matter: (id: string) => call(`/api/matters/${id}`, MatterView),
  /** the matters my agency is on, newest first; `q` searches number, item, party and place */
  myMatters: (q?: string) => call(`/api/matters${qs({ q, limit: 50 })}`, MatterList),
  timeline: (id: string) => call(`/api/matters/${id}/timeline`, z.array(TimelineEntryView)),
  attachments: (matterId: string) => call(`/api/matters/${matterId}/attachments`, z.array(AttachmentView)),
  upload: (matterId: string, file: File, referralId?: string) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return call(`/api/matters/${matterId}/attachments${qs({ referralId })}`, AttachmentView, { method: 'POST', form });
  },
  download: async (id: string): Promise<Blob> => (await raw(`/api/attachments/${id}`)).blob(),

  createReferral: (input: CreateReferralRequest, key: string) =>
    call('/api/referrals', ReferralView, { method: 'POST', body: input, headers: idempotent(key) }),
  referrals: (box: 'inbox' | 'outbox', state?: ReferralState) =>
    call(`/api/referrals/${box}${qs({ state, limit: 100 })}`, ReferralList),
  referral: (id: string) => call(`/api/referrals/${id}`, ReferralView),
  act: (id: string, action: ReferralAction, input: ReferralActionRequest) =>
    call(`/api/referrals/${id}/actions/${action}`, ReferralView, { method: 'POST', body: input }),
  requestExtension: (referralId: string, clockId: string, input: ExtensionRequest) =>
    none(`/api/referrals/${referralId}/clocks/${clockId}/extension-request`, { method: 'POST', body: input }),
  decideExtension: (referralId: string, clockId: string, input: ExtensionDecision) =>
    none(`/api/referrals/${referralId}/clocks/${clockId}/extension-decision`, { method: 'POST', body: input }),

  channels: () => call('/api/channels', z.array(ChannelView)),
  channel: (id: string) => call(`/api/channels/${id}`, ChannelView),
  matterChannel: (matterId: string) => call(`/api/matters/${matterId}/channel`, ChannelView),
  history: (id: string, before?: number) =>
    call(`/api/channels/${id}/messages${qs({ before, limit: 50 })}`, HistoryPage),
  readers: (channelId: string, messageId: string) =>
    call(`/api/channels/${channelId}/messages/${messageId}/readers`, ReadersView),
  searchMessages: (q: string) => call(`/api/channels/search${qs({ q })}`, z.array(SearchHit)),

  reviewQueue: () => call('/api/reviews/queue', ReviewQueue),
  openReview: (matterId: string) => call(`/api/matters/${matterId}/reviews`, ReviewView, { method: 'POST' }),
  /** A workflow's list, one object, and an action on it (reviews, interviews, disputes, enforcements). */
  workflows: <T>(base: string, schema: z.ZodType<T>) => call(`/api/${base}`, z.array(schema)),
  workflow: <T>(base: string, id: string, schema: z.ZodType<T>) => call(`/api/${base}/${id}`, schema),
  workflowAct: <T>(base: string, id: string, action: string, input: unknown, schema: z.ZodType<T>) =>
    call(`/api/${base}/${id}/actions/${action}`, schema, { method: 'POST', body: input }),
  /** Creates a workflow object on a matter: an interview, a dispute or an enforcement application. */
  createWorkflow: <T>(
    base: string,
    input: CreateInterviewRequest | OpenDisputeRequest | CreateEnforcementRequest,
    schema: z.ZodType<T>,
    key: string,
  ) => call(`/api/${base}`, schema, { method: 'POST', body: input, headers: idempotent(key) }),
  invitation: async (interviewId: string): Promise<Blob> =>
    (await raw(`/api/interviews/${interviewId}/invitation.ics`)).blob(),

  statistics: (year: number) =>
    call(`/api/statistics${qs({ from: `${year}-01-01`, to: `${year}-12-31` })}`, StatisticsView),
  annualReport: async (year: number, format: 'xlsx' | 'pdf'): Promise<Blob> =>
    (await raw(`/api/reports/annual${qs({ year, format })}`)).blob(),

  users: (agencyId: string) => call(`/api/agencies/${agencyId}/users`, z.array(UserSummary)),
  createUser: (agencyId: string, input: CreateUserRequest, key: string) =>
    call(`/api/agencies/${agencyId}/users`, UserSummary, { method: 'POST', body: input, headers: idempotent(key) }),
  updateUser: (userId: string, input: UpdateUserRequest) =>
    call(`/api/users/${userId}`, UserSummary, { method: 'PATCH', body: input }),
  /** Sets the short-lived cookie the queue dashboard (a page, not an API) accepts. */
  dashboardSession: () => none('/api/auth/dashboard-session', { method: 'POST' }),

  notifications: () => call('/api/notifications', NotificationList),
  markRead: (id: string) => none(`/api/notifications/${id}/read`, { method: 'POST' }),
};

/** Query keys in one place, so socket events invalidate exactly what they change. */
export const keys = {
  referrals: ['referrals'] as const,
  referralBox: (box: 'inbox' | 'outbox', state?: ReferralState) => ['referrals', box, state ?? 'all'] as const,
  referral: (id: string) => ['referral', id] as const,
  matter: (id: string) => ['matter', id] as const,
  myMatters: (q: string) => ['matters', 'mine', q] as const,
  notifications: ['notifications'] as const,
  agencies: ['agencies'] as const,
  channels: ['channels'] as const,
  channel: (id: string) => ['channels', id] as const,
  readers: (messageId: string) => ['readers', messageId] as const,
  workflows: ['workflow'] as const,
  workflow: (kind: string, id?: string) => (id ? ['workflow', kind, id] : ['workflow', kind]) as readonly string[],
  attachments: (matterId: string) => ['matter', matterId, 'attachments'] as const,
  /** everything read from the catalogue: a catalogue.changed event invalidates it all */
  catalogue: ['catalogue'] as const,
  catalogueItem: (code: string) => ['catalogue', 'item', code] as const,
  users: (agencyId: string) => ['users', agencyId] as const,
};

/**
 * Puts an action's answer in the cache. A refetch that started before the action committed (a
 * live event for an earlier change arriving late) would otherwise land after it and show the old
 * state again, so it is cancelled first; a refetch started from here on reads the new state.
 */
export async function putAnswer(qc: QueryClient, key: QueryKey, answer: unknown): Promise<void> {
  await qc.cancelQueries({ queryKey: key, exact: true });
  qc.setQueryData(key, answer);
}
