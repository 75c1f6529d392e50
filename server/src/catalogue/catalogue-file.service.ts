import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { EntityManager, type RequiredEntityData } from '@mikro-orm/postgresql';
import ExcelJS from 'exceljs';
import {
  AgencyKind,
  CATALOGUE_COLUMNS,
  isIsoDate,
  ITEM_CATEGORIES,
  latestVersion,
  sameBoundary,
  todayInChina,
  versionInForce,
  type Boundary,
  type CatalogueColumn,
  type ImportChange,
  type ImportResult,
  type ImportRowError,
  type ItemCategory,
} from '@xietong/shared';
import type { Agency } from '../agencies/agency.entity.js';
import type { Actor } from '../common/policy/actor.js';
import { ValidationFailed } from '../common/errors.js';
import { BoundaryVersionRecord, EnforcementItem } from './catalogue.entity.js';
import { CatalogueService } from './catalogue.service.js';
import { pinyinInitials, toDomainVersion, type AgencyDirectory } from './catalogue.views.js';

export type CatalogueFormat = 'xlsx' | 'csv';

/** Duties a new item starts with when the file (which has no column for them) says nothing. */
export const DEFAULT_EVIDENCE_HANDOFF =
  '监管部门发现违法行为后 3 个工作日内移交现场检查记录、照片视频、当事人信息等证据材料';
export const DEFAULT_RESULT_FEEDBACK = '处罚主体作出处理决定后 7 个工作日内将结果反馈监管部门';

interface ParsedRow {
  row: number;
  code: string;
  nameZh: string;
  category: ItemCategory;
  legalBasis: string;
  transferBatch: string;
  effectiveFrom: string;
  boundary: Boundary;
}

type Progress = (done: number, total: number, phase: 'checking' | 'writing') => void;

const SPLIT = /[、,，;；\s]+/;
const CHUNK = 500;

/** Import and export of the catalogue in the columns county offices keep (XLSX and CSV). */
@Injectable()
export class CatalogueFileService {
  constructor(
    private readonly em: EntityManager,
    private readonly catalogue: CatalogueService,
  ) {}

  /**
   * Checks every row first and imports nothing if any row is bad; a dry run stops after the
   * check. Rows equal to what is already recorded change nothing, so importing a file twice is
   * harmless. Changed boundaries become new versions from the row's 生效日期.
   */
  async import(
    actor: Actor,
    file: Buffer,
    format: CatalogueFormat,
    opts: { dryRun: boolean; fileName?: string | undefined },
    progress: Progress = () => undefined,
  ): Promise<ImportResult> {
    const started = Date.now();
    const table = await readTable(file, format);
    const agencies = await this.catalogue.agencies();
    const errors: ImportRowError[] = [];
    const parsed = parseRows(table, agencies, errors);
    progress(Math.floor(parsed.length / 2), table.rows.length, 'checking');

    const existing = await this.existingByCode(parsed.map((r) => r.code));
    const changes: ImportChange[] = [];
    const plan: {
      row: ParsedRow;
      item?: EnforcementItem;
      latest?: BoundaryVersionRecord;
      action: ImportChange['action'];
    }[] = [];
    for (const row of parsed) {
      const found = existing.get(row.code);
      if (!found) {
        plan.push({ row, action: 'create' });
        continue;
      }
      const latest = latestVersion(found.versions);
      // The row says "from 生效日期 the boundary is this": equal to what was in force then is no change.
      const then = versionInForce(found.versions, row.effectiveFrom) ?? latest;
      const itemChanged =
        found.item.nameZh !== row.nameZh ||
        found.item.category !== row.category ||
        found.item.legalBasis !== row.legalBasis ||
        found.item.transferBatch !== row.transferBatch;
      const boundary = {
        ...row.boundary,
        evidenceHandoffDuty: then?.evidenceHandoffDuty ?? '',
        resultFeedbackDuty: then?.resultFeedbackDuty ?? '',
      };
      if (then && sameBoundary(toDomainVersion(then), boundary)) {
        plan.push({ row, item: found.item, latest, action: itemChanged ? 'update_item' : 'unchanged' });
        continue;
      }
      if (latest && row.effectiveFrom <= latest.effectiveFrom) {
        errors.push({
          row: row.row,
          column: '生效日期',
          message: `生效日期 ${row.effectiveFrom} 与已有第 ${latest.version} 版（${latest.effectiveFrom} 起）重叠：职责边界有变化时须晚于 ${latest.effectiveFrom}`,
        });
        continue;
      }
      plan.push({ row, item: found.item, ...(latest ? { latest } : {}), action: 'new_version' });
    }
    for (const p of plan) {
      changes.push({
        row: p.row.row,
        code: p.row.code,
        nameZh: p.row.nameZh,
        action: p.action,
        effectiveFrom: p.row.effectiveFrom,
      });
    }
    progress(table.rows.length, table.rows.length, 'checking');
    errors.sort((a, b) => a.row - b.row);
    const count = (a: ImportChange['action']) => plan.filter((p) => p.action === a).length;
    const result: ImportResult = {
      dryRun: opts.dryRun,
      applied: false,
      rows: table.rows.length,
      created: count('create'),
      newVersions: count('new_version'),
      updatedItems: count('update_item'),
      unchanged: count('unchanged'),
      errors,
      changes,
      elapsedMs: 0,
    };
    if (errors.length > 0 || opts.dryRun || plan.every((p) => p.action === 'unchanged')) {
      return { ...result, elapsedMs: Date.now() - started };
    }
    await this.apply(actor, plan, opts.fileName, progress);
    return { ...result, applied: true, elapsedMs: Date.now() - started };
  }

