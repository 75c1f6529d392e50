import { createRequire } from 'node:module';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import { STATISTICS_SECTIONS, type StatisticsSectionKey, type StatisticsView } from '@xietong/shared';

/**
 * The statistical part of the annual rule-of-law report (法治政府建设年度报告), built from one
 * StatisticsView so the workbook, the printable document and the API show the same numbers.
 * One table per section: the XLSX writes each as a sheet, the PDF prints them in order.
 */
export interface ReportTable {
  key: StatisticsSectionKey;
  title: string;
  /** the report's sentence for this section */
  summary: string;
  columns: string[];
  rows: (string | number)[][];
}

const title = (key: StatisticsSectionKey): string => STATISTICS_SECTIONS.find((s) => s.key === key)?.title ?? key;
const hours = (h: number | null): string => (h === null ? '—' : `${h}小时`);

export function reportTables(s: StatisticsView): ReportTable[] {
  const m = s.matters;
  const r = s.referrals;
  const w = s.workload;
  const ji = s.joint_interviews;
  const rv = s.reviews;
  const ca = s.court_applications;
  const dc = s.disclosures;
  const ch = s.channels;
  return [
    {
      key: 'matters',
      title: title('matters'),
      summary:
        `全年共承办行政处罚案件${m.total}件，${m.growth.total.text}，其中一般程序案件${m.general}件、` +
        `简易程序案件${m.simple}件。`,
      columns: ['事项类别', '一般程序', '简易程序', '合计'],
      rows: [
        ...m.byCategory.map((c) => [c.category, c.general, c.simple, c.total]),
        ['合计', m.general, m.simple, m.total],
        ['上年同期', m.growth.general.previous, m.growth.simple.previous, m.growth.total.previous],
        ['增减', m.growth.general.text, m.growth.simple.text, m.growth.total.text],
      ],
    },
    {
      key: 'referrals',
      title: title('referrals'),
      summary:
        `全年移送（转办）${r.total}件，${r.growth.text}；签收用时中位数${hours(r.timeToSign.medianHours)}，` +
        `受理用时中位数${hours(r.timeToAccept.medianHours)}；退回${r.returned}件，退回率${r.returnedRate}%。`,
      columns: ['项目', '分类', '数量'],
      rows: [
        ...r.byKind.map((k) => ['移送类型', k.label, k.count]),
        ...r.bySender.map((a) => ['移送单位', a.name, a.count]),
        ...r.byReceiver.map((a) => ['接收单位', a.name, a.count]),
        ['签收用时', '中位数（小时）', r.timeToSign.medianHours ?? '—'],
        ['签收用时', '90%分位（小时）', r.timeToSign.p90Hours ?? '—'],
        ['受理用时', '中位数（小时）', r.timeToAccept.medianHours ?? '—'],
        ['受理用时', '90%分位（小时）', r.timeToAccept.p90Hours ?? '—'],
        ['退回', '退回件数', r.returned],
        ['退回', '退回率（%）', r.returnedRate],
        ...r.returnReasons.map((x) => ['退回理由', x.label, x.count]),
      ],
    },
    {
      key: 'clocks',
      title: title('clocks'),
      summary:
        `全年启动法定时限${s.clocks.started}个，按期完成${s.clocks.metOnTime}个，临期预警${s.clocks.warned}个，` +
        `逾期${s.clocks.overdue}个，逾期上报${s.clocks.escalated}个。`,
      columns: ['项目', '数量'],
      rows: [
        ['启动时限', s.clocks.started],
        ['已完成', s.clocks.met],
        ['按期完成', s.clocks.metOnTime],
        ['临期预警', s.clocks.warned],
        ['逾期', s.clocks.overdue],
        ['逾期上报', s.clocks.escalated],
      ],
    },
    {
      key: 'disputes',
      title: title('disputes'),
      summary:
        `全年产生职责争议${s.disputes.opened}起，其中“争着推”${s.disputes.bothRefuse}起、` +
        `“争着管”${s.disputes.bothClaim}起；已裁决${s.disputes.ruled}起，尚未裁决${s.disputes.stillOpen}起。`,
      columns: ['事项编码', '事项名称', '争议数', '争着推', '争着管', '已裁决'],
      rows: [
        ...s.disputes.byItem.map((i) => [i.itemCode, i.itemName, i.count, i.bothRefuse, i.bothClaim, i.ruled]),
        ['合计', '全部', s.disputes.opened, s.disputes.bothRefuse, s.disputes.bothClaim, s.disputes.ruled],
        ['已受理未裁决', '', s.disputes.accepted, '', '', ''],
        ['陈述意见', '', s.disputes.positions, '', '', ''],
        ['裁决用时中位数（天）', '', s.disputes.medianDaysToRuling ?? '—', '', '', ''],
      ],
    },
    {
      key: 'workload',
      title: title('workload'),
      summary:
        `执法人员${w.officers}人，人均办案${w.perOfficer}件；办案数量为个位数的${w.under10}人，` +
        `占${w.under10Share}%。`,
      columns: ['单位', '执法人员', '办案量', '人均', '个位数人数'],
      rows: [
        ...w.units.map((u) => [u.name, u.officers, u.matters, u.perOfficer, u.under10]),
        ['合计', w.officers, w.matters, w.perOfficer, w.under10],
        ...w.distribution.map((d) => [`分布：${d.label}`, d.officers, '', '', '']),
      ],
    },
    {
      key: 'joint_interviews',
      title: title('joint_interviews'),
      summary:
        `全年组织共同约谈${ji.organised}次，已约谈${ji.held}次；整改到位${ji.rectified}起，` +
        `整改不到位移交处理${ji.escalated}起，整改率${ji.rectificationRate}%。`,
      columns: ['项目', '数量'],
      rows: [
        ['组织约谈', ji.organised],
        ['已约谈', ji.held],
        ['整改跟踪中', ji.awaitingRectification],
        ['整改到位', ji.rectified],
        ['移交处理', ji.escalated],
        ['已取消', ji.cancelled],
        ['整改率（%）', ji.rectificationRate],
      ],
    },
    {
      key: 'reviews',
      title: title('reviews'),
      summary:
        `全年接受检察监督${rv.opened}件，收到检察建议${rv.suggestions}件，已回复${rv.replied}件，` +
        `回复率${rv.replyRate}%；提起公益诉讼${rv.publicInterestLitigation}件。`,
      columns: ['项目', '数量'],
      rows: [
        ['监督件数', rv.opened],
        ['审查中', rv.inReview],
        ['无异议', rv.noObjection],
        ['检察建议', rv.suggestions],
        ['已回复', rv.replied],
        ['待回复', rv.awaitingReply],
        ['回复率（%）', rv.replyRate],
        ['公益诉讼', rv.publicInterestLitigation],
        ['立案监督', rv.filingSupervision],
      ],
    },
    {
      key: 'court_applications',
      title: title('court_applications'),
      summary:
        `全年申请人民法院强制执行${ca.applications}件，法院受理${ca.accepted}件，裁定准予执行${ca.granted}件、` +
        `不准予执行${ca.refused}件，执行完毕${ca.executed}件。`,
      columns: ['项目', '数量'],
      rows: [
        ['申请件数', ca.applications],
        ['已向法院申请', ca.applied],
        ['法院受理', ca.accepted],
        ['不予受理', ca.notAccepted],
        ['准予执行', ca.granted],
        ['不准予执行', ca.refused],
        ['执行完毕', ca.executed],
        ['撤回', ca.withdrawn],
        ['准予执行率（%）', ca.grantedRate],
        ...ca.byOutcome.map((o) => [`执行结果：${o.label}`, o.count]),
      ],
    },
    {
      key: 'disclosures',
      title: title('disclosures'),
      summary:
        `全年应公示行政处罚决定${dc.due}件，已公示${dc.published}件，其中逾期公示${dc.publishedLate}件；` +
        `逾期未公示${dc.overdue}件，逾期率${dc.lateShare}%。`,
      columns: ['项目', '数量'],
      rows: [
        ['应公示', dc.due],
        ['已公示', dc.published],
        ['按期公示', dc.publishedOnTime],
        ['逾期公示', dc.publishedLate],
        ['逾期未公示', dc.overdue],
        ['待公示（未到期）', dc.queued],
        ['已撤回', dc.withdrawn],
        ['逾期率（%）', dc.lateShare],
      ],
    },
    {
      key: 'channels',
      title: title('channels'),
      summary: `全年协同群组发送消息${ch.messages}条，其中须确认消息${ch.requiringAck}条。`,
      columns: ['群组类型', '群组数', '消息数', '须确认', '已确认', '未确认', '确认中位（分钟）', '确认P90（分钟）'],
      rows: [
        ...ch.byKind.map((k) => [
          k.label,
          k.channels,
          k.messages,
          k.requiringAck,
          k.acks,
          k.pendingAcks,
          k.ackMedianMinutes ?? '—',
          k.ackP90Minutes ?? '—',
        ]),
        ['合计', '', ch.messages, ch.requiringAck, '', '', '', ''],
      ],
    },
  ];
}

