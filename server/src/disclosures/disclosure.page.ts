import type { PublicDisclosureList } from '@xietong/shared';

const escape = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** 行政执法公示 as one HTML page: the masked list, every value escaped. */
export function disclosurePage(list: PublicDisclosureList): string {
  const rows = list.disclosures
    .map(
      (d) =>
        `<tr><td>${escape(d.matterNumber)}</td><td>${escape(d.itemName)}</td><td>${escape(d.partyName)}${
          d.partyIdNumber ? `<br><small>${escape(d.partyIdNumber)}</small>` : ''
        }</td><td>${escape(d.township)}</td><td>${escape(d.decision)}</td><td>${escape(d.decidedOn)}</td><td>${escape(
          d.agencyName,
        )}</td><td>${escape(d.publishedOn)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>行政执法公示 · 县域多部门执法协同平台</title>
<style>body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:2rem;color:#1f2328}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #d0d7de;padding:.5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}small{color:#57606a}</style></head>
<body><h1>行政执法公示</h1>
<p>行政处罚决定信息公开（共 ${list.total} 条）。自然人姓名、身份证号码、电话号码已按规定隐去部分信息。</p>
<table><thead><tr><th>案件编号</th><th>执法事项</th><th>当事人</th><th>乡镇（街道）</th><th>处罚决定</th><th>决定日期</th><th>执法机关</th><th>公示日期</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="8">暂无公示信息</td></tr>'}
</tbody></table></body></html>`;
}
