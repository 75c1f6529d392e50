import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { Locator } from 'playwright-core';
import type { BlindSpotReport, ItemDetail } from '@xietong/shared';
import { browserSuite, choose, PHONE, screenshot, tick } from '../support/browser.js';
import { catalogueXlsx, type CatalogueRow } from '../support/fixtures.js';

/** 对未经批准擅自设置大型户外广告的行政处罚: delegated to 湖镇镇 until 2023-04-01, then taken back. */
const BILLBOARDS = '330000-ZF-002';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const suite = browserSuite();
const open = (username: string) => suite.open(username);

/** Types a date into an Ant Design date picker and leaves it (Enter would also submit the form it is in). */
async function enterDate(scope: Locator, label: string, date: string): Promise<void> {
  const input = scope.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(date);
  await input.press('Tab');
  await expectValue(input, date);
}

async function expectValue(input: Locator, value: string): Promise<void> {
  for (let i = 0; i < 50 && (await input.inputValue()) !== value; i++) await new Promise((r) => setTimeout(r, 100));
  expect(await input.inputValue()).toBe(value);
}

describe('reading the catalogue', () => {
  it('finds an item by pinyin initials, shows its boundary history and answers who is responsible, with no amendment controls for a case officer', async () => {
    const page = await open('zfj.officer');
    await page.getByRole('menuitem', { name: '执法事项目录' }).click();
    await page.getByLabel('搜索事项').fill('hwgg');
    const row = page.locator(`[data-testid=catalogue-results] tr[data-code="${BILLBOARDS}"]`);
    await row.waitFor();
    // 户外广告: hu wai guang gao. Every row left is one whose initials contain it.
    await page.locator('[data-testid=catalogue-results][data-loading=false]').waitFor();
    const rows = page.locator('[data-testid=catalogue-results] tr[data-code]');
    expect(await rows.count()).toBeLessThan(5);
    for (const text of await rows.allTextContents()) expect(text).toContain('hwgg');
    // No amendment or import controls for someone who may not amend.
    expect(await page.getByRole('button', { name: '导入目录' }).count()).toBe(0);
    expect(await page.getByRole('menuitem', { name: '目录导入' }).count()).toBe(0);
    await screenshot(page, 'catalogue-search-pinyin');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '导出 Excel' }).click(),
    ]);
    // An XLSX is a zip: it starts with PK.
    expect(
      readFileSync(await download.path())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');

    await row.getByRole('link').click();
    await page.locator(`[data-testid=catalogue-item][data-code="${BILLBOARDS}"]`).waitFor();
    const versions = page.getByTestId('boundary-version');
    expect(await versions.count()).toBe(2);
    const second = page.locator('[data-testid=boundary-version][data-version="2"]');
    expect(await second.getAttribute('data-current')).toBe('true');
    expect(await second.getByTestId('version-changes').textContent()).toContain('收回赋权：湖镇镇');
    expect(await second.textContent()).toContain('赋权调整');
    expect(await page.locator('[data-testid=boundary-version][data-version="1"]').textContent()).toContain(
      '2019-07-01 至 2023-04-01',
    );

    // 湖镇镇 before the delegation was taken back: the township itself penalised.
    const panel = page.getByTestId('who-panel');
    await choose(page, '乡镇（街道）', '湖镇镇', '湖镇镇', panel);
    await enterDate(panel, '日期', '2023-01-01');
    const before = panel.locator('[data-testid=who-answer][data-township=XZ-HZ][data-date="2023-01-01"]');
    await before.waitFor();
    expect(await before.getAttribute('data-rule')).toBe('delegated_township');
    expect(await before.textContent()).toContain('处罚主体湖镇镇');
    expect(await before.getByTestId('who-version').textContent()).toContain('职责边界第 1 版');
    expect(await before.getByTestId('who-route').textContent()).toContain('湖镇镇');
    await screenshot(page, 'catalogue-who-before-revocation');

    // …and after: the bureau, and why.
    await enterDate(panel, '日期', '2024-06-01');
    const after = panel.locator('[data-testid=who-answer][data-township=XZ-HZ][data-date="2024-06-01"]');
    await after.waitFor();
    expect(await after.getAttribute('data-rule')).toBe('penalising_body');
    expect(await after.textContent()).toContain('处罚主体龙游县综合行政执法局');
    expect(await after.getByTestId('who-why').textContent()).toContain('湖镇镇未获该事项赋权');
    expect(await after.getByTestId('who-version').textContent()).toContain('职责边界第 2 版');
    expect(await page.getByTestId('amendments').count()).toBe(0);
    await screenshot(page, 'catalogue-item-history-and-who');

    // The import screen is not there for them either.
    await page.goto('/catalogue/import');
    await page.getByText('没有这个页面').waitFor();
    expect(await page.getByTestId('catalogue-import').count()).toBe(0);
  });
});