function heading(s: StatisticsView): string {
  const scope = s.scope.countyWide ? '全县' : s.scope.agencies.map((a) => a.name).join('、');
  return `${scope}${s.period.from.slice(0, 4)}年法治政府建设年度报告（统计部分）`;
}

export async function reportXlsx(s: StatisticsView): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '县域多部门执法协同平台';
  const cover = wb.addWorksheet('说明');
  cover.addRows([
    [heading(s)],
    ['统计区间', `${s.period.from} 至 ${s.period.to}`],
    ['对比区间', `${s.period.previousFrom} 至 ${s.period.previousTo}`],
    ['数据截至', s.rollupRefreshedAt ?? '—'],
    ...(s.sections.pending.length ? [['暂未纳入', s.sections.pending.map(title).join('、')]] : []),
  ]);
  cover.getColumn(1).width = 16;
  cover.getColumn(2).width = 60;
  for (const t of reportTables(s)) {
    const sheet = wb.addWorksheet(t.title);
    sheet.addRow([t.summary]);
    sheet.addRow(t.columns).font = { bold: true };
    sheet.addRows(t.rows);
    sheet.columns.forEach((c, i) => (c.width = i === 0 ? 24 : 16));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// Noto Sans SC (OFL) shipped in an npm package: the PDF embeds the glyphs it uses.
const require = createRequire(import.meta.url);
const FONT = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
const FONT_BOLD = require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf');

export function reportPdf(s: StatisticsView): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: heading(s) } });
  doc.registerFont('body', FONT);
  doc.registerFont('bold', FONT_BOLD);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((ok, fail) => {
    doc.on('end', () => ok(Buffer.concat(chunks)));
    doc.on('error', fail);
  });
  doc.font('bold').fontSize(16).text(heading(s), { align: 'center' });
  doc.moveDown(0.5);
  doc.font('body').fontSize(10).text(`统计区间：${s.period.from} 至 ${s.period.to}`, { align: 'center' });
  doc.moveDown();
  const tables = reportTables(s);
  tables.forEach((t, i) => {
    doc.font('bold').fontSize(12).text(`${'一二三四五六七八九十'[i]}、${t.title}`);
    doc.moveDown(0.3);
    doc.font('body').fontSize(10.5).text(t.summary, { lineGap: 3 });
    doc.moveDown(0.5);
    if (t.key === 'matters')
      barChart(
        doc,
        '各类别案件数',
        s.matters.byCategory.map((c) => [c.category, c.total]),
      );
    if (t.key === 'channels')
      barChart(
        doc,
        '各类群组消息数',
        s.channels.byKind.map((k) => [k.label, k.messages]),
      );
    if (t.key === 'workload')
      barChart(
        doc,
        '执法人员办案量分布（人）',
        s.workload.distribution.map((d) => [d.label, d.officers]),
      );
    table(doc, t);
    doc.moveDown();
  });
  if (s.sections.pending.length)
    doc
      .font('body')
      .fontSize(9)
      .fillColor('#666')
      .text(`以下部分待相应功能上线后纳入：${s.sections.pending.map(title).join('、')}。`);
  doc.end();
  return done;
}

