import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import {
  AGENCY_KIND_LABELS,
  HOLD_REASON_LABELS,
  OUTCOME_LABELS,
  REFERRAL_ACTION_LABELS,
  REFERRAL_ACTIONS,
  REFERRAL_KIND_LABELS,
  REFERRAL_STATE_LABELS,
  RETURN_REASON_LABELS,
  ROLE_LABELS,
  type AgencyKind,
  type HoldReason,
  type Outcome,
  type ReferralAction,
  type ReferralKind,
  type ReferralState,
  type ReturnReason,
  type Role,
  type RoutingRuleCode,
} from '@xietong/shared';

/**
 * The i18n layer: Chinese first, English as the switch. Domain labels in Chinese come from
 * `@xietong/shared` (one source); their English renderings live here, typed so a new state or
 * action cannot be added without one.
 */
export type Lang = 'zh' | 'en';

const zh = {
  'app.title': '县域多部门执法协同平台',
  'app.short': '执法协同',
  'lang.switch': 'English',
  'menu.inbox': '收件箱',
  'menu.send': '发起移送',
  'menu.outbox': '已发移送',
  'menu.notifications': '消息通知',
  'menu.open': '打开菜单',
  'signin.title': '登录',
  'signin.username': '用户名',
  'signin.password': '密码',
  'signin.submit': '登录',
  'signin.failed': '登录失败',
  signout: '退出登录',
  'signout.done': '已退出登录',
  'user.roles': '角色',
  'conn.connecting': '正在连接实时服务…',
  'conn.reconnecting': '连接中断，正在重新连接…（期间的变化将在恢复后同步）',
  'conn.back': '已重新连接，数据已同步',
  'common.all': '全部',
  'common.retry': '重试',
  'common.loading': '加载中…',
  'common.empty': '暂无数据',
  'common.cancel': '取消',
  'common.confirm': '确定',
  'common.back': '返回',
  'common.note': '备注',
  'common.error': '出错了',
  'common.offline': '无法连接服务器',
  'box.inbox.title': '收件箱：收到的移送',
  'box.outbox.title': '已发移送',
  'referral.from': '移送单位',
  'referral.to': '接收单位',
  'referral.inform': '同时告知',
  'referral.kind': '移送类型',
  'referral.state': '状态',
  'referral.updated': '更新于',
  'referral.routing': '路由依据',
  'referral.override': '手动指定接收单位的理由',
  'referral.actions': '可办理的操作',
  'referral.noActions': '当前状态下您无可办理的操作',
  'referral.done': '已{action}',
  'clock.none': '无计时',
  'clock.left.working': '剩 {n} 个工作日',
  'clock.left.natural': '剩 {n} 天',
  'clock.today': '今日到期',
  'clock.overdue': '已逾期',
  'clock.overdue.working': '逾期 {n} 个工作日',
  'clock.overdue.natural': '逾期 {n} 天',
  'clock.paused': '已中止计时',
  'clock.provisional': '暂定',
  'clock.provisional.tip': '该年度放假安排尚未加载，期限按法定节假日暂算，加载后可能调整',
  'clock.deadline': '期限',
  'clock.basis': '依据',
  'clock.pending': '延期申请待批：{amount}（{reason}）',
  'clock.extend': '申请延期',
  'clock.extend.amount': '延长期限（按该期限的计算单位）',
  'clock.extend.reason': '延期理由',
  'clock.extend.sent': '延期申请已提交',
  'clock.grant': '批准延期',
  'clock.refuse': '不批准',
  'clock.decided': '已处理延期申请',
  'clocks.title': '法定期限',
  'field.reasonCode': '退回理由',
  'field.reasonText': '理由说明',
  'field.boundaryClause': '所依据的职责边界条款',
  'field.boundaryClause.cite': '引用本案适用的职责边界',
  'field.missingMaterials': '所缺材料（每行一项）',
  'field.holdReason': '中止事由',
  'field.outcome': '办理结果',
  'field.outcomeText': '结果说明（如决定书文号）',
  'field.note': '备注',
  'field.receivingAgencyId': '改送单位（不填则按职责边界路由）',
  'field.overrideReason': '手动指定的理由',
  'matter.title': '案件信息',
  'matter.number': '案件编号',
  'matter.item': '执法事项',
  'matter.township': '乡镇（街道）',
  'matter.place': '地点',
  'matter.party': '当事人',
  'matter.party.kind': '当事人类型',
  'matter.party.person': '自然人',
  'matter.party.company': '单位',
  'matter.party.name': '当事人名称',
  'matter.party.idNumber': '身份证号 / 统一社会信用代码',
  'matter.procedure': '程序',
  'matter.procedure.general': '一般程序',
  'matter.procedure.simple': '简易程序',
  'matter.flags': '标记',
  'matter.flags.majorDifficult': '重大疑难',
  'matter.flags.publicInterestClue': '公益诉讼线索',
  'matter.flags.suspectedCrime': '涉嫌犯罪',
  'matter.startedOn': '立案日期',
  'matter.summary': '案情摘要',
  'timeline.title': '办理时间线',
  'attachments.title': '附件',
  'attachments.upload': '上传附件',
  'attachments.uploaded': '已上传 {name}',
  'attachments.download': '下载',
  'send.title': '发起移送',
  'send.matter': '第一步：案件',
  'send.referral': '第二步：移送',
  'send.item.placeholder': '输入事项名称、编码或拼音首字母（如 zyd）',
  'send.township.placeholder': '选择乡镇（街道）',
  'send.preview': '将送达',
  'send.preview.hint': '选择执法事项、乡镇和移送类型后，这里显示接收单位及理由',
  'send.preview.unrouted': '职责边界无法确定接收单位（{rule}），请手动指定接收单位并说明理由，或提请指导办',
  'send.preview.why': '为什么是它',
  'send.preview.version': '依据职责边界第 {version} 版（{from} 起施行）',
  'send.override': '改送其他单位（须说明理由）',
  'send.override.agency': '接收单位',
  'send.note': '移送说明',
  'send.submit': '确认移送',
  'send.done': '已移送：{number}',
  'send.matterKept': '案件 {number} 已创建，移送未成功：修正后再次提交不会重复创建案件',
  'notifications.title': '消息通知',
  'notifications.unread': '未读',
  'notifications.markRead': '标为已读',
  'notifications.open': '查看',
  notFound: '没有这个页面',
  'clockState.running': '计时中',
  'clockState.paused': '已中止计时',
  'clockState.overdue': '已逾期',
  'clockState.escalated': '已逾期升级',
  'clockState.met': '已按期完成',
  'clockState.stopped': '已停止',
  'tl.matter.created': '创建案件',
  'tl.referral.created': '起草移送',
  'tl.attachment.added': '上传附件',
  'tl.clock.extension_requested': '申请延期',
  'tl.clock.extension_granted': '批准延期',
  'tl.clock.extension_refused': '不批准延期',
  'tl.clock.warn': '期限预警',
  'tl.clock.overdue': '期限已到仍未办理',
  'tl.clock.escalate': '逾期升级',
} as const;

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  'app.title': 'County enforcement coordination',
  'app.short': 'Coordination',
  'lang.switch': '中文',
  'menu.inbox': 'Referral inbox',
  'menu.send': 'New referral',
  'menu.outbox': 'Sent referrals',
  'menu.notifications': 'Notifications',
  'menu.open': 'Open menu',
  'signin.title': 'Sign in',
  'signin.username': 'Username',
  'signin.password': 'Password',
  'signin.submit': 'Sign in',
  'signin.failed': 'Sign-in failed',
  signout: 'Sign out',
  'signout.done': 'Signed out',
  'user.roles': 'Roles',
  'conn.connecting': 'Connecting to live updates…',
  'conn.reconnecting': 'Connection lost, reconnecting… (changes meanwhile will sync when back)',
  'conn.back': 'Reconnected; data is up to date',
  'common.all': 'All',
  'common.retry': 'Retry',
  'common.loading': 'Loading…',
  'common.empty': 'Nothing here',
  'common.cancel': 'Cancel',
  'common.confirm': 'OK',
  'common.back': 'Back',
  'common.note': 'Note',
  'common.error': 'Something went wrong',
  'common.offline': 'Cannot reach the server',
  'box.inbox.title': 'Inbox: referrals received',
  'box.outbox.title': 'Sent referrals',
  'referral.from': 'From',
  'referral.to': 'To',
  'referral.inform': 'Also informed',
  'referral.kind': 'Kind',
  'referral.state': 'State',
  'referral.updated': 'Updated',
  'referral.routing': 'Routing rule',
  'referral.override': 'Reason for choosing the receiver by hand',
  'referral.actions': 'Actions',
  'referral.noActions': 'Nothing for you to do in this state',
  'referral.done': 'Done: {action}',
  'clock.none': 'No clock',
  'clock.left.working': 'Working days left: {n}',
  'clock.left.natural': 'Days left: {n}',
  'clock.today': 'Due today',
  'clock.overdue': 'Overdue',
  'clock.overdue.working': 'Overdue by {n} working days',
  'clock.overdue.natural': 'Overdue by {n} days',
  'clock.paused': 'Paused',
  'clock.provisional': 'Provisional',
  'clock.provisional.tip':
    "This year's holiday arrangement is not loaded yet: the deadline is computed from the statutory holidays and may move",
  'clock.deadline': 'Deadline',
  'clock.basis': 'Legal basis',
  'clock.pending': 'Extension requested: {amount} ({reason})',
  'clock.extend': 'Request an extension',
  'clock.extend.amount': 'Extend by (in the clock’s unit)',
  'clock.extend.reason': 'Reason',
  'clock.extend.sent': 'Extension requested',
  'clock.grant': 'Grant',
  'clock.refuse': 'Refuse',
  'clock.decided': 'Extension decided',
  'clocks.title': 'Legal deadlines',
  'field.reasonCode': 'Reason',
  'field.reasonText': 'In words',
  'field.boundaryClause': 'Boundary clause relied on',
  'field.boundaryClause.cite': 'Cite the boundary that applies to this matter',
  'field.missingMaterials': 'Missing materials (one per line)',
  'field.holdReason': 'Reason for the hold',
  'field.outcome': 'Outcome',
  'field.outcomeText': 'Outcome in words (e.g. decision number)',
  'field.note': 'Note',
  'field.receivingAgencyId': 'New receiver (empty: route by the boundary)',
  'field.overrideReason': 'Why this receiver',
  'matter.title': 'Matter',
  'matter.number': 'Number',
  'matter.item': 'Enforcement item',
  'matter.township': 'Township',
  'matter.place': 'Place',
  'matter.party': 'Party',
  'matter.party.kind': 'Party type',
  'matter.party.person': 'Person',
  'matter.party.company': 'Organisation',
  'matter.party.name': 'Party name',
  'matter.party.idNumber': 'ID or credit code',
  'matter.procedure': 'Procedure',
  'matter.procedure.general': 'General',
  'matter.procedure.simple': 'Simple',
  'matter.flags': 'Flags',
  'matter.flags.majorDifficult': 'Major or difficult',
  'matter.flags.publicInterestClue': 'Public-interest clue',
  'matter.flags.suspectedCrime': 'Suspected crime',
  'matter.startedOn': 'Started on',
  'matter.summary': 'Summary',
  'timeline.title': 'Timeline',
  'attachments.title': 'Attachments',
  'attachments.upload': 'Upload',
  'attachments.uploaded': 'Uploaded {name}',
  'attachments.download': 'Download',
  'send.title': 'New referral',
  'send.matter': 'Step 1: the matter',
  'send.referral': 'Step 2: the referral',
  'send.item.placeholder': 'Item name, code or pinyin initials (e.g. zyd)',
  'send.township.placeholder': 'Choose the township',
  'send.preview': 'Goes to',
  'send.preview.hint': 'Choose the item, township and kind to see who will receive it and why',
  'send.preview.unrouted':
    'The boundary names no receiver ({rule}): choose one by hand with a reason, or escalate to the guidance office',
  'send.preview.why': 'Why',
  'send.preview.version': 'Boundary version {version} (in force from {from})',
  'send.override': 'Send to another agency (reason required)',
  'send.override.agency': 'Receiver',
  'send.note': 'Covering note',
  'send.submit': 'Send referral',
  'send.done': 'Referred: {number}',
  'send.matterKept':
    'Matter {number} was created but the referral failed: submitting again will not create a second matter',
  'notifications.title': 'Notifications',
  'notifications.unread': 'Unread',
  'notifications.markRead': 'Mark read',
  'notifications.open': 'Open',
  notFound: 'No such page',
  'clockState.running': 'Running',
  'clockState.paused': 'Paused',
  'clockState.overdue': 'Overdue',
  'clockState.escalated': 'Escalated',
  'clockState.met': 'Met',
  'clockState.stopped': 'Stopped',
  'tl.matter.created': 'Matter opened',
  'tl.referral.created': 'Referral drafted',
  'tl.attachment.added': 'Attachment added',
  'tl.clock.extension_requested': 'Extension requested',
  'tl.clock.extension_granted': 'Extension granted',
  'tl.clock.extension_refused': 'Extension refused',
  'tl.clock.warn': 'Deadline warning',
  'tl.clock.overdue': 'Deadline passed',
  'tl.clock.escalate': 'Escalated as overdue',
};

