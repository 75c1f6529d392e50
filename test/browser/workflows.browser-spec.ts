import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { SocketEvent, type AttachmentView, type ChannelView, type DisputeView } from '@xietong/shared';
import { connectSocket } from '../support/app.js';
import { browserSuite, PHONE, screenshot, tick } from '../support/browser.js';
import { referToLongzhou } from '../support/fixtures.js';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

const suite = browserSuite();
const open = (username: string, viewport?: { width: number; height: number }) => suite.open(username, viewport);

describe('the review queue', () => {
  it('a prosecutor opens a review of a flagged matter and records the checklist with a concern pointing at evidence', async () => {
    const matter = await suite.s.matter('zfj.officer', { majorDifficult: true });
    await suite.app.http.upload<AttachmentView>(
      `/api/matters/${matter.id}/attachments`,
      PNG,
      '现场勘验照片.png',
      await suite.s.token('zfj.officer'),
    );

    // The bureau's officers discussed it in the matter's channel.
    const channel = await suite.s.get<ChannelView>('zfj.officer', `/api/matters/${matter.id}/channel`);
    const socket = await connectSocket(suite.app.url, await suite.s.token('zfj.officer'));
    const sent = await socket.emitWithAck(SocketEvent.ChannelSend, {
      channelId: channel.body.id,
      clientId: randomUUID(),
      text: '占道面积现场未丈量，需补充勘验。',
    });
    socket.close();
    expect(sent.ok).toBe(true);

    const page = await open('jcy.prosecutor');
    await page.getByRole('menuitem', { name: '检察监督' }).click();
    const row = page.locator(`[data-matter-number="${matter.number}"]`);
    await row.getByRole('button', { name: '开启审查' }).click();
    await page.locator('[data-testid=workflow][data-state=in_review]').waitFor();

    await page.getByRole('button', { name: '记录审查意见' }).click();
    const dialog = page.getByRole('dialog');
    for (const q of ['factsClear', 'lawCorrect', 'procedureLawful']) {
      await tick(dialog.locator(`[data-question=${q}]`).getByLabel('是', { exact: true }));
    }
    const evidence = dialog.locator('[data-question=evidenceSufficient]');
    await tick(evidence.getByLabel('存在问题'));
    await evidence.getByLabel('证据是否确实充分 意见').fill('现场照片未显示占道范围，无法认定占道面积。');
    // The dropdown animates in: a click can land before the option takes it, so check the pick
    // shows in the field and pick again if not.
    const picked = evidence.getByText('现场勘验照片.png');
    for (let attempt = 0; attempt < 3 && !(await picked.isVisible()); attempt++) {
      await evidence.getByLabel('证据是否确实充分 所指证据').click();
      await page
        .locator('.ant-select-dropdown:visible .ant-select-item-option')
        .filter({ hasText: '现场勘验照片.png' })
        .click();
      await picked.waitFor({ timeout: 3_000 }).catch(() => undefined);
    }
    await picked.waitFor();
    await screenshot(page, 'review-checklist-form');
    await dialog.getByRole('button', { name: '记录审查意见' }).click();

    const recorded = page.locator(
      '[data-testid=checklist-view] [data-question=evidenceSufficient][data-satisfied=false]',
    );
    await recorded.waitFor();
    expect(await recorded.textContent()).toContain('无法认定占道面积');
    expect(await recorded.getByTestId('evidence').textContent()).toContain('现场勘验照片.png');
    expect(await page.locator('[data-testid=checklist-view] [data-satisfied=true]').count()).toBe(3);
    // Beside the timeline and documents, what the agencies said in the matter's channel.
    expect(await page.getByTestId('channel-excerpt').textContent()).toContain('占道面积现场未丈量');
    await screenshot(page, 'review-checklist-recorded');
  });
});

describe('a responsibility dispute', () => {
  it('the guidance office accepts it and the township sees the state change live on its phone', async () => {
    const referral = await referToLongzhou(suite.app.http, await suite.s.token('zfj.officer'));
    const opened = await suite.s.post<DisputeView>('zfj.officer', '/api/disputes', {
      matterId: referral.matter.id,
      otherAgencyId: suite.s.id('XZ-LZ'),
      pattern: 'both_claim',
      stance: 'ours',
      boundaryClause: '划转目录：城市管理领域第 12 项',
      legalBasis: '《行政处罚法》第二十四条',
    });
    expect(opened.status).toBe(201);

    const township = await open('lz.staff', PHONE);
    await township.goto(`/disputes/${opened.body.id}`);
    await township.locator('[data-testid=workflow][data-state=open]').waitFor();
    await township.evaluate('window.stayed = true');

    const arbiter = await open('zdb.arbiter');
    await arbiter.getByRole('menuitem', { name: '职责争议' }).click();
    await arbiter.locator(`[data-matter-number="${referral.matter.number}"]`).getByRole('link').click();
    await arbiter.getByRole('button', { name: '受理' }).click();
    await arbiter.getByRole('dialog').getByRole('button', { name: '受理' }).click();
    await arbiter.locator('[data-testid=workflow][data-state=accepted]').waitFor();

    await township.locator('[data-testid=workflow][data-state=accepted]').waitFor();
    expect(await township.evaluate('window.stayed')).toBe(true);
    // The party may now state its position: the action the table gives it in this state.
    await township.getByRole('button', { name: '陈述意见' }).waitFor();
    await screenshot(township, 'dispute-accepted-phone');
  });
});

describe('the dashboard', () => {
  it('shows the statistics as charts to an agency head and downloads the annual report', async () => {
    const page = await open('zdb.head');
    await page.getByRole('menuitem', { name: '统计分析' }).click();
    await page.locator('[data-testid=dashboard][data-loaded=true]').waitFor();
    expect(await page.locator('[data-testid=dashboard] canvas').count()).toBe(4);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '年度报告（Excel）' }).click(),
    ]);
    const path = await download.path();
    // An XLSX is a zip: it starts with PK.
    expect(readFileSync(path).subarray(0, 2).toString()).toBe('PK');
    await screenshot(page, 'dashboard');
  });
});
