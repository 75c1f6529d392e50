import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { ItemDetail, MatterView, ReferralView } from '@xietong/shared';
import { browserSuite, choose, PHONE, screenshot } from '../support/browser.js';
import { delegatedItemCode } from '../support/fixtures.js';

/** A 1×1 PNG: attachments are typed by their bytes. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

const suite = browserSuite();
const open = (username: string, viewport?: { width: number; height: number }) => suite.open(username, viewport);

describe('a referral from the bureau to a township, in two browsers', () => {
  it('is sent with its routing shown, arrives live on a phone, is signed and returned as not ours, and the bureau sees it live', async () => {
    const token = (await suite.app.http.login('zfj.officer')).accessToken;
    const code = await delegatedItemCode(suite.app.http, token, 'XZ-LZ');
    const item = (await suite.app.http.get<ItemDetail>(`/api/catalogue/items/${code}`, token)).body;

    // The township's inbox is open on a phone before anything is sent.
    const staff = await open('lz.staff', PHONE);
    await staff.locator('[data-testid=inbox-list][data-loaded=true]').waitFor({ state: 'attached' });
    await staff.evaluate('window.stayed = true');

    const officer = await open('zfj.officer');
    await officer.getByRole('menuitem', { name: '发起移送' }).click();
    // The item by its pinyin initials, the township by name.
    await choose(officer, '执法事项', item.pinyinInitials, item.nameZh);
    await choose(officer, '乡镇（街道）', '龙洲', '龙洲街道');
    await officer.getByLabel('地点').fill('龙洲街道荣昌大道与龙翔路交叉口');
    await officer.getByLabel('当事人名称').fill('张三');
    await officer.getByLabel('案情摘要').fill('当事人在人行道上摆摊设点，经劝导拒不改正。');

    // Who will receive it, and why, before sending.
    const preview = officer.getByTestId('route-preview');
    await preview.getByTestId('route-receiver').waitFor();
    expect(await preview.getByTestId('route-receiver').textContent()).toBe('龙洲街道');
    await preview.getByTestId('route-why').waitFor();
    expect(await preview.textContent()).toContain('该事项已赋权该乡镇');
    await screenshot(officer, 'send-with-routing');

    await officer.getByRole('button', { name: '确认移送' }).click();
    const sent = officer.locator('[data-testid=referral][data-state=delivered]');
    await sent.waitFor();
    const number = (await officer.getByRole('heading', { level: 4 }).textContent()) ?? '';
    expect(number).toMatch(/^协-\d{4}-\d{6}$/);
    // Evidence goes with it.
    await officer
      .locator('input[type=file]')
      .setInputFiles({ name: '现场照片.png', mimeType: 'image/png', buffer: PNG });
    await officer.locator('[data-attachment="现场照片.png"]').waitFor();

    // It arrives in the township's inbox without a reload, with its sign clock counting down.
    const card = staff.locator(`[data-matter-number="${number}"]`);
    await card.waitFor();
    expect(await staff.evaluate('window.stayed')).toBe(true);
    expect(await card.locator('[data-urgency]').count()).toBeGreaterThan(0);
    expect(await card.locator('[data-state]').getAttribute('data-state')).toBe('delivered');

    // At phone width nothing sticks out sideways.
    const overflow = await staff.evaluate<{ scroll: number; client: number }>(
      '({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })',
    );
    expect(overflow.scroll).toBeLessThanOrEqual(overflow.client);
    await screenshot(staff, 'inbox-375');

    await card.getByRole('link').click();
    await staff.locator('[data-testid=referral][data-state=delivered]').waitFor();
    await staff.getByRole('button', { name: '签收', exact: true }).click();
    await staff.getByRole('dialog').getByRole('button', { name: '签收' }).click();
    await staff.locator('[data-testid=referral][data-state=signed]').waitFor();

    // The evidence downloads byte for byte.
    const [download] = await Promise.all([
      staff.waitForEvent('download'),
      staff.locator('[data-attachment="现场照片.png"]').getByRole('button', { name: '下载' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('现场照片.png');
    expect(readFileSync(await download.path())).toEqual(PNG);

    // More time on the decision clock, asked for before it runs out.
    const decideClock = staff.locator('[data-clock=township_decide]');
    await decideClock.getByRole('button', { name: '申请延期' }).click();
    const extension = staff.getByRole('dialog');
    await extension.getByLabel('延长期限（按该期限的计算单位）').fill('2');
    await extension.getByLabel('延期理由').fill('需向城区中队核实巡查范围');
    await extension.getByRole('button', { name: '确定' }).click();
    await decideClock.getByText('延期申请待批', { exact: false }).waitFor();

    // The bureau's open referral follows, live.
    await officer.locator('[data-testid=referral][data-state=signed]').waitFor();

    await staff.getByRole('button', { name: '退回', exact: true }).click();
    const dialog = staff.getByRole('dialog');
    await choose(staff, '退回理由', null, '不属本单位管辖');
    // Not ours must cite the boundary clause: the form asks for it and offers the matter's own.
    await dialog.getByRole('button', { name: '引用本案适用的职责边界' }).click();
    expect(await dialog.getByLabel('所依据的职责边界条款').inputValue()).toContain(item.nameZh);
    await dialog.getByLabel('理由说明').fill('该路段属城区中队巡查范围，非本街道赋权区域。');
    await screenshot(staff, 'return-not-ours-375');
    await dialog.getByRole('button', { name: '退回' }).click();
    await staff.locator('[data-testid=referral][data-state=returned]').waitFor();
    // The reason is on the matter's timeline.
    await staff.getByTestId('timeline').getByText('该路段属城区中队巡查范围', { exact: false }).waitFor();

    await officer.locator('[data-testid=referral][data-state=returned]').waitFor();
    await screenshot(officer, 'returned-seen-by-bureau');

    // The officer's sent referrals show it under its new state.
    await officer.getByRole('menuitem', { name: '已发移送' }).click();
    const sentCard = officer.getByTestId('outbox-list').locator(`[data-matter-number="${number}"]`);
    expect(await sentCard.locator('[data-state]').getAttribute('data-state')).toBe('returned');

    // The township user was notified of the arrival; the notification leads to the referral.
    await staff.getByRole('button', { name: '消息通知' }).click();
    const notice = staff.locator('[data-notification][data-read=false]').filter({ hasText: number });
    await notice.getByRole('button', { name: '查看' }).click();
    await staff.locator('[data-testid=referral][data-state=returned]').waitFor();
  }, 120_000); // the longest story here, on a shared machine
});

describe('a lifecycle action with required fields', () => {
  it('is checked against the shared table before it is sent, then concludes with an outcome for its kind', async () => {
    const officerToken = (await suite.app.http.login('zfj.officer')).accessToken;
    const staffToken = (await suite.app.http.login('lz.staff')).accessToken;
    const matter = await suite.app.http.post<MatterView>(
      '/api/matters',
      {
        itemCode: await delegatedItemCode(suite.app.http, officerToken, 'XZ-LZ'),
        township: 'XZ-LZ',
        place: '龙洲街道太平路 6 号',
        party: { kind: 'person', name: '李四' },
        procedure: 'simple',
        summary: '店外占道经营，现场责令改正后仍未整改。',
      },
      officerToken,
    );
    const referral = await suite.app.http.post<ReferralView>(
      '/api/referrals',
      { matterId: matter.body.id, kind: 'jurisdiction_transfer' },
      officerToken,
    );
    for (const action of ['sign', 'accept', 'start']) {
      const res = await suite.app.http.post(`/api/referrals/${referral.body.id}/actions/${action}`, {}, staffToken);
      expect(res.status).toBe(200);
    }

    const page = await open('lz.staff');
    await page.goto(`/referrals/${referral.body.id}`);
    await page.locator('[data-testid=referral][data-state=in_progress]').waitFor();
    const sent: string[] = [];
    page.on('request', (req) => {
      if (req.method() === 'POST' && req.url().includes('/actions/')) sent.push(req.url());
    });
    await page.getByRole('button', { name: '办结', exact: true }).click();
    const dialog = page.getByRole('dialog');
    // Sent empty, the table's own messages appear and nothing leaves.
    await dialog.getByRole('button', { name: '办结' }).click();
    await dialog.getByText('须选择办理结果', { exact: false }).waitFor();
    await dialog.getByText('须填写办理结果说明', { exact: false }).waitFor();
    expect(sent).toEqual([]);

    await choose(page, '办理结果', null, '作出处罚决定');
    await dialog.getByLabel('结果说明（如决定书文号）').fill('龙洲综执罚决字〔2026〕第 12 号');
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/actions/conclude')),
      dialog.getByRole('button', { name: '办结' }).click(),
    ]);
    // A refusal shows its body here rather than as a timeout further down.
    expect({ status: answer.status(), refusal: answer.ok() ? null : await answer.text() }).toEqual({
      status: 200,
      refusal: null,
    });
    await page.locator('[data-testid=referral][data-state=concluded]').waitFor();
    expect(sent).toHaveLength(1);
    await page.getByTestId('timeline').getByText('龙洲综执罚决字〔2026〕第 12 号').waitFor();
    await screenshot(page, 'concluded');
  });
});

describe('the connection', () => {
  it('shows the cut and the return, and catches up on what changed meanwhile without a reload', async () => {
    const officerToken = (await suite.app.http.login('zfj.officer')).accessToken;
    const staffToken = (await suite.app.http.login('lz.staff')).accessToken;
    const page = await open('zfj.officer');
    await page.getByRole('menuitem', { name: '已发移送' }).click();
    await page.locator('[data-testid=outbox-list][data-loaded=true]').waitFor({ state: 'attached' });

    const matter = await suite.app.http.post<MatterView>(
      '/api/matters',
      {
        itemCode: await delegatedItemCode(suite.app.http, officerToken, 'XZ-LZ'),
        township: 'XZ-LZ',
        place: '龙洲街道兴龙路 18 号',
        party: { kind: 'company', name: '龙游县某建材有限公司' },
        procedure: 'general',
        summary: '门店外占道堆放建材，影响行人通行。',
      },
      officerToken,
    );
    const referral = await suite.app.http.post<ReferralView>(
      '/api/referrals',
      { matterId: matter.body.id, kind: 'jurisdiction_transfer' },
      officerToken,
    );
    const card = page.locator(`[data-referral="${referral.body.id}"]`);
    await card.locator('[data-state=delivered]').waitFor();

    await page.context().setOffline(true);
    await page.locator('[data-connection=reconnecting]').waitFor();
    await screenshot(page, 'connection-lost');
    // While this browser is away, the township signs for it.
    const signed = await suite.app.http.post(`/api/referrals/${referral.body.id}/actions/sign`, {}, staffToken);
    expect(signed.status).toBe(200);

    await page.context().setOffline(false);
    await page.locator('[data-connection=back]').waitFor();
    await card.locator('[data-state=signed]').waitFor();
    await screenshot(page, 'connection-back');
  });
});

describe('the shell', () => {
  it('switches the menu to English', async () => {
    const page = await open('zfj.officer');
    const menu = page.getByRole('navigation', { name: 'main' });
    expect(await menu.textContent()).toContain('收件箱');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('menuitem', { name: 'Referral inbox' }).waitFor();
    expect(await menu.textContent()).toContain('New referral');
    expect(await menu.textContent()).not.toContain('收件箱');
    await screenshot(page, 'shell-english');
  });

  it('refreshes a dead access token silently, and signing out revokes the session', async () => {
    const page = await open('lz.staff');
    const stored = () =>
      page.evaluate(
        () =>
          JSON.parse(localStorage.getItem('xt.session') ?? 'null') as {
            refreshToken: string;
            accessToken: string;
          } | null,
      );
    const before = await stored();
    // The access token dies; the next request gets a 401, refreshes once, and the page still loads.
    await page.evaluate(() => {
      const s = JSON.parse(localStorage.getItem('xt.session') ?? '{}') as Record<string, unknown>;
      localStorage.setItem(
        'xt.session',
        JSON.stringify({ ...s, accessToken: 'dead', expiresAt: Date.now() + 3600_000 }),
      );
    });
    await page.reload();
    await page.locator('[data-testid=inbox-list][data-loaded=true]').waitFor({ state: 'attached' });
    const after = await stored();
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    expect(after?.accessToken).not.toBe('dead');

    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByRole('button', { name: '登录', exact: true }).waitFor();
    expect(await stored()).toBeNull();
    const reuse = await suite.app.http.post('/api/auth/refresh', { refreshToken: after?.refreshToken });
    expect(reuse.status).toBe(401);
  });
});
