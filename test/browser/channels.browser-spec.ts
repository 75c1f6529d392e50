import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { bootApp, type TestApp } from '../support/app.js';
import { launchBrowser, newContext, PHONE, screenshot, signIn } from '../support/browser.js';

let app: TestApp;
let browser: Browser;
const contexts: BrowserContext[] = [];

const CHANNEL = '执法局—公安局联络群';

async function openChannel(username: string, viewport?: { width: number; height: number }): Promise<Page> {
  const context = await newContext(browser, app.url, viewport);
  contexts.push(context);
  const page = await context.newPage();
  await signIn(page, username);
  await page.goto('/channels');
  await page.locator(`[data-channel="${CHANNEL}"]`).click();
  await page.locator('[data-testid=conversation][data-loaded=true]').waitFor();
  return page;
}

async function say(page: Page, text: string): Promise<void> {
  await page.getByLabel('消息', { exact: true }).fill(text);
  await page.getByLabel('消息', { exact: true }).press('Enter');
}

beforeAll(async () => {
  [app, browser] = await Promise.all([bootApp(), launchBrowser()]);
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await app?.close();
});

describe('two liaison officers in one channel', () => {
  it('exchange messages live; an edit and a retraction reach the other side; a network cut catches up without a reload', async () => {
    const bureau = await openChannel('zfj.liaison');
    const police = await openChannel('gaj.liaison', PHONE);
    await police.evaluate('window.stayed = true');

    await say(bureau, '明早九点联合检查荣昌大道夜市，请派两名民警协助。');
    await police.locator('[data-message="明早九点联合检查荣昌大道夜市，请派两名民警协助。"]').waitFor();
    await say(police, '收到，已安排。');
    await bureau.locator('[data-message="收到，已安排。"]').waitFor();

    // The bureau corrects the time, then retracts a wrong message: the police see both, live.
    const first = bureau.locator('[data-message="明早九点联合检查荣昌大道夜市，请派两名民警协助。"]');
    await first.getByRole('button', { name: '编辑' }).click();
    await bureau.getByLabel('编辑', { exact: true }).fill('明早八点半联合检查荣昌大道夜市，请派两名民警协助。');
    await bureau.getByRole('button', { name: '保存' }).click();
    const edited = police.locator('[data-message="明早八点半联合检查荣昌大道夜市，请派两名民警协助。"]');
    await edited.waitFor();
    expect(await edited.getAttribute('data-edited')).toBe('true');
    expect(await edited.textContent()).toContain('已编辑');

    await say(bureau, '发错群了');
    const wrong = bureau.locator('[data-message="发错群了"]');
    await wrong.getByRole('button', { name: '撤回' }).click();
    await bureau.getByRole('button', { name: '撤回', exact: true }).last().click();
    await police.locator('[data-message=retracted]').waitFor();
    expect(await police.locator('[data-message="发错群了"]').count()).toBe(0);
    expect(await police.getByTestId('messages').textContent()).toContain('消息已撤回');

    // The police phone loses its network; meanwhile the bureau posts twice and edits its reply.
    await police.context().setOffline(true);
    await police.locator('[data-connection=reconnecting]').waitFor();
    await say(bureau, '改到荣昌大道东段集合。');
    await bureau.locator('[data-message="改到荣昌大道东段集合。"]').waitFor();
    await say(bureau, '请带执法记录仪。');
    await bureau.locator('[data-message="请带执法记录仪。"]').waitFor();
    await bureau.locator('[data-message="改到荣昌大道东段集合。"]').getByRole('button', { name: '编辑' }).click();
    await bureau.getByLabel('编辑', { exact: true }).fill('改到荣昌大道东段路口集合。');
    await bureau.getByRole('button', { name: '保存' }).click();
    await bureau.locator('[data-message="改到荣昌大道东段路口集合。"]').waitFor();
    // What the police type while offline waits and is sent once the network is back.
    await say(police, '网络恢复后再确认人数。');
    await police.getByTestId('unsent').waitFor();

    await police.context().setOffline(false);
    await police.locator('[data-connection=back]').waitFor();
    await police.locator('[data-message="请带执法记录仪。"]').waitFor();
    await bureau.locator('[data-message="网络恢复后再确认人数。"]').waitFor();
    // The phone's own offline message takes its place in the sequence once the server has it.
    await police.locator('[data-testid=messages] [data-seq][data-message="网络恢复后再确认人数。"]').waitFor();
    expect(await police.evaluate('window.stayed')).toBe(true);
    // In sequence order, each once.
    const items = await police.locator('[data-testid=messages] [data-seq]').all();
    const order = await Promise.all(items.map((m) => m.getAttribute('data-message')));
    const at = (text: string) => order.indexOf(text);
    expect(order.filter((t) => t === '请带执法记录仪。')).toHaveLength(1);
    // The edit made while it was away arrives too, in the message's place.
    expect(at('改到荣昌大道东段集合。')).toBe(-1);
    expect(at('改到荣昌大道东段路口集合。')).toBeLessThan(at('请带执法记录仪。'));
    expect(at('请带执法记录仪。')).toBeLessThan(at('网络恢复后再确认人数。'));
    await police.locator('[data-testid=unsent]').waitFor({ state: 'detached' });
    await screenshot(police, 'channel-phone-after-reconnect');
    await screenshot(bureau, 'channel-desktop');
  });
});
