import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MatterView, ReferralView } from '@xietong/shared';
import { bootApp, type TestApp } from '../support/app.js';
import { delegatedItemCode } from '../support/fixtures.js';

/**
 * What one referral costs the database, in SQL statements (BEGIN and COMMIT included), read from
 * the server's own `http_request_db_statements` metric. A count, not a time: it does not depend on
 * how busy the machine is, and it catches a change that quietly adds round trips to the hot path
 * (see BENCHMARKS.md). The figures are the ones reached; lower them when the code gets cheaper.
 */
const BUDGET = {
  /**
   * authenticate, idempotency claim and answer, the matter read (with its agencies and its item's
   * boundary versions, for routing) and one statement writing everything the create makes:
   * referral, timeline, clocks, outbox rows, the agencies joining and the audit entries. Both
   * the read and the write are shared with other creates arriving at the same moment.
   */
  create: 5,
  /** authenticate, the sign transaction (lock, clocks, timeline, outbox) and its audit entries' insert */
  sign: 10,
};

let app: TestApp;
let officer: string;
let staff: string;

beforeAll(async () => {
  app = await bootApp();
  officer = (await app.http.login('zfj.officer')).accessToken;
  staff = (await app.http.login('lz.staff')).accessToken;
});
afterAll(async () => {
  await app?.close();
});

/** Sum and count of the statements histogram for one route and status, from /metrics. */
async function statements(method: string, route: string, status: number): Promise<{ sum: number; count: number }> {
  const text = (await app.http.get<string>('/metrics')).body;
  const read = (suffix: string): number => {
    for (const line of text.split('\n')) {
      const m = /^http_request_db_statements_(sum|count)\{([^}]*)\} (\S+)$/.exec(line);
      if (!m || m[1] !== suffix) continue;
      const labels = new Map([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
      if (labels.get('method') === method && labels.get('route') === route && labels.get('status') === String(status))
        return Number(m[3]);
    }
    return 0;
  };
  return { sum: read('sum'), count: read('count') };
}

/** Runs one request and returns what it cost, in statements. */
async function cost<T>(
  method: string,
  route: string,
  status: number,
  run: () => Promise<T>,
): Promise<{ result: T; statements: number }> {
  const before = await statements(method, route, status);
  const result = await run();
  const after = await statements(method, route, status);
  expect(after.count - before.count).toBe(1);
  return { result, statements: after.sum - before.sum };
}

async function newMatter(): Promise<string> {
  const res = await app.http.post<MatterView>(
    '/api/matters',
    {
      itemCode: await delegatedItemCode(app.http, officer),
      township: 'XZ-LZ',
      place: '龙洲街道荣昌大道88号',
      party: { kind: 'person', name: '李四', idNumber: '330825198505051234' },
      procedure: 'general',
      summary: '当事人占用人行道堆放建筑材料，经责令仍未清理。',
    },
    officer,
  );
  expect(res.status).toBe(201);
  return res.body.id;
}

describe('SQL statements per referral request', () => {
  it(`a submitted POST /api/referrals runs at most ${BUDGET.create} statements, and its answer is complete`, async () => {
    // Warm the caches a running server holds (agency directory, calendar, clock settings) so the
    // figure is the steady one, as in production.
    const warm = await app.http.post<ReferralView>(
      '/api/referrals',
      { matterId: await newMatter(), kind: 'jurisdiction_transfer', submit: true },
      officer,
    );
    expect(warm.status).toBe(201);

    const matterId = await newMatter();
    const { result: res, statements: n } = await cost('POST', '/api/referrals', 201, () =>
      app.http.request<ReferralView>('POST', '/api/referrals', {
        token: officer,
        body: { matterId, kind: 'jurisdiction_transfer', submit: true },
        headers: { 'Idempotency-Key': `cost-${matterId}` },
      }),
    );
    expect(res.status).toBe(201);
    expect(res.body.state).toBe('delivered');
    expect(res.body.to.code).toBe('XZ-LZ');
    expect(res.body.clocks.map((c) => c.code).sort()).toEqual(['township_decide', 'township_sign']);
    expect(res.body.allowedActions).toContain('withdraw');
    // The answer equals what a later read returns.
    const read = await app.http.get<ReferralView>(`/api/referrals/${res.body.id}`, officer);
    expect(res.body).toEqual(read.body);
    expect(n).toBeLessThanOrEqual(BUDGET.create);
  });

  it(`signing for a referral runs at most ${BUDGET.sign} statements`, async () => {
    const created = await app.http.post<ReferralView>(
      '/api/referrals',
      { matterId: await newMatter(), kind: 'jurisdiction_transfer', submit: true },
      officer,
    );
    const { result: res, statements: n } = await cost('POST', '/api/referrals/:referralId/actions/:action', 200, () =>
      app.http.post<ReferralView>(`/api/referrals/${created.body.id}/actions/sign`, {}, staff),
    );
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('signed');
    expect(res.body.clocks.find((c) => c.code === 'township_sign')?.state).toBe('met');
    const read = await app.http.get<ReferralView>(`/api/referrals/${res.body.id}`, staff);
    expect(res.body).toEqual(read.body);
    expect(n).toBeLessThanOrEqual(BUDGET.sign);
  });
});
