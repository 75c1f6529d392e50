import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Descriptions,
  Empty,
  Flex,
  Form,
  Grid,
  Input,
  List,
  Modal,
  Radio,
  Select,
  Skeleton,
  Space,
  Tag,
  Typography,
} from 'antd';
import { ArrowLeftOutlined, CalendarOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import {
  DISPUTE_STANCES,
  ESCALATION_TARGETS,
  EXECUTION_OUTCOME_LABELS,
  EXECUTION_OUTCOMES,
  isFilled,
  REVIEW_QUESTION_LABELS,
  REVIEW_QUESTIONS,
  type AttachmentView,
  type InterviewView,
  type ReviewChecklist,
  type ReviewView,
  type WorkflowClockView,
} from '@xietong/shared';
import { api, ApiError, keys, putAnswer } from '../app/api.js';
import { showErrors } from '../app/forms.js';
import { useI18n, type MessageKey } from '../app/i18n.js';
import { Link, navigate } from '../app/router.js';
import { Attachments, MatterTimeline } from '../referrals/MatterPanels.js';
import { CreateWorkflow } from './CreateWorkflow.js';
import { REVIEW, type AnyLifecycle, type WorkflowBase, type WorkflowKindDef } from './kinds.js';

type Values = Record<string, unknown>;

/** Fields entered one item per line, sent as lists. */
const LINES = new Set(['measures', 'commitments']);
const SHORT = new Set(['attendeeName', 'place', 'decisionNumber', 'demandNoticeNumber', 'rulingNumber']);
const DATES = new Set(['rectificationDeadline', 'demandNoticeOn']);

function toInput(values: Values, interview?: InterviewView): Values {
  const out: Values = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || v === null || v === '') continue;
    if (LINES.has(k)) {
      const lines = (typeof v === 'string' ? v : '')
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      if (lines.length > 0) out[k] = lines;
    } else if (DATES.has(k)) out[k] = dayjs(v as string).format('YYYY-MM-DD');
    else if (k === 'scheduledAt') out[k] = dayjs(v as string).format('YYYY-MM-DDTHH:mm:ssZ');
    else if (k === 'attendance' && interview) {
      const present = v as string[];
      out[k] = interview.participants.map((p) => ({ agencyId: p.agency.id, attended: present.includes(p.agency.id) }));
    } else out[k] = typeof v === 'string' ? v.trim() : v;
  }
  return out;
}

/** The four questions, each answered yes or no; a concern says why and points at the evidence. */
function ChecklistInput({ files, value }: { files: AttachmentView[]; value?: ReviewChecklist | null }) {
  const { t } = useI18n();
  return (
    <Flex vertical gap={8} data-testid="checklist">
      {REVIEW_QUESTIONS.map((q) => (
        <Card key={q} size="small" title={t(`wf.q.${q}`)} data-question={q}>
          <Form.Item
            name={['checklist', q, 'satisfied']}
            initialValue={value?.[q]?.satisfied}
            style={{ marginBottom: 8 }}
          >
            <Radio.Group
              aria-label={t(`wf.q.${q}`)}
              options={[
                { value: true, label: t('wf.q.yes') },
                { value: false, label: t('wf.q.concern') },
              ]}
            />
          </Form.Item>
          <Form.Item
            name={['checklist', q, 'comment']}
            label={t('wf.q.comment')}
            initialValue={value?.[q]?.comment}
            style={{ marginBottom: 8 }}
          >
            <Input.TextArea rows={2} aria-label={`${t(`wf.q.${q}`)} ${t('wf.q.comment')}`} />
          </Form.Item>
          <Form.Item
            name={['checklist', q, 'attachmentIds']}
            label={t('wf.q.evidence')}
            initialValue={value?.[q]?.attachmentIds ?? []}
            style={{ marginBottom: 0 }}
          >
            <Select
              mode="multiple"
              aria-label={`${t(`wf.q.${q}`)} ${t('wf.q.evidence')}`}
              options={files.map((f) => ({ value: f.id, label: f.fileName }))}
            />
          </Form.Item>
        </Card>
      ))}
    </Flex>
  );
}