/** A horizontal bar chart drawn with vector shapes (prints sharp at any size). */
function barChart(doc: PDFKit.PDFDocument, caption: string, data: [string, number][]): void {
  if (data.length === 0) return;
  const left = doc.page.margins.left;
  const labelWidth = 110;
  const width = doc.page.width - left - doc.page.margins.right - labelWidth - 40;
  const barHeight = 12;
  const needed = 20 + data.length * (barHeight + 6);
  if (doc.y + needed > doc.page.height - doc.page.margins.bottom) doc.addPage();
  doc.font('bold').fontSize(9.5).fillColor('#000').text(caption, left, doc.y);
  let y = doc.y + 4;
  const max = Math.max(1, ...data.map(([, n]) => n));
  for (const [label, n] of data) {
    doc
      .font('body')
      .fontSize(9)
      .fillColor('#333')
      .text(label, left, y, { width: labelWidth - 6, align: 'right' });
    const w = Math.max(1, (n / max) * width);
    doc.rect(left + labelWidth, y + 1, w, barHeight - 2).fill('#2f6fb3');
    doc.fillColor('#000').text(String(n), left + labelWidth + w + 4, y, { lineBreak: false });
    y += barHeight + 6;
  }
  doc.x = left;
  doc.y = y + 6;
}

function table(doc: PDFKit.PDFDocument, t: ReportTable): void {
  const left = doc.page.margins.left;
  const full = doc.page.width - left - doc.page.margins.right;
  const first = full * 0.4;
  const rest = (full - first) / Math.max(1, t.columns.length - 1);
  const widths = t.columns.map((_, i) => (i === 0 ? first : rest));
  const row = (cells: (string | number)[], bold: boolean): void => {
    if (doc.y + 16 > doc.page.height - doc.page.margins.bottom) doc.addPage();
    const y = doc.y;
    let x = left;
    doc
      .font(bold ? 'bold' : 'body')
      .fontSize(9)
      .fillColor('#000');
    cells.forEach((c, i) => {
      const w = (widths[i] ?? rest) - 4;
      doc.text(fit(doc, String(c), w), x + 2, y, { width: w, lineBreak: false });
      x += widths[i] ?? rest;
    });
    doc
      .moveTo(left, y + 14)
      .lineTo(left + full, y + 14)
      .lineWidth(0.3)
      .strokeColor('#999')
      .stroke();
    doc.x = left;
    doc.y = y + 16;
  };
  row(t.columns, true);
  for (const r of t.rows) row(r, false);
}

/** The text cut to one line of the cell, with an ellipsis where it had to be cut. */
function fit(doc: PDFKit.PDFDocument, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  let cut = text;
  while (cut.length > 1 && doc.widthOfString(`${cut}…`) > width) cut = cut.slice(0, -1);
  return `${cut}…`;
}
