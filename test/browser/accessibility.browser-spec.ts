import { describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import type { ChannelView } from '@xietong/shared';
import { browserSuite, DESKTOP, PHONE, screenshot } from '../support/browser.js';
import { referToLongzhou } from '../support/fixtures.js';

const suite = browserSuite();

const CONTROLS = [
  'textbox',
  'combobox',
  'button',
  'checkbox',
  'radio',
  'radiogroup',
  'switch',
  'spinbutton',
  'searchbox',
];

/**
 * The controls a screen reader would announce without a name: from the accessibility tree
 * (Playwright's ARIA snapshot), where a named control reads `- textbox "用户名"` and a nameless one `- textbox`.
 */
async function unnamed(page: Page): Promise<string[]> {
  const tree = await page.locator('body').ariaSnapshot();
  return tree
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => {
      const m = /^- (\w+)(.*)$/.exec(l);
      return m !== null && CONTROLS.includes(m[1] as string) && !/^\s*"/.test(m[2] as string);
    });
}

/** Fails naming every unnamed control on the page, and whether the page scrolls sideways at this width. */
async function check(page: Page, what: string): Promise<void> {
  expect({ what, unnamed: await unnamed(page) }).toEqual({ what, unnamed: [] });
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
  expect({ what, overflow: overflow > 1 }).toEqual({ what, overflow: false });
}

describe.each([
  ['1280×800', DESKTOP],
  ['375×812', PHONE],
])('every control has a name and nothing scrolls sideways at %s', (size, viewport) => {
  it('the sign-in page', async () => {
    const page = await suite.fresh(viewport);
    await page.goto('/');
    await page.getByLabel('用户名').waitFor();
    await check(page, 'sign-in');
  });

  it("a bureau officer's screens and forms", async () => {
    const referral = await referToLongzhou(suite.app.http, await suite.s.token('zfj.officer'));
    const channel = await suite.s.get<ChannelView>('zfj.officer', `/api/matters/${referral.matter.id}/channel`);
    const page = await suite.open('zfj.officer', viewport);
    for (const [path, ready] of [
      ['/channels', '[data-testid=who]'],
      [`/channels/${channel.body.id}`, 'textarea'],
      ['/notifications', '[data-testid=who]'],
      ['/send', 'form[id=send]'],
      ['/outbox', '[data-testid=who]'],
      [`/referrals/${referral.id}`, '[data-testid=who]'],
      ['/interviews', '[data-testid=workflow-list]'],
      ['/disputes', '[data-testid=workflow-list]'],
      ['/enforcements', '[data-testid=workflow-list]'],
    ] as const) {
      await page.goto(path);
      await page.locator(ready).first().waitFor();
      await page.waitForLoadState('networkidle');
      await check(page, path);
    }
    await page.getByRole('button', { name: /^新建/ }).click();
    await page.getByRole('dialog').getByLabel('案件').waitFor();
    await check(page, 'enforcement create form');
    await screenshot(page, `a11y-enforcement-form-${size.replace('×', 'x')}`);
    // Nine screens in one sign-in: more than the default minute on a shared machine.
  }, 120_000);

  it("an agency admin's screen and forms", async () => {
    const page = await suite.open('lz.admin', viewport);
    await page.goto('/manage');
    await page.locator('[data-testid=admin-users] [data-username="lz.staff"]').waitFor();
    await check(page, 'admin');
    await page.getByRole('button', { name: '新建用户' }).click();
    await page.getByRole('dialog').getByLabel('用户名').waitFor();
    await check(page, 'create user form');
  });

  it("a township's inbox", async () => {
    const page = await suite.open('lz.staff', viewport);
    await page.goto('/inbox');
    await page.waitForLoadState('networkidle');
    await check(page, 'inbox');
  });
});
