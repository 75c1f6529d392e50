import { ErrorBody, LoginRequest, TokenPair, type Me } from '@xietong/shared';

/** The typed API client: every payload is checked against the shared schemas. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.message);
  }
}

async function call<T>(path: string, init: RequestInit, parse: (v: unknown) => T): Promise<T> {
  const res = await fetch(path, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
  const json: unknown = res.status === 204 ? undefined : await res.json();
  if (!res.ok) {
    const parsed = ErrorBody.safeParse(json);
    throw new ApiError(
      res.status,
      parsed.success ? parsed.data : { statusCode: res.status, error: 'Error', message: '请求失败' },
    );
  }
  return parse(json);
}

export const api = {
  login: (input: LoginRequest) =>
    call('/api/auth/login', { method: 'POST', body: JSON.stringify(LoginRequest.parse(input)) }, (v) =>
      TokenPair.parse(v),
    ),
  logout: (token: string) =>
    call('/api/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${token}` } }, () => undefined),
  me: (token: string) => call('/api/me', { headers: { authorization: `Bearer ${token}` } }, (v) => v as Me),
};
