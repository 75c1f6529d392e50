import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
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
  openContexts.add(context);
  context.on('page', watch);
  context.on('close', () => openContexts.delete(context));
  return context;
}

/**
 * What each open page logged and was refused lately. A failed step says only which locator it
 * waited for; printed beside it (test/support/diagnosing-environment.js calls this on a failure),
 * the page's errors, refused requests and visible alerts say why, on a CI run as well.
 */
const openContexts = new Set<BrowserContext>();
const recent = new WeakMap<Page, string[]>();
const RECENT_LINES = 30;

function watch(page: Page): void {
  const lines: string[] = [];
  recent.set(page, lines);
  const note = (line: string): void => {
    lines.push(`${new Date().toISOString().slice(11, 23)} ${line.slice(0, 400)}`);
    if (lines.length > RECENT_LINES) lines.shift();
  };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') note(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => note(`page error: ${e.message}`));
  page.on('requestfailed', (r) => note(`failed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => {
    if (r.status() < 400) return;
    void r.text().then(
      (body) => note(`${r.status()} ${r.request().method()} ${r.url()} ${body.slice(0, 200)}`),
      () => note(`${r.status()} ${r.request().method()} ${r.url()}`),
    );
  });
}

const within = <T>(ms: number, p: Promise<T>, fallback: T): Promise<T> =>
  Promise.race([p.catch(() => fallback), new Promise<T>((r) => setTimeout(() => r(fallback), ms))]);

async function describeOpenPages(test: string): Promise<void> {
  const slug = test.replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 60);
  const out: string[] = [`the browser when "${test}" failed:`];
  let n = 0;
  for (const context of openContexts)
    for (const page of context.pages()) {
      n++;
      const shown = await within(
        2_000,
        page
          .locator('[role=alert], .ant-message-notice, .ant-form-item-explain-error, .ant-modal-title')
          .allInnerTexts(),
        ['(could not read the page)'],
      );
      const shot = resolve(ARTIFACTS, `failed-${slug}-${n}.png`);
      await within(3_000, page.screenshot({ path: shot, fullPage: true }), undefined);
      out.push(
        `  page ${n}: ${page.url()}`,
        `    showing: ${shown.length ? shown.map((t) => t.replace(/\s+/g, ' ')).join(' | ') : '(no alert, message or field error)'}`,
        `    screenshot: ${shot}`,
        ...(recent.get(page) ?? []).map((l) => `    ${l}`),
      );
    }
  if (n > 0) console.error(out.join('\n'));
}
(globalThis as { __onTestFailure?: (test: string) => Promise<void> }).__onTestFailure = describeOpenPages;

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

/**
 * Picks an option of an Ant Design select (inside `scope`, the page by default): open it, type to
 * search (searchable ones), click the option, and see it shown in the field. The dropdown animates
 * in, and a click that lands while it does selects nothing, so a pick that does not show is tried
 * again rather than left for a later step to time out on.
 */
export async function choose(
  page: Page,
  label: string,
  search: string | null,
  option: string | RegExp,
  scope: Page | Locator = page,
): Promise<void> {
  const box = scope.getByLabel(label, { exact: true });
  const field = scope.locator('.ant-form-item').filter({ has: page.getByLabel(label, { exact: true }) });
  const dropdown = page.locator('.ant-select-dropdown:visible');
  for (let attempt = 1; ; attempt++) {
    try {
      if ((await dropdown.count()) === 0) await box.click();
      if (search !== null) await box.fill(search);
      await dropdown.locator('.ant-select-item-option').filter({ hasText: option }).first().click({ timeout: 5_000 });
      await field.filter({ hasText: option }).first().waitFor({ timeout: 3_000 });
      return;
    } catch (e) {
      if (attempt === 3) throw new Error(`could not choose ${String(option)} for ${label}`, { cause: e });
    }
  }
}

/**
 * Checks an Ant Design radio or checkbox. One clicked while its dialog is still animating in can
 * stay unchecked (Playwright then says the click did not change its state), so it is tried again.
 */
export async function tick(control: Locator): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await control.check({ timeout: 5_000 });
      return;
    } catch (e) {
      if (attempt === 3) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export interface BrowserSuite {
  readonly app: TestApp;
  readonly s: Session;
  /** A page in a fresh context, not signed in (closed after the file's tests). */
  fresh(viewport?: { width: number; height: number }): Promise<Page>;
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
  const fresh = async (viewport?: { width: number; height: number }): Promise<Page> => {
    const context = await newContext(booted(browser), booted(app).url, viewport);
    contexts.push(context);
    return context.newPage();
  };
  return {
    get app() {
      return booted(app);
    },
    get s() {
      return booted(s);
    },
    fresh,
    async open(username, viewport) {
      const page = await fresh(viewport);
      await signIn(page, username);
      return page;
    },
  };
}
