import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import ExcelJS from 'exceljs';
import type { AuditEntryView, AuditListQuery, AuditRangeQuery, AuditVerifyResult } from '@xietong/shared';
import { AppConfig } from '../config/app-config.provider.js';
import type { Actor } from '../common/policy/actor.js';
import { PolicyService } from '../common/policy/policy.service.js';
import { ChainWalker, type AuditHash, type ChainBreak } from './audit-chain.js';
import { currentAuditContext, type AuditContext, type AuditNote } from './audit-context.js';
import { AuditSubscriber } from './audit.subscriber.js';
import { AuditChainWriter, chainPending, pendingCount, queueAudit, rowFromNote } from './audit.writer.js';

interface AuditDbRow {
  seq: string;
  at: Date;
  actor_id: string | null;
  actor_name: string | null;
  agency_id: string | null;
  action: string;
  object_type: string;
  object_id: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  request_id: string | null;
  client_address: string | null;
  hash_alg: string;
  prev_hash: string;
  hash: string;
}

const BATCH = 2000;
/** How often each process looks for entries other processes queued (its own commits wake it at once). */
const SWEEP_MS = 1000;
const EXPORT_COLUMNS: [keyof AuditEntryView, string][] = [
  ['seq', '序号'],
  ['at', '时间'],
  ['actorName', '操作人'],
  ['actorId', '操作人ID'],
  ['agencyId', '单位ID'],
  ['action', '操作'],
  ['objectType', '对象类型'],
  ['objectId', '对象ID'],
  ['before', '变更前'],
  ['after', '变更后'],
  ['requestId', '请求ID'],
  ['clientAddress', '客户端地址'],
  ['hashAlg', '杂凑算法'],
  ['prevHash', '前一条杂凑值'],
  ['hash', '杂凑值'],
];

/** Explicit audit entries, the chain writer, chain verification, and the auditors' reading and export. */
@Injectable()
export class AuditService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(AuditService.name);
  private readonly writer: AuditChainWriter;

  constructor(
    private readonly em: EntityManager,
    private readonly config: AppConfig,
    private readonly policy: PolicyService,
  ) {
    this.writer = new AuditChainWriter(em, (e) =>
      this.logger.warn({ err: e }, 'audit chain writer paused: entries stay pending until the next pass'),
    );
  }

  onModuleInit(): void {
    for (const s of this.em.getEventManager().getSubscribers())
      if (s instanceof AuditSubscriber) s.onQueued = () => this.writer.kick();
    this.writer.start(SWEEP_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.writer.stop();
    // What this process committed last is chained now rather than by the next process to start.
    await chainPending(this.em).catch(() => 0);
  }

  /**
   * A statement of the caller's own queued entries into `audit_pending` and has committed (the
   * batched channel sends write theirs in the statement that stores the messages): chain them.
   */
  pendingQueued(): void {
    this.writer.kick();
  }

  /** Chains every entry committed so far: readers of the trail see what the requests before them did. */
  chainCommitted(): Promise<void> {
    return this.writer.drain();
  }

  /** Queues entries now, committed on their own (sign-in outcomes, worker actions). */
  async record(...notes: AuditNote[]): Promise<void> {
    await this.queueNow(notes, currentAuditContext());
  }

  /** Queues entries inside the caller's transaction: they commit with its changes, or neither does. */
  async recordIn(em: EntityManager, ...notes: AuditNote[]): Promise<void> {
    const ctx = currentAuditContext();
    await queueAudit(
      em.getConnection('write'),
      em.getTransactionContext(),
      notes.map((n) => rowFromNote(n, ctx)),
      this.config.audit.hash,
    );
  }

  /** Like `recordIn`, each note with the request context it came from (batched channel sends). */
  async recordEachIn(em: EntityManager, entries: { note: AuditNote; ctx: AuditContext | undefined }[]): Promise<void> {
    await queueAudit(
      em.getConnection('write'),
      em.getTransactionContext(),
      entries.map((e) => rowFromNote(e.note, e.ctx)),
      this.config.audit.hash,
    );
  }

  /** Writes what the request noted (oversight reads, exports); the interceptor calls it as the request ends. */
  async flushNotes(ctx: AuditContext): Promise<void> {
    const notes = ctx.pending.splice(0);
    if (notes.length === 0) return;
    await this.queueNow(notes, ctx);
  }

  /** One insert, its own commit (a single statement needs no transaction around it), then the writer is woken. */
  private async queueNow(notes: AuditNote[], ctx: AuditContext | undefined): Promise<void> {
    await queueAudit(
      this.em.getConnection('write'),
      undefined,
      notes.map((n) => rowFromNote(n, ctx)),
      this.config.audit.hash,
    );
    this.writer.kick();
  }

  /** Walks the whole chain in sequence order; reports the first broken link. */
  async verify(): Promise<AuditVerifyResult> {
    await this.chainCommitted();
    return verifyAuditChain(this.em.fork(), this.config.audit.retentionDays);
  }

  async list(actor: Actor, q: AuditListQuery): Promise<AuditEntryView[]> {
    this.policy.assertAttempt(actor, 'audit.read');
    const where: string[] = ['true'];
    const params: unknown[] = [];
    const and = (sql: string, value: unknown) => {
      where.push(sql);
      params.push(value);
    };
    if (q.objectId) and('object_id = ?', q.objectId);
    if (q.action) and('action = ?', q.action);
    if (q.beforeSeq) and('seq < ?', q.beforeSeq);
    await this.chainCommitted();
    const rows = await this.em
      .fork()
      .execute<AuditDbRow[]>(`select * from audit_entry where ${where.join(' and ')} order by seq desc limit ?`, [
        ...params,
        q.limit,
      ]);
    return rows.map(toView);
  }

  /** A date range (China days, inclusive) as CSV or XLSX; the export itself is an audit entry. */
  async export(actor: Actor, q: AuditRangeQuery): Promise<{ body: Buffer; fileName: string; contentType: string }> {
    this.policy.assertAttempt(actor, 'audit.export');
    await this.chainCommitted();
    const rows = await this.em
      .fork()
      .execute<AuditDbRow[]>(
        `select * from audit_entry where at >= (?::date)::timestamp at time zone 'Asia/Shanghai' and at < (?::date + 1)::timestamp at time zone 'Asia/Shanghai' order by seq`,
        [q.from, q.to],
      );
    const entries = rows.map(toView);
    const cell = (e: AuditEntryView, k: keyof AuditEntryView): string | number => {
      const v = e[k];
      if (v === null) return '';
      return typeof v === 'object' ? JSON.stringify(v) : v;
    };
    let body: Buffer;
    if (q.format === 'csv') {
      const quote = (v: string | number) => {
        const s = String(v);
        // A leading = + - @ would make a spreadsheet run it as a formula.
        const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
        return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
      };
      const lines = [
        EXPORT_COLUMNS.map(([, h]) => h).join(','),
        ...entries.map((e) => EXPORT_COLUMNS.map(([k]) => quote(cell(e, k))).join(',')),
      ];
      body = Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
    } else {
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet('审计日志');
      sheet.addRow(EXPORT_COLUMNS.map(([, h]) => h));
      for (const e of entries) sheet.addRow(EXPORT_COLUMNS.map(([k]) => cell(e, k)));
      body = Buffer.from(await book.xlsx.writeBuffer());
    }
    const note: AuditNote = {
      action: 'audit.export',
      objectType: 'AuditEntry',
      objectId: null,
      after: { from: q.from, to: q.to, format: q.format, entries: entries.length },
    };
    // Recorded before the file leaves: an export nobody can see in the trail does not happen.
    await this.record(note);
    this.logger.log({ actor: actor.userId, from: q.from, to: q.to, entries: entries.length }, 'audit export');
    return {
      body,
      fileName: `audit-${q.from}-${q.to}.${q.format}`,
      contentType:
        q.format === 'csv'
          ? 'text/csv; charset=utf-8'
          : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    };
  }
}

