import { describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import type { ReferralView } from '@xietong/shared';
import { browserSuite, choose, PHONE, screenshot, tick } from '../support/browser.js';
import { referToLongzhou, until } from '../support/fixtures.js';

const suite = browserSuite();
const open = (username: string, viewport?: { width: number; height: number }): Promise<Page> =>
  suite.open(username, viewport);

const fieldError = (page: Page, label: string) =>
  page
    .getByRole('dialog')
    .locator('.ant-form-item')
    .filter({ has: page.getByLabel(label, { exact: true }) })
    .locator('.ant-form-item-explain-error');

/** Opens the list's 新建 form and picks the matter. */
async function startForm(page: Page, menu: string, title: string, referral: ReferralView): Promise<void> {
  await page.getByRole('menuitem', { name: menu }).click();
  await page.getByTestId('workflow-list').waitFor();
  await page.getByRole('button', { name: `新建：${title}` }).click();
  await choose(page, '案件', referral.matter.number, referral.matter.number);
  // The next select's options must not be confused with this one's while it animates away.
  await until(
    'the matter dropdown closed',
    async () => (await page.locator('.ant-select-dropdown:visible').count()) === 0,
    5_000,
  );
}

describe('creating a workflow from its list', () => {
  it('a case officer proposes a joint interview; a bad form names the fields and keeps what was typed', async () => {
    const referral = await referToLongzhou(suite.app.http, await suite.s.token('zfj.officer'));
    const page = await open('zfj.officer');
    await startForm(page, '联合约谈', '发起联合约谈', referral);
    const dialog = page.getByRole('dialog');
    // Public security must be invited: preselected.
    await dialog.getByText('龙游县公安局').waitFor();
    await dialog.getByLabel('当事人联系方式').fill('0570-7012345');
    await dialog.getByRole('button', { name: '发起联合约谈' }).click();
    await fieldError(page, '当事人').filter({ hasText: '请填写当事人' }).waitFor();
    await fieldError(page, '约谈事项').filter({ hasText: '请填写约谈事项' }).waitFor();
    expect(await dialog.getByLabel('当事人联系方式').inputValue()).toBe('0570-7012345');
    await screenshot(page, 'interview-create-invalid');

    await dialog.getByLabel('当事人', { exact: true }).fill('龙游县某某餐饮有限公司');
    await dialog.getByLabel('约谈事项').fill('拒不配合调查，约谈说明占道经营情况');
    await dialog.getByRole('button', { name: '发起联合约谈' }).click();
    await page.getByText(`已创建：${referral.matter.number}`).waitFor();
    await page.locator(`[data-testid=workflow-list] [data-matter-number="${referral.matter.number}"]`).waitFor();
    await screenshot(page, 'interview-created');
  });

  it('a case officer raises a responsibility dispute and the township sees it in its list live, on its phone', async () => {
    const referral = await referToLongzhou(suite.app.http, await suite.s.token('zfj.officer'));
    const township = await open('lz.staff', PHONE);
    await township.goto('/disputes');
    await township.getByTestId('workflow-list').waitFor();

    const page = await open('zfj.officer');
    await startForm(page, '职责争议', '提出职责争议', referral);
    await choose(page, '争议另一方单位', '龙洲', '龙洲街道');
    await tick(page.getByRole('dialog').getByLabel('争着管'));
    await choose(page, '立场', null, '属本单位');
    await page.getByRole('dialog').getByLabel('所依据的职责边界条款').fill('划转目录：城市管理领域第 12 项');
    await page.getByRole('dialog').getByRole('button', { name: '提出职责争议' }).click();
    // A position needs its legal basis (the dispute lifecycle's rule, checked by the server): named under
    // the field, and the clause typed stays.
    await fieldError(page, '法律依据').waitFor();
    expect(await page.getByRole('dialog').getByLabel('所依据的职责边界条款').inputValue()).toBe(
      '划转目录：城市管理领域第 12 项',
    );
    await screenshot(page, 'dispute-create-server-error');
    await page.getByRole('dialog').getByLabel('法律依据').fill('《行政处罚法》第二十四条');
    await page.getByRole('dialog').getByRole('button', { name: '提出职责争议' }).click();
    const row = `[data-testid=workflow-list] [data-matter-number="${referral.matter.number}"]`;
    await page.locator(row).waitFor();
    await township.locator(row).waitFor();
    await screenshot(township, 'dispute-created-seen-phone');
  });

  it('a case officer drafts a court enforcement application and opens it from the list', async () => {
    const referral = await referToLongzhou(suite.app.http, await suite.s.token('zfj.officer'));
    const page = await open('zfj.officer');
    await startForm(page, '强制执行', '申请法院强制执行', referral);
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('行政决定书文号').fill('龙综执罚决字〔2026〕第 118 号');
    await dialog.getByLabel('应履行的义务').fill('缴纳罚款并拆除违法搭建的雨棚');
    await dialog.getByLabel('金额（元）').fill('5000');
    await dialog.getByRole('button', { name: '申请法院强制执行' }).click();
    await page.getByText(`已创建：${referral.matter.number}`).waitFor();
    const row = page.locator(`[data-testid=workflow-list] [data-matter-number="${referral.matter.number}"]`);
    await row.waitFor();
    await row.getByRole('link').click();
    await page.locator('[data-testid=workflow][data-kind=enforcement]').waitFor();
    expect(await page.getByTestId('workflow').textContent()).toContain('龙综执罚决字〔2026〕第 118 号');
    await screenshot(page, 'enforcement-created');
  });

  it('the create button is only there for roles that may start the workflow', async () => {
    const clerk = await open('fy.clerk');
    await clerk.goto('/enforcements');
    await clerk.getByTestId('workflow-list').waitFor();
    expect(await clerk.getByRole('button', { name: /^新建/ }).count()).toBe(0);
  });
});