describe('the catalogue on a phone', () => {
  it('a township officer finds an item and asks who is responsible at 375 px', async () => {
    const page = await suite.open('hz.staff', PHONE);
    await page.goto('/catalogue?q=hwgg');
    await page.locator(`[data-testid=catalogue-results] tr[data-code="${BILLBOARDS}"]`).getByRole('link').click();
    await page.locator(`[data-testid=catalogue-item][data-code="${BILLBOARDS}"]`).waitFor();
    const panel = page.getByTestId('who-panel');
    await choose(page, '乡镇（街道）', '湖镇镇', '湖镇镇', panel);
    await panel.locator('[data-testid=who-answer][data-township=XZ-HZ]').waitFor();
    // Nothing wider than the screen: no sideways scrolling on a phone.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'catalogue-item-phone');
  });
});

const row = (n: number, extra: CatalogueRow = {}): CatalogueRow => ({
  事项编码: `UI-IMP-${String(n).padStart(4, '0')}`,
  事项名称: `对在公共绿地内擅自搭建临时设施的处罚（界面测试${n}）`,
  类别: '市容环境',
  法律依据: '《浙江省城市绿化管理条例》第二十八条',
  划转批次: '第三批',
  监管部门: '龙游县住房和城乡建设局',
  审批部门: '',
  处罚主体: '龙游县综合行政执法局',
  赋权乡镇: '龙洲街道',
  生效日期: '2026-07-01',
  ...extra,
});

describe('importing the catalogue', () => {
  it('an arbiter uploads a bad file and sees every bad row, then previews a good file and applies it', async () => {
    const page = await open('zdb.arbiter');
    await page.getByRole('menuitem', { name: '目录导入' }).click();
    const upload = page.locator('[data-testid=import-upload] input[type=file]');

    await upload.setInputFiles({
      name: '目录（有误）.xlsx',
      mimeType: XLSX,
      buffer: await catalogueXlsx([
        row(1),
        row(2, { 监管部门: '县城管委' }),
        row(3, { 事项编码: 'UI-IMP-0001' }),
        row(4, { 事项名称: '' }),
        row(5, { 类别: '城市管理' }),
      ]),
    });
    await page.getByTestId('import-rejected').waitFor();
    expect(await page.getByTestId('import-rejected').textContent()).toContain('4 行有误，未导入任何内容');
    const errors = page.locator('[data-testid=import-errors] tr[data-row]');
    const byRow = [];
    for (const tr of await errors.all()) {
      byRow.push([
        Number(await tr.getAttribute('data-row')),
        await tr.getAttribute('data-column'),
        await tr.textContent(),
      ]);
    }
    expect(byRow).toEqual([
      [3, '监管部门', expect.stringContaining('未知单位「县城管委」')],
      [4, '事项编码', expect.stringContaining('与第 2 行重复')],
      [5, '事项名称', expect.stringContaining('缺少')],
      [6, '类别', expect.stringContaining('未知类别「城市管理」')],
    ]);
    // A file with bad rows offers nothing to confirm, and nothing was written.
    expect(await page.getByRole('button', { name: '确认导入' }).count()).toBe(0);
    expect((await suite.s.get('zdb.arbiter', '/api/catalogue/items/UI-IMP-0001')).status).toBe(404);
    await screenshot(page, 'catalogue-import-bad-rows');

    await upload.setInputFiles({
      name: '目录.xlsx',
      mimeType: XLSX,
      buffer: await catalogueXlsx([row(11), row(12, { 赋权乡镇: '' })]),
    });
    const preview = page.getByTestId('import-preview');
    await preview.waitFor();
    expect(await preview.textContent()).toContain('共 2 行，新增 2 项');
    const created = await preview.locator('tr[data-action=create]').all();
    expect(await Promise.all(created.map((tr) => tr.getAttribute('data-code')))).toEqual([
      'UI-IMP-0011',
      'UI-IMP-0012',
    ]);
    expect(await page.getByTestId('import-rejected').count()).toBe(0);
    // The dry run wrote nothing.
    expect((await suite.s.get('zdb.arbiter', '/api/catalogue/items/UI-IMP-0011')).status).toBe(404);
    await screenshot(page, 'catalogue-import-preview');

    await preview.getByRole('button', { name: '确认导入' }).click();
    const applied = page.getByTestId('import-applied');
    await applied.waitFor();
    expect(await applied.textContent()).toContain('新增 2 项');
    // The server's progress events for this import reached the page.
    await page.locator('[data-testid=import-progress][data-phase=done]').waitFor();
    expect(await page.getByTestId('import-progress').textContent()).toContain('2 / 2');
    await screenshot(page, 'catalogue-import-applied');

    await applied.getByRole('link', { name: 'UI-IMP-0011' }).click();
    await page.locator('[data-testid=catalogue-item][data-code="UI-IMP-0011"]').waitFor();
    expect(await page.getByTestId('current-boundary').textContent()).toContain('龙洲街道');
  });
});

