import type { ItemPage } from '@xietong/shared';
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
