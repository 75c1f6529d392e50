import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bootApp, type TestApp } from '../support/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await bootApp();
});
afterAll(async () => {
  await app?.close();
});

describe('one error shape', () => {
  it('names every bad field of an invalid body', async () => {
    const res = await app.http.post('/api/auth/login', { username: '', password: 42 });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(res.body.details).toEqual([
      { field: 'username', message: '请输入用户名' },
      { field: 'password', message: '请输入密码' },
    ]);
  });

  it('answers malformed JSON with 400, not 500', async () => {
    const res = await app.http.request('POST', '/api/auth/login', { raw: '{"username": "x", ' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringContaining('JSON') });
  });

  it('answers an unknown /api route with 404 in the same shape', async () => {
    for (const [method, path] of [
      ['GET', '/api/no-such-thing'],
      ['POST', '/api/agencies/whatever/else'],
      ['DELETE', '/api/me'],
    ] as const) {
      const res = await app.http.request(method, path);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: `No route ${method} ${path}`,
        requestId: expect.any(String),
      });
    }
  });

  it('rejects a malformed id parameter as a bad request naming the problem', async () => {
    const { accessToken } = await app.http.login('sysadmin');
    const res = await app.http.get('/api/agencies/not-a-uuid/users', accessToken);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      details: [{ field: 'agencyId', message: expect.stringContaining('uuid') }],
    });
  });

  it('never leaks stacks, SQL or internals', async () => {
    const { accessToken } = await app.http.login('sysadmin');
    const probes = [
      await app.http.post('/api/auth/login', { username: "' or 1=1 --", password: "'; drop table app_user; --" }),
      await app.http.post('/api/auth/refresh', { refreshToken: 'x'.repeat(600) }),
      await app.http.patch(`/api/users/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`, { roles: [] }, accessToken),
    ];
    for (const res of probes) {
      expect(res.status).toBeLessThan(500);
      const text = JSON.stringify(res.body);
      expect(text).not.toMatch(/ at .*\.js:\d+|select |insert |node_modules|stack/i);
    }
  });

  it('carries a request id on every response', async () => {
    const res = await app.http.request('GET', '/api/health', { headers: { 'x-request-id': 'trace-123' } });
    expect(res.headers.get('x-request-id')).toBe('trace-123');
  });
});

describe('the web app', () => {
  it('is served at / and for its own paths, so deep links survive a reload', async () => {
    for (const path of ['/', '/inbox', '/channels/123']) {
      const res = await app.http.get<string>(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.body).toContain('县域多部门执法协同平台');
    }
  });
});

describe('health, metrics, API docs', () => {
  it('reports database, Redis and queues', async () => {
    const res = await app.http.get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      database: { status: 'up' },
      redis: { status: 'up' },
      queues: { status: 'up', backend: 'redis' },
    });
  });

  it('exposes Prometheus metrics: HTTP latency, queue depths, sockets', async () => {
    await app.http.get('/api/health');
    const res = await app.http.get<string>('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(res.body).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/api\/health"/);
    expect(res.body).toMatch(/queue_jobs\{queue="maintenance",state="waiting"\}/);
    expect(res.body).toMatch(/socketio_connected_clients \d+/);
  });

  it('serves an OpenAPI document generated from the shared schemas', async () => {
    const res = await app.http.get<{
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: {
              content: Record<string, { schema: { properties: Record<string, unknown>; required: string[] } }>;
            };
          }
        >
      >;
    }>('/api/docs-json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/auth/login',
      '/api/auth/refresh',
      '/api/auth/logout',
      '/api/me',
      '/api/agencies',
      '/api/agencies/{agencyId}/users',
      '/api/users/{userId}',
      '/api/catalogue/items',
      '/api/catalogue/items/{code}/responsibility',
      '/api/catalogue/items/{code}/versions',
      '/api/catalogue/import',
      '/api/catalogue/export',
      '/api/catalogue/blind-spots',
      '/api/health',
    ]) {
      expect(Object.keys(res.body.paths)).toContain(path);
    }
    const login = res.body.paths['/api/auth/login']?.post?.requestBody?.content['application/json']?.schema;
    expect(login?.required).toEqual(['username', 'password']);
    expect(JSON.stringify(res.body)).not.toContain('#/definitions');
    const ui = await app.http.get<string>('/api/docs');
    expect(ui.status).toBe(200);
    expect(ui.body).toContain('swagger');
  });
});

describe('queue dashboard', () => {
  it('is closed without the dashboard cookie', async () => {
    const res = await app.http.get('/admin/queues');
    expect(res.status).toBe(401);
  });

  it('opens for a system admin through a short-lived HttpOnly cookie', async () => {
    const { accessToken } = await app.http.login('sysadmin');
    const grant = await app.http.post('/api/auth/dashboard-session', undefined, accessToken);
    expect(grant.status).toBe(204);
    const cookie = grant.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/xt_dashboard=[^;]+/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Path=\/admin/);
    const page = await app.http.request('GET', '/admin/queues', { headers: { cookie: cookie.split(';')[0] ?? '' } });
    expect(page.status).toBe(200);
    const api = await app.http.request<{ queues: { name: string }[] }>('GET', '/admin/queues/api/queues', {
      headers: { cookie: cookie.split(';')[0] ?? '' },
    });
    expect(api.status).toBe(200);
    expect(api.body.queues.map((q) => q.name)).toContain('maintenance');
  });

  it('is refused to everyone else, and a bearer token is not a dashboard cookie', async () => {
    const { accessToken } = await app.http.login('zfj.admin');
    expect((await app.http.post('/api/auth/dashboard-session', undefined, accessToken)).status).toBe(403);
    const sys = await app.http.login('sysadmin');
    const res = await app.http.request('GET', '/admin/queues', {
      headers: { cookie: `xt_dashboard=${sys.accessToken}` },
    });
    expect(res.status).toBe(401);
  });
});