describe('amending a boundary', () => {
  it('an arbiter sees the server refuse an overlapping date under the field with the rest kept, then grants a delegation', async () => {
    const page = await open('zdb.arbiter');
    await page.goto(`/catalogue/items/${BILLBOARDS}`);
    await page.locator(`[data-testid=catalogue-item][data-code="${BILLBOARDS}"]`).waitFor();
    const form = page.getByTestId('amend-delegation');
    await choose(page, '乡镇（街道）', '湖镇镇', '湖镇镇', form);
    await tick(form.getByLabel('赋予'));
    // Before the version in force began: only the server knows the item's history well enough to refuse it.
    await enterDate(form, '生效日期', '2020-01-01');
    const note = form.getByLabel('变更理由');
    await note.fill('湖镇镇户外广告审批与执法衔接已理顺，经县政府同意重新赋权。');
    await form.getByRole('button', { name: '保存赋权调整' }).click();
    const dateError = form
      .locator('.ant-form-item-has-error')
      .filter({ has: page.getByLabel('生效日期', { exact: true }) });
    await dateError.waitFor();
    expect(await dateError.textContent()).toContain('重叠');
    expect(await note.inputValue()).toContain('重新赋权');
    await screenshot(page, 'catalogue-amend-refused');

    await enterDate(form, '生效日期', '2027-01-01');
    await form.getByRole('button', { name: '保存赋权调整' }).click();
    const third = page.locator('[data-testid=boundary-version][data-version="3"]');
    await third.waitFor();
    expect(await third.getByTestId('version-changes').textContent()).toContain('新增赋权：湖镇镇');
    expect(await third.textContent()).toContain('余建明');
    const stored = await suite.s.get<ItemDetail>('zdb.arbiter', `/api/catalogue/items/${BILLBOARDS}`);
    expect(stored.body.versions.at(-1)).toMatchObject({
      version: 3,
      effectiveFrom: '2027-01-01',
      reason: 'delegation_change',
      note: '湖镇镇户外广告审批与执法衔接已理顺，经县政府同意重新赋权。',
    });
    await screenshot(page, 'catalogue-amend-saved');
  });
});

describe('the blind-spot report', () => {
  it('shows the guidance office every gap the catalogue leaves on a day, as the API counts them, each leading to its item', async () => {
    const arbiter = (await suite.app.http.login('zdb.arbiter')).accessToken;
    const report = (await suite.app.http.get<BlindSpotReport>('/api/catalogue/blind-spots', arbiter)).body;
    const page = await open('zdb.arbiter');
    await page.getByRole('menuitem', { name: '监管盲区' }).click();
    const sections = {
      'blind-no-supervisor': report.noSupervisingAgency.length,
      'blind-no-penalising': report.noPenalisingBody.length,
      'blind-unstaffed': report.delegatedWithoutTownshipStaff.length,
      'blind-changed': report.changedRecently.length,
    };
    for (const [testId, n] of Object.entries(sections)) {
      const card = page.getByTestId(testId);
      await card.waitFor();
      expect({ testId, rows: await card.locator('.ant-list-item').count() }).toEqual({ testId, rows: n });
    }
    await screenshot(page, 'blind-spots');
    const first = report.noPenalisingBody[0] ?? report.noSupervisingAgency[0];
    if (!first) throw new Error('the demo catalogue should leave at least one gap to show');
    await page.getByRole('link', { name: first.nameZh }).first().click();
    await page.waitForURL(`**/catalogue/items/${encodeURIComponent(first.code)}`);
    await screenshot(page, 'blind-spots-item');
  });
});
