import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { REPO_ROOT, runNode } from '../support/app.js';
import { freshDatabase, query } from '../support/database.js';

/**
 * The province generator at a tiny size, through the real CLI, into two fresh databases: the
 * requested counts, every row accepted by the schema's keys and constraints, each county
 * inside its own directory and catalogue, one audit entry per county on an intact chain, the
 * same rows from the same seed, and a second run that adds nothing.
 */
const CLI = resolve(REPO_ROOT, 'server', 'dist', 'cli.js');
const ARGS = ['seed:province', '--counties', '3', '--matters', '40', '--year', '2025', '--seed', '11'];
const env = (url: string): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  NODE_ENV: 'test',
  DATABASE_URL: url,
  LOG_LEVEL: 'warn',
  JWT_SECRET: 'p'.repeat(40),
});
let a: string;
let b: string;

beforeAll(async () => {
  [a, b] = await Promise.all([freshDatabase(), freshDatabase()]).then((d) => d.map((x) => x.url));
  for (const url of [a, b]) {
    const run = await runNode(CLI, ARGS, env(url), 150_000);
    if (run.code !== 0) throw new Error(`seed:province failed:\n${run.output}`);
  }
}, 320_000);
afterAll(() => undefined);

/** Rows of the generated counties (not the demo county, whose activity is dated from now). */
const fingerprint = async (url: string): Promise<string | undefined> =>
  (
    await query<{ h: string }>(
      url,
      `select md5(string_agg(x, '|' order by x)) h from (
         select concat(m.id, m.number, m.place, m.party_name, m.created_at) x from matter m where m.number like '协-%-ZJ%'
         union all select concat(r.id, r.state, r.to_agency_id, r.updated_at) from referral r
           join matter m on m.id = r.matter_id where m.number like '协-%-ZJ%'
         union all select concat(cm.id, cm.seq, cm.body, cm.created_at) from channel_message cm
           join app_user u on u.id = cm.sender_id where u.username like 'zj%'
         union all select concat(id, code, name_zh) from agency where code like 'ZJ%') t`,
    )
  )[0]?.h;

describe('seed:province', () => {
  it('makes the requested counties, each with its own agencies, townships, officers and catalogue', async () => {
    const counties = await query<{ code: string; townships: string; items: string; officers: string }>(
      a,
      `with c as (select distinct split_part(code, '-', 1) code from agency where code ~ '^ZJ[0-9]{2}-')
       select c.code,
              (select count(*) from agency t where t.kind = 'township' and t.code like c.code || '-%') townships,
              (select count(*) from enforcement_item i where i.code like c.code || '-%') items,
              (select count(*) from app_user u join agency ua on ua.id = u.agency_id where ua.code like c.code || '-%') officers
         from c order by 1`,
    );
    expect(counties.map((c) => c.code)).toEqual(['ZJ01', 'ZJ02']);
    const [demoItems] = await query<{ n: string }>(a, `select count(*) n from enforcement_item where code !~ '^ZJ'`);
    for (const c of counties) {
      expect(Number(c.townships)).toBeGreaterThanOrEqual(8);
      expect(Number(c.townships)).toBeLessThanOrEqual(18);
      expect(c.items).toBe(demoItems?.n);
      expect(Number(c.officers)).toBeGreaterThan(50);
    }
    // Every generated agency sits under its county's guidance office, which sits under none.
    const roots = await query<{ code: string; n: string }>(
      a,
      `with recursive up as (select id, code, parent_id, id root from agency where code ~ '^ZJ[0-9]{2}-'
         union all select up.id, up.code, p.parent_id, p.id from up join agency p on p.id = up.parent_id)
       select r.code, count(*) n from up join agency r on r.id = up.root where up.parent_id is null group by 1 order by 1`,
    );
    expect(roots.map((r) => r.code)).toEqual(['ZJ01-ZDB', 'ZJ02-ZDB']);
  });

  it('generates the year asked: the matters per county, and referrals and messages on them', async () => {
    const perCounty = await query<{ county: string; matters: string; referrals: string }>(
      a,
      `select coalesce(substring(m.number from '-(ZJ[0-9]{2})'), 'demo') county, count(distinct m.id) matters,
              count(r.id) referrals
         from matter m left join referral r on r.matter_id = m.id
        where m.started_on between '2025-01-01' and '2025-12-31' group by 1 order by 1`,
    );
    expect(perCounty.map((c) => [c.county, Number(c.matters)])).toEqual([
      ['ZJ01', 40],
      ['ZJ02', 40],
      ['demo', 40],
    ]);
    for (const c of perCounty) expect(Number(c.referrals)).toBeGreaterThan(0);
    // A county's matters and referrals name only that county's agencies and items.
    const crossing = await query<{ n: string }>(
      a,
      `select count(*) n from matter m
         join agency o on o.id = m.origin_agency_id join agency t on t.id = m.township_id
         join enforcement_item i on i.id = m.item_id
         left join referral r on r.matter_id = m.id left join agency ra on ra.id = r.to_agency_id
        where m.number like '协-%-ZJ%'
          and (split_part(o.code, '-', 1) <> substring(m.number from '-(ZJ[0-9]{2})')
            or split_part(t.code, '-', 1) <> split_part(o.code, '-', 1)
            or split_part(i.code, '-', 1) <> split_part(o.code, '-', 1)
            or (ra.id is not null and split_part(ra.code, '-', 1) <> split_part(o.code, '-', 1)))`,
    );
    expect(crossing[0]?.n).toBe('0');
    const [messages] = await query<{ n: string; gaps: string }>(
      a,
      `select count(*) n, count(*) filter (where c.last_seq <> (select max(seq) from channel_message x where x.channel_id = c.id)) gaps
         from channel_message cm join channel c on c.id = cm.channel_id`,
    );
    expect(Number(messages?.n)).toBeGreaterThan(1000);
    expect(messages?.gaps).toBe('0');
  });

  it('records one audit entry per generated county, and the chain verifies', async () => {
    const entries = await query<{ object_id: string }>(
      a,
      `select object_id from audit_entry where action = 'province.county_generated' order by seq`,
    );
    expect(entries.map((e) => e.object_id)).toEqual(['ZJ01', 'ZJ02']);
    const verify = await runNode(CLI, ['audit:verify'], env(a), 60_000);
    expect(verify.output).toContain('audit chain intact');
    expect(verify.code).toBe(0);
  });

  it('reproduces the generated counties from the seed', async () => {
    const [fa, fb] = await Promise.all([fingerprint(a), fingerprint(b)]);
    expect(fa).toBeTruthy();
    expect(fb).toBe(fa);
  });

  it('resumes: a second run finds every county there and adds nothing', async () => {
    const count = async () => (await query<{ n: string }>(a, 'select count(*) n from channel_message'))[0]?.n;
    const before = await count();
    const again = await runNode(CLI, ARGS, env(a), 120_000);
    expect(again.code).toBe(0);
    expect(again.output).toContain('0 counties generated, 3 already there');
    expect(await count()).toBe(before);
  }, 130_000);
});
