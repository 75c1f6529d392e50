import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { REPO_ROOT, runNode } from '../support/app.js';
import { freshDatabase, query } from '../support/database.js';

const CLI = resolve(REPO_ROOT, 'server', 'dist', 'cli.js');
const env = (url: string): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, NODE_ENV: 'test', DATABASE_URL: url });

describe('migrations', () => {
  it('build, from an empty database, exactly the schema the entities describe', async () => {
    const db = await freshDatabase({ empty: true });
    const migrate = await runNode(CLI, ['migrate'], env(db.url));
    expect(migrate.code).toBe(0);
    expect(migrate.output).toMatch(/applied: Migration\d+_initial/);
    const check = await runNode(CLI, ['migration:check'], env(db.url));
    expect(check.output).toContain('migrations match the entities');
    expect(check.code).toBe(0);
  });

  it('are idempotent: a second migrate applies nothing', async () => {
    const db = await freshDatabase();
    const again = await runNode(CLI, ['migrate'], env(db.url));
    expect(again.code).toBe(0);
    expect(again.output).toContain('no pending migrations');
  });

  it('detect drift: a schema that differs from the entities fails the check', async () => {
    const db = await freshDatabase();
    await query(db.url, 'alter table agency drop column name_en');
    const check = await runNode(CLI, ['migration:check'], env(db.url));
    expect(check.code).toBe(1);
    expect(check.output).toContain('name_en');
  });
});

describe('seeding', () => {
  it('creates the demo county once: a second run adds nothing', async () => {
    const db = await freshDatabase({ empty: true });
    const first = await runNode(CLI, ['seed'], env(db.url));
    expect(first.code).toBe(0);
    const [counts] = await query<{ agencies: string; users: string; delegated: string; townships: string }>(
      db.url,
      `select (select count(*) from agency) agencies, (select count(*) from app_user) users,
              (select count(*) from agency where kind = 'township' and delegated) delegated,
              (select count(*) from agency where kind = 'township') townships`,
    );
    expect(counts).toEqual({ agencies: '20', users: '34', delegated: '6', townships: '8' });
    const second = await runNode(CLI, ['seed'], env(db.url));
    expect(second.output).toContain('seeded: 0 new agencies, 0 new users, 0 new items');
    const names = await query<{ name_zh: string }>(
      db.url,
      "select name_zh from agency where code in ('XZ-LZ', 'XZ-HZ') order by code",
    );
    expect(names.map((n) => n.name_zh)).toEqual(['湖镇镇', '龙洲街道']);
  });

  it('refuses to seed demo data into production', async () => {
    const db = await freshDatabase({ empty: true });
    const res = await runNode(CLI, ['seed'], { ...env(db.url), NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) });
    expect(res.code).toBe(1);
    expect(res.output).toContain('Refusing to seed');
    expect(await query(db.url, "select 1 from information_schema.tables where table_name = 'agency'")).toEqual([]);
  });
});