  /** Every item with the version in force on `date` (default today), in the office's columns. */
  async export(format: CatalogueFormat, date = todayInChina()): Promise<Buffer> {
    const agencies = await this.catalogue.agencies();
    const items = await this.em.find(EnforcementItem, {}, { orderBy: { code: 'asc' } });
    const versions = await this.em.find(BoundaryVersionRecord, {}, { orderBy: { effectiveFrom: 'asc' } });
    const byItem = new Map<string, BoundaryVersionRecord[]>();
    for (const v of versions) byItem.set(v.item.id, [...(byItem.get(v.item.id) ?? []), v]);
    const name = (id: string | null | undefined) => (id ? (agencies.get(id)?.nameZh ?? '') : '');
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('执法事项目录');
    sheet.addRow([...CATALOGUE_COLUMNS]);
    for (const item of items) {
      const list = byItem.get(item.id) ?? [];
      const v = versionInForce(list, date) ?? latestVersion(list);
      if (!v) continue;
      sheet.addRow([
        item.code,
        item.nameZh,
        item.category,
        item.legalBasis,
        item.transferBatch,
        name(v.supervising?.id),
        name(v.approving?.id),
        name(v.penalising?.id),
        v.delegatedTownshipIds.map((id) => name(id)).join('、'),
        v.effectiveFrom,
      ]);
    }
    sheet.getRow(1).font = { bold: true };
    sheet.columns.forEach((c, i) => (c.width = [18, 40, 10, 60, 10, 24, 24, 24, 40, 12][i] ?? 16));
    if (format === 'xlsx') return Buffer.from(await book.xlsx.writeBuffer());
    // A BOM so that spreadsheet programs read the Chinese as UTF-8.
    return Buffer.concat([Buffer.from('\ufeff', 'utf8'), Buffer.from(await book.csv.writeBuffer())]);
  }

  private async existingByCode(
    codes: string[],
  ): Promise<Map<string, { item: EnforcementItem; versions: BoundaryVersionRecord[] }>> {
    const out = new Map<string, { item: EnforcementItem; versions: BoundaryVersionRecord[] }>();
    for (let i = 0; i < codes.length; i += 2_000) {
      const items = await this.em.find(EnforcementItem, { code: { $in: codes.slice(i, i + 2_000) } });
      const versions = items.length
        ? await this.em.find(
            BoundaryVersionRecord,
            { item: { $in: items.map((x) => x.id) } },
            { orderBy: { effectiveFrom: 'asc' } },
          )
        : [];
      for (const item of items) out.set(item.code, { item, versions: [] });
      const byId = new Map(items.map((x) => [x.id, x.code]));
      for (const v of versions) out.get(byId.get(v.item.id) ?? '')?.versions.push(v);
    }
    return out;
  }