const STATE_EN: Record<ReferralState, string> = {
  draft: 'Draft',
  submitted: 'Awaiting approval',
  delivered: 'To sign for',
  signed: 'Signed for',
  accepted: 'Accepted',
  returned: 'Returned',
  in_progress: 'In progress',
  on_hold: 'On hold',
  concluded: 'Concluded',
  result_fed_back: 'Result fed back',
  closed: 'Closed',
  withdrawn: 'Withdrawn',
  escalated: 'Escalated as a dispute',
};
const ACTION_EN: Record<ReferralAction, string> = {
  submit: 'Submit',
  approve: 'Approve',
  reject_approval: 'Reject',
  withdraw: 'Withdraw',
  sign: 'Sign for',
  accept: 'Accept',
  return: 'Return',
  start: 'Start',
  hold: 'Put on hold',
  resume: 'Resume',
  conclude: 'Conclude',
  feed_back: 'Feed back the result',
  close: 'Close',
  resubmit: 'Resubmit',
  reroute: 'Re-route',
  escalate: 'Escalate as a dispute',
};
const KIND_EN: Record<ReferralKind, string> = {
  jurisdiction_transfer: 'Jurisdiction transfer',
  police_assistance: 'Police assistance',
  approval_files_request: 'Approval files request',
  supervision_opinion_request: 'Supervision opinion request',
  suspected_crime_transfer: 'Suspected-crime transfer',
  supervision_request: 'Supervision request',
  public_interest_pre_review: 'Public-interest pre-review',
  compulsory_enforcement: 'Compulsory enforcement application',
};
const RETURN_EN: Record<ReturnReason, string> = {
  not_our_jurisdiction: 'Not ours',
  materials_incomplete: 'Materials incomplete',
  duplicate: 'Duplicate',
  other: 'Other',
};
const HOLD_EN: Record<HoldReason, string> = {
  awaiting_materials: 'Awaiting materials',
  awaiting_appraisal: 'Awaiting appraisal',
};
const OUTCOME_EN: Record<Outcome, string> = {
  penalty_decided: 'Penalty decided',
  no_penalty: 'No penalty',
  case_filed: 'Case filed',
  not_filed: 'Not filed',
  enforcement_granted: 'Enforcement granted',
  enforcement_refused: 'Enforcement refused',
  opinion_given: 'Opinion given',
  assistance_given: 'Assistance or files given',
  other: 'Other',
};
/** The routing rules have no Chinese labels in shared (the server explains in a sentence): both here. */
const ROUTING: Record<RoutingRuleCode, { zh: string; en: string }> = {
  delegated_township: { zh: '该事项已赋权该乡镇（街道），由其以自己名义处罚', en: 'Delegated to the township' },
  penalising_body: { zh: '由职责边界确定的处罚主体办理', en: 'The penalising body named by the boundary' },
  no_penalising_body: { zh: '职责边界未确定处罚主体', en: 'The boundary names no penalising body' },
  approving_department: { zh: '该事项的审批部门', en: 'The approving department' },
  supervising_department: { zh: '该事项的监管部门', en: 'The supervising department' },
  public_security: { zh: '公安机关', en: 'Public security' },
  procuratorate: { zh: '人民检察院', en: 'The procuratorate' },
  court: { zh: '人民法院', en: 'The court' },
  no_version_in_force: { zh: '该日期无有效职责边界', en: 'No boundary version in force' },
  no_approving_department: { zh: '职责边界未确定审批部门', en: 'The boundary names no approving department' },
  no_supervising_department: { zh: '职责边界未确定监管部门', en: 'The boundary names no supervising department' },
};

