import ExcelJS from 'exceljs';
import {
  CATALOGUE_COLUMNS,
  type CatalogueColumn,
  type ItemPage,
  type MatterView,
  type ReferralView,
} from '@xietong/shared';
import type { Http } from './app.js';

/** The code of a seeded item whose current boundary delegates it to `township` and is penalised by the bureau. */
export async function delegatedItemCode(http: Http, token: string, township = 'XZ-LZ'): Promise<string> {
  const page = await http.get<ItemPage>('/api/catalogue/items?limit=200', token);
  const item = page.body.items.find(
    (i) =>
      i.current?.effectiveTo === null &&
      i.current.penalising?.code === 'ZFJ' &&
      i.current.delegatedTownships.some((t) => t.code === township),
  );
  if (!item) throw new Error(`no seeded item delegated to ${township}`);
  return item.code;
}

/** Polls until `check` holds, or fails naming what did not happen. */
export async function until(what: string, check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Opens a matter in 龙洲街道 and refers it there, as the catalogue routes it; returns the referral. */
export async function referToLongzhou(http: Http, token: string): Promise<ReferralView> {
  const matter = await http.post<MatterView>(
    '/api/matters',
    {
      itemCode: await delegatedItemCode(http, token),
      township: 'XZ-LZ',
      place: '龙洲街道东华路菜市场北门',
      party: { kind: 'company', name: '龙游县某某餐饮有限公司', idNumber: '91330825MA2ABCDE1X' },
      procedure: 'simple',
      flags: {},
      summary: '店外占道经营，油烟直排。',
    },
    token,
  );
  if (matter.status !== 201) throw new Error(`matter: ${matter.status} ${JSON.stringify(matter.body)}`);
  const referral = await http.post<ReferralView>(
    '/api/referrals',
    { matterId: matter.body.id, kind: 'jurisdiction_transfer', note: '已赋权龙洲街道，请签收' },
    token,
  );
  if (referral.status !== 201) throw new Error(`referral: ${referral.status} ${JSON.stringify(referral.body)}`);
  return referral.body;
}

/** One row of a catalogue file, by the office's column names; columns left out are blank. */
export type CatalogueRow = Partial<Record<CatalogueColumn, string>>;

/** A catalogue XLSX in the office's columns, as county offices keep it. */
export async function catalogueXlsx(rows: readonly CatalogueRow[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('事项');
  sheet.addRow([...CATALOGUE_COLUMNS]);
  for (const r of rows) sheet.addRow(CATALOGUE_COLUMNS.map((c) => r[c] ?? ''));
  return Buffer.from(await book.xlsx.writeBuffer());
}