  /** Bulk writes in one transaction: new items and versions inserted in chunks, old versions closed. */
  private async apply(
    actor: Actor,
    plan: { row: ParsedRow; item?: EnforcementItem; latest?: BoundaryVersionRecord; action: ImportChange['action'] }[],
    fileName: string | undefined,
    progress: Progress,
  ): Promise<void> {
    const note = `目录导入${fileName ? `：${fileName}` : ''}`;
    const causeRef = `import:${randomUUID()}`;
    const now = new Date();
    const items: RequiredEntityData<EnforcementItem>[] = [];
    const versions: RequiredEntityData<BoundaryVersionRecord>[] = [];
    const closings: { id: string; to: string }[] = [];
    const itemUpdates: ParsedRow[] = [];
    for (const { row, item, latest, action } of plan) {
      if (action === 'unchanged') continue;
      if (action === 'update_item' || (action === 'new_version' && item)) itemUpdates.push(row);
      if (action === 'update_item') continue;
      const itemId = item?.id ?? randomUUID();
      if (!item) {
        items.push({
          id: itemId,
          code: row.code,
          nameZh: row.nameZh,
          category: row.category,
          legalBasis: row.legalBasis,
          transferBatch: row.transferBatch,
          transferDate: row.effectiveFrom,
          pinyinInitials: pinyinInitials(row.nameZh),
          createdAt: now,
          updatedAt: now,
        });
      }
      if (latest) closings.push({ id: latest.id, to: row.effectiveFrom });
      versions.push({
        id: randomUUID(),
        item: itemId,
        version: (latest?.version ?? 0) + 1,
        effectiveFrom: row.effectiveFrom,
        effectiveTo: null,
        supervising: row.boundary.supervisingAgencyId,
        approving: row.boundary.approvingAgencyId,
        penalising: row.boundary.penalisingAgencyId,
        delegatedTownshipIds: [...row.boundary.delegatedTownshipIds],
        evidenceHandoffDuty: latest?.evidenceHandoffDuty ?? DEFAULT_EVIDENCE_HANDOFF,
        resultFeedbackDuty: latest?.resultFeedbackDuty ?? DEFAULT_RESULT_FEEDBACK,
        reason: 'batch',
        note,
        causeRef,
        createdBy: actor.userId,
        createdAt: now,
      });
    }
    const total = items.length + versions.length + closings.length + itemUpdates.length;
    let done = 0;
    await this.em.transactional(async (em) => {
      if (closings.length) {
        for (let i = 0; i < closings.length; i += CHUNK) {
          const part = closings.slice(i, i + CHUNK);
          await em.execute(
            // One statement per chunk; rows travel as one JSON parameter.
            `update boundary_version b set effective_to = v.closes_on
               from jsonb_to_recordset(?::jsonb) as v(id uuid, closes_on date) where b.id = v.id`,
            [JSON.stringify(part.map((c) => ({ id: c.id, closes_on: c.to })))],
          );
          done += part.length;
          progress(done, total, 'writing');
        }
      }
      for (let i = 0; i < items.length; i += CHUNK) {
        await em.insertMany(EnforcementItem, items.slice(i, i + CHUNK));
        done += Math.min(CHUNK, items.length - i);
        progress(done, total, 'writing');
      }
      for (let i = 0; i < versions.length; i += CHUNK) {
        await em.insertMany(BoundaryVersionRecord, versions.slice(i, i + CHUNK));
        done += Math.min(CHUNK, versions.length - i);
        progress(done, total, 'writing');
      }
      for (let i = 0; i < itemUpdates.length; i += CHUNK) {
        const part = itemUpdates.slice(i, i + CHUNK);
        await em.execute(
          `update enforcement_item e set name_zh = v.name, category = v.category::item_category, legal_basis = v.basis,
                  transfer_batch = v.batch, pinyin_initials = v.initials, updated_at = now()
             from jsonb_to_recordset(?::jsonb) as v(code text, name text, category text, basis text, batch text, initials text)
            where e.code = v.code`,
          [
            JSON.stringify(
              part.map((r) => ({
                code: r.code,
                name: r.nameZh,
                category: r.category,
                basis: r.legalBasis,
                batch: r.transferBatch,
                initials: pinyinInitials(r.nameZh),
              })),
            ),
          ],
        );
        done += part.length;
        progress(done, total, 'writing');
      }
    });
  }
}

interface Table {
  header: Map<CatalogueColumn, number>;
  rows: { row: number; cells: string[] }[];
}

