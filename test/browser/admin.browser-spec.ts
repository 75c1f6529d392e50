import { describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { browserSuite, PHONE, screenshot, tick } from '../support/browser.js';

const suite = browserSuite();
const fresh = (viewport?: { width: number; height: number }) => suite.fresh(viewport);
const open = (username: string, viewport?: { width: number; height: number }) => suite.open(username, viewport);

/** The error antd shows under one form field (its `aria-describedby` help text). */
const fieldError = (page: Page, label: string) =>
  page
    .getByRole('dialog')
    .locator('.ant-form-item')
    .filter({ has: page.getByLabel(label, { exact: true }) })
    .locator('.ant-form-item-explain-error');

describe('the admin screen', () => {
  it('an agency admin creates a user in their agency, who can then sign in; a bad form keeps what was typed', async () => {
    const admin = await open('lz.admin');
    await admin.getByRole('menuitem', { name: '系统管理' }).click();
    // An agency admin sees their own agency only, and its users.
    const agencies = admin.getByTestId('admin-agencies');
    await agencies.locator('[data-agency="XZ-LZ"]').waitFor();
    expect(await agencies.locator('tbody tr[data-agency]').count()).toBe(1);
    const users = admin.locator('[data-testid=admin-users][data-agency="XZ-LZ"]');
    await users.locator('[data-username="lz.staff"]').waitFor();
    // No queue dashboard for an agency admin: that is the system admin's.
    expect(await admin.getByRole('button', { name: '打开队列面板' }).count()).toBe(0);

    await users.getByRole('button', { name: '新建用户' }).click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByLabel('用户名').fill('Bad Name');
    await dialog.getByLabel('姓名').fill('邱晓梅');
    await dialog.getByLabel('初始密码').fill('short');
    await dialog.getByRole('button', { name: '新建用户' }).click();
    // Checked against the shared schema before anything is sent: each field says what is wrong.
    await fieldError(admin, '用户名').filter({ hasText: '小写字母' }).waitFor();
    await fieldError(admin, '初始密码').filter({ hasText: '至少 10 位' }).waitFor();
    await fieldError(admin, '角色').filter({ hasText: '至少指定一个角色' }).waitFor();
    expect(await dialog.getByLabel('姓名').inputValue()).toBe('邱晓梅');
    await screenshot(admin, 'admin-create-user-invalid');

    // A username that is taken: the server's refusal lands under the field, the rest stays typed.
    await dialog.getByLabel('用户名').fill('lz.staff');
    await dialog.getByLabel('初始密码').fill('Longzhou@2026');
    await tick(dialog.getByLabel('乡镇工作人员'));
    await dialog.getByRole('button', { name: '新建用户' }).click();
    await fieldError(admin, '用户名').filter({ hasText: '已被使用' }).waitFor();
    expect(await dialog.getByLabel('姓名').inputValue()).toBe('邱晓梅');
    expect(await dialog.getByLabel('乡镇工作人员').isChecked()).toBe(true);

    await dialog.getByLabel('用户名').fill('lz.qiu');
    await dialog.getByRole('button', { name: '新建用户' }).click();
    await admin.getByText('已创建用户 lz.qiu').waitFor();
    const row = users.locator('[data-username="lz.qiu"][data-active=true]');
    await row.waitFor();
    expect(await row.textContent()).toContain('乡镇工作人员');
    await screenshot(admin, 'admin-user-created');

    // The new user signs in with the password the admin gave, at phone width, and lands in the inbox.
    const newcomer = await fresh(PHONE);
    await newcomer.goto('/');
    await newcomer.getByLabel('用户名').fill('lz.qiu');
    await newcomer.getByLabel('密码').fill('Longzhou@2026');
    await newcomer.getByRole('button', { name: '登录', exact: true }).click();
    await newcomer.getByTestId('who').filter({ hasText: '邱晓梅 · 龙洲街道' }).waitFor();
    await newcomer.waitForURL('**/inbox');
    await screenshot(newcomer, 'admin-new-user-signed-in-phone');

    // Disabled, the user is signed out and cannot sign in again.
    await row.getByRole('button', { name: '停用 lz.qiu' }).click();
    await admin.getByRole('tooltip').getByRole('button', { name: '停用' }).click();
    await users.locator('[data-username="lz.qiu"][data-active=false]').waitFor();
    await newcomer.getByLabel('用户名').waitFor();
    await newcomer.getByLabel('用户名').fill('lz.qiu');
    await newcomer.getByLabel('密码').fill('Longzhou@2026');
    await newcomer.getByRole('button', { name: '登录', exact: true }).click();
    await newcomer.getByRole('alert').waitFor();
    expect(await newcomer.getByTestId('who').count()).toBe(0);
  });

  it('an agency admin changes a role with the keyboard alone, on a phone', async () => {
    const admin = await open('lz.admin', PHONE);
    await admin.goto('/manage');
    const users = admin.locator('[data-testid=admin-users][data-agency="XZ-LZ"]');
    await users.getByRole('button', { name: '编辑 lz.head' }).focus();
    await admin.keyboard.press('Enter');
    const dialog = admin.getByRole('dialog');
    await dialog.getByLabel('姓名').waitFor();
    await dialog.getByLabel('联络员').focus();
    await admin.keyboard.press('Space');
    expect(await dialog.getByLabel('联络员').isChecked()).toBe(true);
    await dialog.getByRole('button', { name: '确定' }).focus();
    await admin.keyboard.press('Enter');
    await admin.getByText('已保存 lz.head').waitFor();
    await users.locator('[data-username="lz.head"]').filter({ hasText: '联络员' }).waitFor();
    await screenshot(admin, 'admin-phone');
  });

  it('a system admin sees every agency and opens the queue dashboard', async () => {
    const page = await open('sysadmin');
    await page.getByRole('menuitem', { name: '系统管理' }).click();
    const agencies = page.getByTestId('admin-agencies');
    await agencies.getByLabel('按名称或代码筛选单位').fill('公安');
    await agencies.locator('[data-agency="GAJ"]').waitFor();
    await agencies.getByRole('button', { name: '查看用户 龙游县公安局' }).click();
    await page.locator('[data-testid=admin-users][data-agency="GAJ"] [data-username="gaj.liaison"]').waitFor();
    await screenshot(page, 'admin-sysadmin');

    const [tab] = await Promise.all([
      page.context().waitForEvent('page'),
      page.getByRole('button', { name: '打开队列面板' }).click(),
    ]);
    await tab.waitForURL('**/admin/queues**');
    await tab.getByText('协同平台队列').first().waitFor();
    await screenshot(tab, 'admin-queue-dashboard');

    // The screen in English, after the switch.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Agencies and users' }).waitFor();
    await page.getByText('Users of Longyou County Public Security Bureau').waitFor();
    await page.getByRole('button', { name: 'New user' }).waitFor();
    await screenshot(page, 'admin-sysadmin-en');
  });

  it('a non-admin sees no admin screen, not in the menu and not by its address', async () => {
    const page = await open('lz.staff', PHONE);
    await page.getByRole('button', { name: '打开菜单' }).click();
    await page.getByRole('menuitem', { name: '收件箱' }).waitFor();
    expect(await page.getByRole('menuitem', { name: '系统管理' }).count()).toBe(0);
    await page.goto('/manage');
    await page.getByText('没有这个页面').waitFor();
    expect(await page.getByTestId('admin').count()).toBe(0);
    await screenshot(page, 'admin-hidden-phone');
  });
});