/**
 * The chain walk, shared by the auditors' endpoint and `npm run audit:verify` (both chain what is
 * pending first). Entries committed meanwhile are counted as pending: in the trail, not yet linked.
 */
export async function verifyAuditChain(em: EntityManager, retentionDays: number): Promise<AuditVerifyResult> {
  const walker = new ChainWalker();
  const algorithms = new Set<string>();
  let after = 0;
  let broken: ChainBreak | null = null;
  for (;;) {
    const rows = await em.execute<AuditDbRow[]>('select * from audit_entry where seq > ? order by seq limit ?', [
      after,
      BATCH,
    ]);
    for (const row of rows) {
      const entry = toView(row);
      algorithms.add(entry.hashAlg);
      broken = walker.check({ ...entry, hashAlg: entry.hashAlg as AuditHash });
      if (broken) break;
    }
    if (broken || rows.length < BATCH) break;
    after = Number(rows.at(-1)?.seq ?? after);
  }
  return {
    ok: broken === null,
    entries: walker.count,
    pending: await pendingCount(em),
    algorithms: [...algorithms].sort(),
    retentionDays,
    firstBreak: broken ? { seq: broken.seq, problem: broken.problem, message: describeBreak(broken) } : null,
  };
}

function toView(r: AuditDbRow): AuditEntryView {
  return {
    seq: Number(r.seq),
    at: new Date(r.at).toISOString(),
    actorId: r.actor_id,
    actorName: r.actor_name,
    agencyId: r.agency_id,
    action: r.action,
    objectType: r.object_type,
    objectId: r.object_id,
    before: r.before,
    after: r.after,
    requestId: r.request_id,
    clientAddress: r.client_address,
    hashAlg: r.hash_alg,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export function describeBreak(b: ChainBreak): string {
  switch (b.problem) {
    case 'hash_mismatch':
      return `第 ${b.seq} 条内容与其杂凑值不符（被改动）: stored ${b.stored}, computed ${b.expected}`;
    case 'prev_hash_mismatch':
      return `第 ${b.seq} 条的前序杂凑值与上一条不符（链条断裂）: stored ${b.stored}, expected ${b.expected}`;
    case 'sequence_gap':
      return `第 ${b.seq} 条之前缺少第 ${b.expected} 条（被删除）`;
  }
}
