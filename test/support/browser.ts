import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from '@jest/globals';
import { bootApp, DEMO_PASSWORD, REPO_ROOT, type TestApp } from './app.js';
import { Session } from './session.js';

/** Debian's Chromium (`.ci/run` installs it): playwright-core downloads no browser of its own. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = resolve(REPO_ROOT, 'test', 'artifacts', 'browser');

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const PHONE = { width: 375, height: 812 };
export const DESKTOP = { width: 1280, height: 800 };

/** A fresh browser profile (own storage, own session) at the app's URL. */
export async function newContext(browser: Browser, baseURL: string, viewport = DESKTOP): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  // A step that cannot happen fails naming its locator, well inside the test's own time limit.
  context.setDefaultTimeout(15_000);
  return context;
}

/** Signs in through the sign-in form, as a person would, and waits for the shell. */
export async function signIn(page: Page, username: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.getByTestId('who').waitFor();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: resolve(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Picks an option of an Ant Design select: open it, type to search (searchable ones), click the option. */
export async function choose(page: Page, label: string, search: string | null, option: string | RegExp): Promise<void> {
  const box = page.getByLabel(label, { exact: true });
  await box.click();
  if (search !== null) await box.fill(search);
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: option })
    .first()
    .click();
}

export interface BrowserSuite {
  readonly app: TestApp;
  readonly s: Session;
  /** A fresh context signed in as `username` (closed after the file's tests). */
  open(username: string, viewport?: { width: number; height: number }): Promise<Page>;
}

/** Boots the app and Chromium once for a spec file and closes everything after its tests. */
export function browserSuite(): BrowserSuite {
  let app: TestApp | undefined;
  let s: Session | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    [app, browser] = await Promise.all([bootApp(), launchBrowser()]);
    s = await new Session(app).init();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    s?.close();
    await browser?.close();
    await app?.close();
  });
  const booted = <T>(x: T | undefined): T => {
    if (x === undefined) throw new Error('the browser suite has not booted yet (use it inside a test)');
    return x;
  };
  return {
    get app() {
      return booted(app);
    },
    get s() {
      return booted(s);
    },
    async open(username, viewport) {
      const context = await newContext(booted(browser), booted(app).url, viewport);
      contexts.push(context);
      const page = await context.newPage();
      await signIn(page, username);
      return page;
    },
  };
}
