import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MatterView, NotificationList, ReferralView, WebhookDeliveryView } from '@xietong/shared';
import { bootApp, type TestApp } from '../support/app.js';
import { delegatedItemCode, until } from '../support/fixtures.js';
import { webhookReceiver as receiver } from '../support/webhooks.js';

let app: TestApp;
const closers: (() => Promise<void>)[] = [];
beforeAll(async () => {
  app = await bootApp({ env: { WEBHOOK_ATTEMPTS: '3', WEBHOOK_RETRY_BASE_MS: '50' } });
});
afterAll(async () => {
  for (const c of closers) await c();
  await app?.close();
});

async function refer(): Promise<ReferralView> {
  const officer = (await app.http.login('zfj.officer')).accessToken;
  const matter = await app.http.post<MatterView>(
    '/api/matters',
    {
      itemCode: await delegatedItemCode(app.http, officer),
      township: 'XZ-LZ',
      place: '龙洲街道文化路',
      party: { kind: 'person', name: '赵六' },
      procedure: 'simple',
      summary: '流动摊贩占道。',
    },
    officer,
  );
  return (
    await app.http.post<ReferralView>(
      '/api/referrals',
      { matterId: matter.body.id, kind: 'jurisdiction_transfer' },
      officer,
    )
  ).body;
}

describe('in-app notifications', () => {
  it('tell the receiving agency’s users of a new referral, once, and can be marked read', async () => {
    const staff = (await app.http.login('lz.staff')).accessToken;
    const before = (await app.http.get<NotificationList>('/api/notifications', staff)).body.unread;
    const referral = await refer();
    await until(
      'a notification',
      async () => (await app.http.get<NotificationList>('/api/notifications', staff)).body.unread > before,
      10_000,
    );
    const list = (await app.http.get<NotificationList>('/api/notifications?unread=true', staff)).body;
    const mine = list.notifications.filter((n) => n.link.referralId === referral.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      kind: 'referral.delivered',
      title: `新移送：${referral.matter.number}`,
      read: false,
    });
    expect((await app.http.post(`/api/notifications/${mine[0]?.id}/read`, undefined, staff)).status).toBe(204);
    const after = (await app.http.get<NotificationList>('/api/notifications', staff)).body;
    expect(after.unread).toBe(list.unread - 1);
    // Someone else's notification is not one's own to read.
    const other = (await app.http.login('dh.staff')).accessToken;
    expect((await app.http.post(`/api/notifications/${mine[0]?.id}/read`, undefined, other)).status).toBe(404);
  });
});

describe('outbound webhooks', () => {
  it('are signed with the agency’s secret, retried after failures, and delivered once', async () => {
    const hook = await receiver([500, 503]);
    closers.push(() => hook.close());
    const admin = (await app.http.login('lz.admin')).accessToken;
    const created = await app.http.post<{ id: string; secret: string }>(
      '/api/webhooks',
      { url: hook.url, events: ['referral.delivered'] },
      admin,
    );
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify((await app.http.get('/api/webhooks', admin)).body)).not.toContain(created.body.secret);

    const referral = await refer();
    await until('delivered on the third attempt', () => hook.got.length >= 3, 15_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(hook.got).toHaveLength(3);
    const last = hook.got[2];
    const payload = JSON.parse(last?.body ?? '{}') as { event: string; data: { referralId: string } };
    expect(payload).toMatchObject({ event: 'referral.delivered', data: { referralId: referral.id } });
    const expected = createHmac('sha256', created.body.secret)
      .update(`${String(last?.headers['x-xietong-timestamp'])}.${last?.body}`)
      .digest('hex');
    expect(last?.headers['x-xietong-signature']).toBe(`sha256=${expected}`);
    expect(new Set(hook.got.map((g) => g.headers['x-xietong-delivery'])).size).toBe(1);

    const deliveries = await app.http.get<WebhookDeliveryView[]>(`/api/webhooks/${created.body.id}/deliveries`, admin);
    expect(deliveries.body).toEqual([
      expect.objectContaining({ status: 'delivered', attempts: 3, lastStatus: 200, lastError: null }),
    ]);
  });

  it('are dead after the last attempt, and kept for inspection', async () => {
    const hook = await receiver([500, 500, 500, 500]);
    closers.push(() => hook.close());
    const admin = (await app.http.login('zfj.admin')).accessToken;
    const created = await app.http.post<{ id: string }>(
      '/api/webhooks',
      { url: hook.url, events: ['referral.delivered', 'referral.changed'] },
      admin,
    );
    await refer();
    await until('three attempts', () => hook.got.length >= 3, 15_000);
    let rows: WebhookDeliveryView[] = [];
    await until('marked dead', async () => {
      rows = (await app.http.get<WebhookDeliveryView[]>(`/api/webhooks/${created.body.id}/deliveries`, admin)).body;
      return rows.some((d) => d.status === 'dead');
    });
    expect(rows.find((d) => d.status === 'dead')).toMatchObject({
      attempts: 3,
      lastStatus: 500,
      lastError: 'HTTP 500',
    });
  });

  it('belong to one agency: other agencies’ admins cannot see them, and bad input names the field', async () => {
    const lz = (await app.http.login('lz.admin')).accessToken;
    const [own] = (await app.http.get<{ id: string }[]>('/api/webhooks', lz)).body;
    const zfj = (await app.http.login('zfj.admin')).accessToken;
    expect((await app.http.get(`/api/webhooks/${own?.id}/deliveries`, zfj)).status).toBe(404);
    const staff = (await app.http.login('lz.staff')).accessToken;
    expect((await app.http.get('/api/webhooks', staff)).status).toBe(403);
    const bad = await app.http.post('/api/webhooks', { url: 'ftp://x', events: [] }, lz);
    expect(bad.status).toBe(400);
    expect((bad.body.details as { field: string }[]).map((d) => d.field).sort()).toEqual(['events', 'url']);
  });
});