async function readTable(file: Buffer, format: CatalogueFormat): Promise<Table> {
  const book = new ExcelJS.Workbook();
  let sheet: ExcelJS.Worksheet | undefined;
  try {
    if (format === 'xlsx') {
      await book.xlsx.load(file as unknown as ArrayBuffer);
      sheet = book.worksheets[0];
    } else {
      const text = file.toString('utf8').replace(/^\ufeff/, '');
      sheet = await book.csv.read(Readable.from([text]), { parserOptions: { trim: true } });
    }
  } catch {
    throw new ValidationFailed([{ field: 'file', message: `无法读取 ${format.toUpperCase()} 文件 (unreadable file)` }]);
  }
  if (!sheet || sheet.rowCount < 1) throw new ValidationFailed([{ field: 'file', message: '文件为空 (empty file)' }]);
  const headerCells = cellsOf(sheet.getRow(1), sheet.columnCount);
  const header = new Map<CatalogueColumn, number>();
  headerCells.forEach((h, i) => {
    if ((CATALOGUE_COLUMNS as readonly string[]).includes(h)) header.set(h as CatalogueColumn, i);
  });
  const missing = CATALOGUE_COLUMNS.filter((c) => !header.has(c));
  if (missing.length > 0) {
    throw new ValidationFailed(missing.map((c) => ({ field: `columns.${c}`, message: `第 1 行缺少列「${c}」` })));
  }
  const rows: Table['rows'] = [];
  for (let r = 2; r <= sheet.rowCount; r++) {
    const cells = cellsOf(sheet.getRow(r), sheet.columnCount);
    if (cells.every((c) => c === '')) continue;
    rows.push({ row: r, cells });
  }
  return { header, rows };
}

function cellsOf(row: ExcelJS.Row, count: number): string[] {
  const out: string[] = [];
  for (let c = 1; c <= count; c++) out.push(cellText(row.getCell(c).value));
  return out;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    // Spreadsheet dates are calendar days; read them in China Standard Time.
    return todayInChina(value);
  }
  if (typeof value === 'object') {
    if ('richText' in value)
      return value.richText
        .map((t) => t.text)
        .join('')
        .trim();
    if ('text' in value) return String(value.text).trim();
    if ('result' in value) return cellText(value.result);
    return '';
  }
  return String(value).trim();
}

/** Checks every row; collects every problem with its row number and column. */
function parseRows(table: Table, agencies: AgencyDirectory, errors: ImportRowError[]): ParsedRow[] {
  const byName = new Map<string, Agency>();
  for (const a of agencies.values()) {
    byName.set(a.nameZh, a);
    byName.set(a.code, a);
  }
  const seen = new Map<string, number>();
  const out: ParsedRow[] = [];
  for (const { row, cells } of table.rows) {
    const get = (c: CatalogueColumn) => cells[table.header.get(c) ?? -1] ?? '';
    const rowErrors: ImportRowError[] = [];
    const fail = (column: CatalogueColumn, message: string) => rowErrors.push({ row, column, message });
    for (const c of ['事项编码', '事项名称', '类别', '法律依据', '划转批次', '生效日期'] as const) {
      if (!get(c)) fail(c, `缺少「${c}」`);
    }
    const code = get('事项编码');
    if (code) {
      const first = seen.get(code);
      if (first !== undefined) fail('事项编码', `事项编码 ${code} 与第 ${first} 行重复`);
      else seen.set(code, row);
      if (code.length > 64) fail('事项编码', '事项编码过长（最多 64 字符）');
    }
    const category = get('类别');
    if (category && !(ITEM_CATEGORIES as readonly string[]).includes(category)) {
      fail('类别', `未知类别「${category}」，可选：${ITEM_CATEGORIES.join('、')}`);
    }
    const date = get('生效日期').replace(/[/.]/g, '-');
    if (get('生效日期') && !isIsoDate(date)) fail('生效日期', `日期「${get('生效日期')}」无效，须为 YYYY-MM-DD`);
    const agency = (column: CatalogueColumn): string | null => {
      const name = get(column);
      if (!name) return null;
      const a = byName.get(name);
      if (!a) {
        fail(column, `未知单位「${name}」`);
        return null;
      }
      return a.id;
    };
    const supervising = agency('监管部门');
    const approving = agency('审批部门');
    const penalising = agency('处罚主体');
    const delegated: string[] = [];
    for (const name of get('赋权乡镇').split(SPLIT).filter(Boolean)) {
      const a = byName.get(name);
      if (!a) fail('赋权乡镇', `未知乡镇「${name}」`);
      else if (a.kind !== AgencyKind.Township || !a.delegated) fail('赋权乡镇', `「${name}」不是赋权乡镇`);
      else delegated.push(a.id);
    }
    if (rowErrors.length > 0) {
      errors.push(...rowErrors);
      continue;
    }
    out.push({
      row,
      code,
      nameZh: get('事项名称'),
      category: category as ItemCategory,
      legalBasis: get('法律依据'),
      transferBatch: get('划转批次'),
      effectiveFrom: date,
      boundary: {
        supervisingAgencyId: supervising,
        approvingAgencyId: approving,
        penalisingAgencyId: penalising,
        delegatedTownshipIds: [...new Set(delegated)],
        evidenceHandoffDuty: '',
        resultFeedbackDuty: '',
      },
    });
  }
  return out;
}