function FieldInput({ field, v, files }: { field: string; v: WorkflowBase; files: AttachmentView[] }) {
  const { t } = useI18n();
  const agencies = useQuery({
    queryKey: keys.agencies,
    queryFn: api.agencies,
    enabled: field === 'responsibleAgencyId',
  });
  const label = t(`wf.field.${field}` as MessageKey);
  if (field === 'checklist') return <ChecklistInput files={files} value={(v as unknown as ReviewView).checklist} />;
  const item = (child: React.ReactNode) => (
    <Form.Item name={field} label={label} required>
      {child}
    </Form.Item>
  );
  if (field === 'stance')
    return item(<Select options={DISPUTE_STANCES.map((s) => ({ value: s, label: t(`wf.stance.${s}`) }))} />);
  if (field === 'escalateTo')
    return item(<Select options={ESCALATION_TARGETS.map((s) => ({ value: s, label: t(`wf.escalate.${s}`) }))} />);
  if (field === 'executionOutcome')
    return item(<Select options={EXECUTION_OUTCOMES.map((s) => ({ value: s, label: EXECUTION_OUTCOME_LABELS[s] }))} />);
  if (field === 'responsibleAgencyId')
    return item(
      <Select
        showSearch={{ optionFilterProp: 'label' }}
        options={(agencies.data ?? []).map((a) => ({ value: a.id, label: a.nameZh }))}
      />,
    );
  if (field === 'attendance') {
    const participants = (v as unknown as InterviewView).participants;
    return (
      <Form.Item name={field} label={label} required initialValue={participants.map((p) => p.agency.id)}>
        <Checkbox.Group
          role="group"
          aria-label={label}
          options={participants.map((p) => ({ value: p.agency.id, label: p.agency.nameZh }))}
        />
      </Form.Item>
    );
  }
  if (DATES.has(field)) return item(<DatePicker style={{ width: '100%' }} />);
  if (field === 'scheduledAt') return item(<DatePicker showTime={{ format: 'HH:mm' }} style={{ width: '100%' }} />);
  if (SHORT.has(field)) return item(<Input />);
  return item(<Input.TextArea rows={LINES.has(field) ? 4 : 3} placeholder={LINES.has(field) ? t('wf.lines') : ''} />);
}

