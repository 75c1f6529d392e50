import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import { REPO_ROOT } from '../support/app.js';

/**
 * The production bundle as the browser gets it (client/dist from `npm run build`): split by route,
 * and the first load of the inbox (township staff, on phones) under 1 MB of gzipped JavaScript.
 */
const DIST = resolve(REPO_ROOT, 'client', 'dist');
const ASSETS = resolve(DIST, 'assets');
const LIMIT = 1024 * 1024;

const read = (file: string) => readFileSync(resolve(ASSETS, file), 'utf8');

/** A chunk and every chunk it imports statically, as the browser fetches them before it runs. */
function closure(start: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...start];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    // Static imports only (`import{…}from"./x.js"`, `import"./x.js"`); `import("./x.js")` is another route.
    for (const m of read(file).matchAll(/(?:from|import)\s*["']\.\/([\w.-]+\.js)["']/g)) queue.push(m[1] as string);
  }
  return seen;
}

/** The files index.html loads at once: its entry script and the chunks it preloads. */
function entryFiles(): string[] {
  const html = readFileSync(resolve(DIST, 'index.html'), 'utf8');
  return [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\/assets\/([^"]+\.js)"/g)].map(
    (m) => m[1] as string,
  );
}

const chunkOf = (page: string): string => {
  const file = readdirSync(ASSETS).find((f) => f.startsWith(`${page}-`) && f.endsWith('.js'));
  if (!file) throw new Error(`no chunk for ${page} in client/dist/assets`);
  return file;
};

describe('the production bundle', () => {
  it('exists (run `npm run build` first)', () => {
    expect(existsSync(resolve(DIST, 'index.html'))).toBe(true);
  });

  it('gives every page its own chunk, loaded only on its route', () => {
    const pages = readdirSync(resolve(REPO_ROOT, 'client', 'src', 'pages')).map((f) => basename(f, '.tsx'));
    expect(pages).toEqual(expect.arrayContaining(['InboxPage', 'DashboardPage', 'AdminPage']));
    const first = closure(entryFiles());
    for (const page of pages) expect(first).not.toContain(chunkOf(page));
  });

  it('loads the inbox with under 1 MB of gzipped JavaScript, without the charts', () => {
    const files = closure([...entryFiles(), chunkOf('InboxPage')]);
    const gzipped = [...files].reduce((sum, f) => sum + gzipSync(readFileSync(resolve(ASSETS, f))).length, 0);
    // The figure, for the record in the test log.
    process.stdout.write(`inbox first load: ${files.size} chunks, ${(gzipped / 1024).toFixed(0)} KiB gzipped\n`);
    expect(gzipped).toBeLessThan(LIMIT);
    expect(files).not.toContain(chunkOf('DashboardPage'));
    expect([...files].some((f) => read(f).includes('echarts'))).toBe(false);
  });
});