const pick = <K extends string>(lang: Lang, zhLabels: Record<K, string>, enLabels: Record<K, string>, k: K): string =>
  (lang === 'zh' ? zhLabels[k] : enLabels[k]) ?? k;

export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: MessageKey, vars?: Record<string, string | number>) => string;
  state: (s: ReferralState) => string;
  action: (a: ReferralAction) => string;
  kind: (k: ReferralKind) => string;
  returnReason: (r: ReturnReason) => string;
  holdReason: (r: HoldReason) => string;
  outcome: (o: Outcome) => string;
  role: (r: Role) => string;
  agencyKind: (k: AgencyKind) => string;
  routing: (r: RoutingRuleCode) => string;
  dateTime: (iso: string) => string;
  /** a timeline entry's action: `referral.<action>` or one of the other recorded events */
  timeline: (action: string) => string;
}

function make(lang: Lang, setLang: (l: Lang) => void): I18n {
  const dict = lang === 'zh' ? zh : en;
  const format = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Shanghai',
  });
  return {
    lang,
    setLang,
    t: (key, vars) => dict[key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars?.[name] ?? `{${name}}`)),
    state: (s) => pick(lang, REFERRAL_STATE_LABELS, STATE_EN, s),
    action: (a) => pick(lang, REFERRAL_ACTION_LABELS, ACTION_EN, a),
    kind: (k) => pick(lang, REFERRAL_KIND_LABELS, KIND_EN, k),
    returnReason: (r) => pick(lang, RETURN_REASON_LABELS, RETURN_EN, r),
    holdReason: (r) => pick(lang, HOLD_REASON_LABELS, HOLD_EN, r),
    outcome: (o) => pick(lang, OUTCOME_LABELS, OUTCOME_EN, o),
    role: (r) => ROLE_LABELS[r][lang],
    agencyKind: (k) => AGENCY_KIND_LABELS[k][lang],
    routing: (r) => ROUTING[r]?.[lang] ?? r,
    dateTime: (iso) => format.format(new Date(iso)),
    timeline: (action) => {
      const lifecycle = action.replace(/^referral\./, '');
      if ((REFERRAL_ACTIONS as readonly string[]).includes(lifecycle)) {
        return pick(lang, REFERRAL_ACTION_LABELS, ACTION_EN, lifecycle as ReferralAction);
      }
      const key = `tl.${action}`;
      return key in dict ? dict[key as MessageKey] : action;
    },
  };
}

const LANG_KEY = 'xt.lang';
const I18nContext = createContext<I18n>(make('zh', () => undefined));

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => {
    const saved: Lang = localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh';
    document.documentElement.lang = saved === 'zh' ? 'zh-CN' : 'en';
    return saved;
  });
  const value = useMemo(
    () =>
      make(lang, (l) => {
        localStorage.setItem(LANG_KEY, l);
        document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
        setLangState(l);
      }),
    [lang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export const useI18n = (): I18n => useContext(I18nContext);