function ActionForm<V extends WorkflowBase>({
  def,
  v,
  action,
  files,
  onClose,
}: {
  def: WorkflowKindDef<V>;
  v: V;
  action: string;
  files: AttachmentView[];
  onClose: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const lc = def.lifecycle;
  // The rule the server applies: its required fields are the form, checked before anything is sent.
  const rule = lc.rules.find((r) => r.action === action && r.from.includes(v.state));
  const fields = rule?.required ?? [];
  const mutation = useMutation({
    mutationFn: (input: Values) => api.workflowAct(def.base, v.id, action, input, def.schema),
    onSuccess: async (next) => {
      await putAnswer(qc, keys.workflow(def.kind, v.id), next);
      void qc.invalidateQueries({ queryKey: keys.workflows });
      void message.success(t('referral.done', { action: wfAction(i18n.lang, def, action) }));
      onClose();
    },
    onError: (err) => {
      if (err instanceof ApiError && err.body.details) showErrors(form, err.body.details);
      void message.error(err.message);
    },
  });
  const submit = () => {
    const input = toInput(
      form.getFieldsValue(true) as Values,
      def.kind === 'interview' ? (v as unknown as InterviewView) : undefined,
    );
    const missing = fields.filter((f) => !(lc.fieldValid ? lc.fieldValid(f, input[f]) : isFilled(input[f])));
    if (missing.length > 0) {
      showErrors(
        form,
        missing.map((f) => ({
          field: f === 'checklist' ? `checklist.${REVIEW_QUESTIONS[0]}.satisfied` : f,
          message: lc.fieldMessages[f] ?? f,
        })),
      );
      void message.error(missing.map((f) => lc.fieldMessages[f]).join('；'));
      return;
    }
    mutation.mutate(input);
  };
  const label = wfAction(i18n.lang, def, action);
  return (
    <Modal
      open
      title={label}
      okText={label}
      cancelText={t('common.cancel')}
      confirmLoading={mutation.isPending}
      onOk={submit}
      onCancel={onClose}
      width={640}
      destroyOnHidden
    >
      {rule && <Typography.Paragraph type="secondary">{rule.descriptionZh}</Typography.Paragraph>}
      <Form form={form} layout="vertical" name={`wf-${action}`}>
        {fields.map((f) => (
          <FieldInput key={f} field={f} v={v} files={files} />
        ))}
      </Form>
    </Modal>
  );
}

const humanize = (s: string) => s.replace(/_/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
/** Labels from the lifecycle table in Chinese; in English, the action or state code itself, readable. */
const wfAction = (lang: string, def: { lifecycle: AnyLifecycle }, a: string): string =>
  lang === 'zh' ? (def.lifecycle.actionLabels[a] ?? a) : humanize(a);
const wfState = (lang: string, def: { lifecycle: AnyLifecycle }, s: string): string =>
  lang === 'zh' ? (def.lifecycle.stateLabels[s] ?? s) : humanize(s);

function Clocks({ clocks }: { clocks: WorkflowClockView[] }) {
  const i18n = useI18n();
  if (clocks.length === 0) return <Typography.Text type="secondary">{i18n.t('clock.none')}</Typography.Text>;
  return (
    <Flex vertical gap={6}>
      {clocks.map((c) => {
        const overdue = c.state === 'overdue' || c.state === 'escalated';
        return (
          <Flex key={c.id} gap={8} wrap align="center" data-clock={c.code} data-clock-state={c.state}>
            <Typography.Text strong>{c.labelZh}</Typography.Text>
            <Tag color={overdue ? 'red' : c.warned ? 'orange' : 'blue'}>
              {i18n.t('clock.deadline')} {i18n.dateTime(c.deadline)}
            </Tag>
            {c.provisional && <Tag>{i18n.t('clock.provisional')}</Tag>}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {c.legalBasis}
            </Typography.Text>
          </Flex>
        );
      })}
    </Flex>
  );
}

function ChecklistView({ checklist, files }: { checklist: ReviewChecklist; files: AttachmentView[] }) {
  const { t } = useI18n();
  return (
    <Flex vertical gap={6} data-testid="checklist-view">
      {REVIEW_QUESTIONS.map((q) => {
        const a = checklist[q];
        return (
          <div key={q} data-question={q} data-satisfied={String(a.satisfied)}>
            <Space wrap>
              <Typography.Text strong>{REVIEW_QUESTION_LABELS[q]}</Typography.Text>
              <Tag color={a.satisfied ? 'green' : 'red'}>{a.satisfied ? t('wf.q.yes') : t('wf.q.concern')}</Tag>
            </Space>
            {a.comment && <div style={{ overflowWrap: 'anywhere' }}>{a.comment}</div>}
            {a.attachmentIds.length > 0 && (
              <Typography.Text type="secondary" data-testid="evidence">
                {t('wf.q.evidence')}：
                {a.attachmentIds.map((id) => files.find((f) => f.id === id)?.fileName ?? id).join('、')}
              </Typography.Text>
            )}
          </div>
        );
      })}
    </Flex>
  );
}

/** The matter channel's latest messages, read-only: what the agencies said to each other about it. */
function ChannelExcerpt({ matterId }: { matterId: string }) {
  const { t, dateTime } = useI18n();
  const excerpt = useQuery({
    queryKey: [...keys.matter(matterId), 'channel-excerpt'],
    queryFn: async () => {
      const channel = await api.matterChannel(matterId);
      return { channel, page: await api.history(channel.id) };
    },
  });
  if (excerpt.isPending) return <Skeleton active paragraph={{ rows: 2 }} />;
  if (excerpt.isError) return <Typography.Text type="secondary">{excerpt.error.message}</Typography.Text>;
  const messages = [...excerpt.data.page.messages].sort((a, b) => a.seq - b.seq);
  if (messages.length === 0) return <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>;
  return (
    <Flex vertical gap={4} data-testid="channel-excerpt">
      {messages.map((m) => (
        <div key={m.id} style={{ overflowWrap: 'anywhere' }}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {m.sender?.displayName ?? t('channels.system')} · {dateTime(m.createdAt)}
          </Typography.Text>
          <div>{m.retracted ? t('channels.retracted') : m.body}</div>
        </div>
      ))}
    </Flex>
  );
}

function Detail<V extends WorkflowBase>({ def, id }: { def: WorkflowKindDef<V>; id: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { message } = App.useApp();
  const phone = !Grid.useBreakpoint().md;
  const [open, setOpen] = useState<string | null>(null);
  const q = useQuery({ queryKey: keys.workflow(def.kind, id), queryFn: () => api.workflow(def.base, id, def.schema) });
  const matterId = q.data?.matter.id ?? '';
  const files = useQuery({
    queryKey: keys.attachments(matterId),
    queryFn: () => api.attachments(matterId),
    enabled: Boolean(matterId),
  });
  if (q.isPending) return <Skeleton active />;
  if (q.isError) return <Alert type="error" title={q.error.message} />;
  const v = q.data;
  const review = def.kind === 'review' ? (v as unknown as ReviewView) : null;
  const ics = async () => {
    const blob = await api.invitation(v.id);
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `${v.matter.number}-约谈.ics`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <Flex vertical gap={12} data-testid="workflow" data-kind={def.kind} data-state={v.state}>
      <Flex align="center" gap={8} wrap>
        <Button
          type="text"
          icon={<ArrowLeftOutlined />}
          aria-label={t('common.back')}
          onClick={() => navigate(`/${def.base}`)}
        />
        <Typography.Title level={4} style={{ margin: 0 }}>
          {v.matter.number}
        </Typography.Title>
        <Tag color="blue" data-testid="wf-state">
          {wfState(i18n.lang, def, v.state)}
        </Tag>
      </Flex>
      <Typography.Text style={{ overflowWrap: 'anywhere' }}>{v.matter.itemName}</Typography.Text>
      <Card size="small" title={t('referral.actions')}>
        {v.allowedActions.length === 0 ? (
          <Typography.Text type="secondary">{t('referral.noActions')}</Typography.Text>
        ) : (
          <Space wrap>
            {v.allowedActions.map((a, i) => (
              <Button key={a} type={i === 0 ? 'primary' : 'default'} onClick={() => setOpen(a)}>
                {wfAction(i18n.lang, def, a)}
              </Button>
            ))}
          </Space>
        )}
        {def.kind === 'interview' && (v as unknown as InterviewView).scheduledAt && (
          <Button
            icon={<CalendarOutlined />}
            style={{ marginTop: 8, display: 'block' }}
            onClick={() => void ics().catch((err: Error) => void message.error(err.message))}
          >
            {t('wf.interview.ics')}
          </Button>
        )}
      </Card>
      <Card size="small" title={t('clocks.title')}>
        <Clocks clocks={v.clocks} />
      </Card>
      <Descriptions size="small" column={1} bordered layout={phone ? 'vertical' : 'horizontal'}>
        {def
          .facts(v, t)
          .filter(([, value]) => value)
          .map(([label, value], i) => (
            <Descriptions.Item key={`${label}-${i}`} label={t(label)}>
              <span style={{ overflowWrap: 'anywhere' }}>{value}</span>
            </Descriptions.Item>
          ))}
      </Descriptions>
      {review?.checklist && (
        <Card size="small" title={t('wf.review.checklist')}>
          <ChecklistView checklist={review.checklist} files={files.data ?? []} />
        </Card>
      )}
      <Card size="small" title={t('attachments.title')}>
        <Attachments matterId={v.matter.id} />
      </Card>
      <Card size="small" title={t('timeline.title')}>
        <MatterTimeline matterId={v.matter.id} />
      </Card>
      {review && (
        <Card size="small" title={t('wf.review.excerpt')}>
          <ChannelExcerpt matterId={v.matter.id} />
        </Card>
      )}
      {open && <ActionForm def={def} v={v} action={open} files={files.data ?? []} onClose={() => setOpen(null)} />}
    </Flex>
  );
}

function WorkflowList<V extends WorkflowBase>({ def }: { def: WorkflowKindDef<V> }) {
  const i18n = useI18n();
  const { t } = i18n;
  const list = useQuery({ queryKey: keys.workflow(def.kind), queryFn: () => api.workflows(def.base, def.schema) });
  if (list.isError) return <Alert type="error" title={list.error.message} />;
  return (
    <Flex vertical gap={8}>
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t(`wf.${def.kind}.title`)}
        </Typography.Title>
        <CreateWorkflow def={def} />
      </Flex>
      <List<V>
        loading={list.isPending}
        bordered
        data-testid="workflow-list"
        locale={{ emptyText: <Empty description={t('common.empty')} /> }}
        dataSource={list.data ?? []}
        renderItem={(v) => (
          <List.Item data-matter-number={v.matter.number} data-state={v.state} style={{ display: 'block' }}>
            <Flex justify="space-between" gap={8} wrap>
              <Link to={`/${def.base}/${v.id}`}>{v.matter.number}</Link>
              <Tag color="blue">{wfState(i18n.lang, def, v.state)}</Tag>
            </Flex>
            <Typography.Text type="secondary" style={{ overflowWrap: 'anywhere' }}>
              {v.matter.itemName} · {def.counterpart(v)}
            </Typography.Text>
          </List.Item>
        )}
      />
    </Flex>
  );
}

/** The prosecutors' queue: flagged matters, each with its review or a button to open one. */
function ReviewQueue() {
  const i18n = useI18n();
  const { t } = i18n;
  const { message } = App.useApp();
  const qc = useQueryClient();
  const queue = useQuery({ queryKey: keys.workflow('review-queue'), queryFn: api.reviewQueue });
  const open = useMutation({
    mutationFn: api.openReview,
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: keys.workflows });
      navigate(`/reviews/${r.id}`);
    },
    onError: (err) => void message.error(err.message),
  });
  if (queue.isError) return <Alert type="error" title={queue.error.message} />;
  const flag = (on: boolean, key: MessageKey) => on && <Tag color="red">{t(key)}</Tag>;
  return (
    <Flex vertical gap={8}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('wf.review.queue')}
      </Typography.Title>
      <List
        loading={queue.isPending}
        bordered
        data-testid="review-queue"
        locale={{ emptyText: <Empty description={t('common.empty')} /> }}
        dataSource={queue.data?.matters ?? []}
        renderItem={({ matter, review }) => (
          <List.Item data-matter-number={matter.number} style={{ display: 'block' }}>
            <Flex justify="space-between" gap={8} wrap align="center">
              <Typography.Text strong>{matter.number}</Typography.Text>
              {review ? (
                <Link to={`/reviews/${review.id}`}>
                  <Tag color="blue">{wfState(i18n.lang, REVIEW, review.state)}</Tag>
                </Link>
              ) : (
                <Button size="small" type="primary" loading={open.isPending} onClick={() => open.mutate(matter.id)}>
                  {t('wf.review.open')}
                </Button>
              )}
            </Flex>
            <div style={{ overflowWrap: 'anywhere' }}>
              {matter.itemName} · {matter.township}
            </div>
            <Space size={4} wrap>
              {flag(matter.flags.majorDifficult, 'matter.flags.majorDifficult')}
              {flag(matter.flags.publicInterestClue, 'matter.flags.publicInterestClue')}
              {flag(matter.flags.suspectedCrime, 'matter.flags.suspectedCrime')}
              {flag(matter.supervisionRequested, 'wf.review.supervisionRequested')}
            </Space>
          </List.Item>
        )}
      />
    </Flex>
  );
}

/** A workflow's screen: its list (the review queue for prosecutors) or one object's detail page. */
export function WorkflowScreen<V extends WorkflowBase>({
  def,
  params,
  queue,
}: {
  def: WorkflowKindDef<V>;
  params: Record<string, string>;
  queue?: boolean;
}) {
  if (params.id) return <Detail def={def} id={params.id} />;
  return queue ? <ReviewQueue /> : <WorkflowList def={def} />;
}
