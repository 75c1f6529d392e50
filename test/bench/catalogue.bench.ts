import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { MikroORM, RequestContext } from '@mikro-orm/postgresql';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { CATALOGUE_COLUMNS, ITEM_CATEGORIES, responsibleFor, type BoundaryVersion } from '@xietong/shared';
import { VERSION_COLUMNS_SQL, versionFromRow, type VersionRow } from '@xietong/server/catalogue/catalogue.views';
import type { Actor } from '@xietong/server/common/policy/actor';
import { CatalogueFileService } from '@xietong/server/catalogue/catalogue-file.service';
import { CatalogueService } from '@xietong/server/catalogue/catalogue.service';
import { startServer } from '@xietong/server/bootstrap';
import { bar, benchServerEnv, percentiles, type BenchResult, type Rng } from './lib.js';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 5_000);
const TOWNSHIPS = 20;
const QUESTIONS = Number(process.env.BENCH_QUESTIONS ?? 20_000);

/**
 * The catalogue at the size of a busy county: 5,000 items × 20 townships. Measures the
 * responsibility question through the real service in-process (p50/p99), the same question as
 * one raw SQL query (the baseline), the pure rule over preloaded data, and a 5,000-row import
 * against a raw multi-row INSERT of the same rows.
 */
export async function catalogueBench(databaseUrl: string, rng: Rng, log: (m: string) => void): Promise<BenchResult[]> {
  const server = await startServer(benchServerEnv(databaseUrl, `bench_${Date.now().toString(36)}`));
  const raw = new pg.Client({ connectionString: databaseUrl });
  await raw.connect();
  try {
    const orm = server.app.get(MikroORM);
    const catalogue = server.app.get(CatalogueService);
    const files = server.app.get(CatalogueFileService);

    // Twelve more delegated townships, so that questions span 20.
    for (let i = 1; i <= TOWNSHIPS - 8; i++) {
      await raw.query(
        `insert into agency (id, code, kind, name_zh, name_en, delegated, created_at)
         values ($1, $2, 'township', $3, $4, $5, now()) on conflict (code) do nothing`,
        [randomUUID(), `XZ-B${i}`, `测试乡镇${i}`, `Bench township ${i}`, i % 2 === 0],
      );
    }
    const townships = (
      await raw.query<{ id: string; name_zh: string; delegated: boolean }>(
        "select id, name_zh, delegated from agency where kind = 'township' order by code",
      )
    ).rows;
    const delegatable = townships.filter((t) => t.delegated);
    const [sysadmin] = (
      await raw.query<{ id: string; agency_id: string }>(
        "select id, agency_id from app_user where username = 'sysadmin'",
      )
    ).rows;
    const actor: Actor = {
      userId: sysadmin?.id ?? '',
      username: 'sysadmin',
      agencyId: sysadmin?.agency_id ?? '',
      roles: ['system_admin'],
      sessionId: randomUUID(),
    };

    // ---- import: 5,000 rows through the product, and the same rows as raw INSERTs ----
    log(`import: building a ${ITEMS}-row XLSX`);
    const rows = Array.from({ length: ITEMS }, (_, i) => {
      const delegated = delegatable.filter(() => rng() < 0.35).map((t) => t.name_zh);
      const year = 2019 + Math.floor(rng() * 5);
      return {
        事项编码: `BENCH-${String(i).padStart(5, '0')}`,
        事项名称: `对违反城市管理规定第${i}项行为的行政处罚`,
        类别: ITEM_CATEGORIES[i % ITEM_CATEGORIES.length] ?? '市容环境',
        法律依据: `《浙江省综合行政执法条例》第${(i % 60) + 1}条`,
        划转批次: ['第一批', '第二批', '第三批'][i % 3] ?? '第一批',
        监管部门:
          ['龙游县住房和城乡建设局', '龙游县自然资源和规划局', '衢州市生态环境局龙游分局', '龙游县市场监督管理局'][
            i % 4
          ] ?? '',
        审批部门: i % 3 === 0 ? '' : '龙游县住房和城乡建设局',
        处罚主体: '龙游县综合行政执法局',
        赋权乡镇: delegated.join('、'),
        生效日期: `${year}-0${1 + Math.floor(rng() * 9)}-1${Math.floor(rng() * 9)}`,
      };
    });
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('事项');
    sheet.addRow([...CATALOGUE_COLUMNS]);
    for (const r of rows) sheet.addRow(CATALOGUE_COLUMNS.map((c) => r[c]));
    const xlsx = Buffer.from(await book.xlsx.writeBuffer());

    let lastShown = -1;
    const t0 = performance.now();
    const result = await RequestContext.create(orm.em, () =>
      files.import(actor, xlsx, 'xlsx', { dryRun: false, fileName: 'bench.xlsx' }, (done, total, phase) => {
        const pct = Math.floor((done / Math.max(1, total)) * 20);
        if (pct !== lastShown) {
          lastShown = pct;
          log(`import ${phase.padEnd(8)} ${bar(done, total)}`);
        }
      }),
    );
    const importMs = performance.now() - t0;
    if (!result.applied || result.created !== ITEMS)
      throw new Error(`import did not apply: ${JSON.stringify(result.errors.slice(0, 3))}`);

    await raw.query('create temp table bench_raw (like enforcement_item including defaults)');
    const r0 = performance.now();
    for (let i = 0; i < rows.length; i += 500) {
      const part = rows.slice(i, i + 500);
      const values: unknown[] = [];
      const tuples = part.map((r, j) => {
        values.push(randomUUID(), r.事项编码, r.事项名称, r.类别, r.法律依据, r.划转批次, r.生效日期);
        const b = j * 7;
        return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}::item_category, $${b + 5}, $${b + 6}, $${b + 7}::date, '', now(), now())`;
      });
      await raw.query(
        `insert into bench_raw (id, code, name_zh, category, legal_basis, transfer_batch, transfer_date, pinyin_initials, created_at, updated_at)
         values ${tuples.join(',')}`,
        values,
      );
    }
    const rawInsertMs = performance.now() - r0;

    // ---- the responsibility question ----
    const codes = rows.map((r) => r.事项编码);
    const questions = Array.from({ length: QUESTIONS }, () => ({
      code: codes[Math.floor(rng() * codes.length)] ?? '',
      township: townships[Math.floor(rng() * townships.length)]?.id ?? '',
      date: `202${4 + Math.floor(rng() * 3)}-0${1 + Math.floor(rng() * 9)}-15`,
    }));

    log(`responsibility: ${QUESTIONS} questions through CatalogueService (in-process, PostgreSQL)`);
    const service: number[] = [];
    for (const [n, q] of questions.entries()) {
      const s = performance.now();
      await RequestContext.create(orm.em, () => catalogue.responsibility(q.code, q.township, q.date));
      service.push(performance.now() - s);
      if (n % 2000 === 0) log(`  ${bar(n, questions.length)}`);
    }

    log('responsibility: the same question as one raw SQL query (baseline)');
    const sql: number[] = [];
    for (const q of questions) {
      const s = performance.now();
      await raw.query(
        `select v.supervising_id, v.approving_id,
                case when $2 = any(v.delegated_township_ids) then $2::uuid else v.penalising_id end as penalising_id
           from enforcement_item i join boundary_version v on v.item_id = i.id
          where i.code = $1 and v.effective_from <= $3::date and (v.effective_to is null or v.effective_to > $3::date)`,
        [q.code, q.township, q.date],
      );
      sql.push(performance.now() - s);
    }

    log('responsibility: the pure rule over versions preloaded in memory');
    const all = (
      await raw.query<VersionRow & { code: string }>(
        `select i.code, ${VERSION_COLUMNS_SQL} from boundary_version v join enforcement_item i on i.id = v.item_id`,
      )
    ).rows;
    const index = new Map<string, BoundaryVersion[]>();
    for (const r of all) index.set(r.code, [...(index.get(r.code) ?? []), versionFromRow(r)]);
    const pure: number[] = [];
    for (const q of questions) {
      const s = performance.now();
      responsibleFor(index.get(q.code) ?? [], q.township, q.date);
      pure.push(performance.now() - s);
    }

    const svc = percentiles(service);
    const base = percentiles(sql);
    const mem = percentiles(pure);
    return [
      {
        name: `responsibility question, ${ITEMS} items × ${TOWNSHIPS} townships, via CatalogueService`,
        unit: 'ms',
        p50: svc.p50,
        p99: svc.p99,
        baseline: { name: 'one raw SQL query (pg)', p50: base.p50, p99: base.p99 },
        target: 'p99 < 2 ms',
        met: svc.p99 < 2,
      },
      {
        name: 'responsibility rule alone (shared/responsibleFor, preloaded versions)',
        unit: 'ms',
        p50: mem.p50,
        p99: mem.p99,
        baseline: { name: 'one raw SQL query (pg)', p50: base.p50, p99: base.p99 },
      },
      {
        name: `import of a ${ITEMS}-row XLSX (parse, check every row, write items and versions)`,
        unit: 'ms',
        total: importMs,
        baseline: { name: `raw multi-row INSERT of the same ${ITEMS} rows (pg)`, total: rawInsertMs },
        target: '< 10 s',
        met: importMs < 10_000,
      },
    ];
  } finally {
    await raw.end();
    await server.close();
  }
}
