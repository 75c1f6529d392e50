import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Radio, Select } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import {
  AgencyKind,
  CreateEnforcementRequest,
  CreateInterviewRequest,
  DISPUTE_PATTERNS,
  DISPUTE_STANCES,
  fieldErrors,
  OpenDisputeRequest,
  WORKFLOW_CREATE_ROLES,
} from '@xietong/shared';
import { api, ApiError, keys } from '../app/api.js';
import { newUuid, showErrors } from '../app/forms.js';
import { useI18n, type MessageKey } from '../app/i18n.js';
import { useMe } from '../app/session.js';
import type { WorkflowBase, WorkflowKindDef } from './kinds.js';

type Creatable = keyof typeof WORKFLOW_CREATE_ROLES;
type Values = Record<string, unknown>;

const REASONS = ['refuses_cooperation', 'refuses_rectification'] as const;
const PATTERN_LABEL: Record<(typeof DISPUTE_PATTERNS)[number], MessageKey> = {
  both_refuse: 'dash.bothRefuse',
  both_claim: 'dash.bothClaim',
};

/** Empty inputs are absent, not empty strings: the schema's optional fields then read as not given. */
const blank = (v: unknown): unknown => ((typeof v === 'string' && v.trim() === '') || v === null ? undefined : v);

/** Each kind: its create schema, its title, and the form values as the request body. */
const KINDS: Record<Creatable, { schema: z.ZodType; title: MessageKey; body: (v: Values) => unknown }> = {
  interview: {
    schema: CreateInterviewRequest,
    title: 'wf.create.interview',
    body: (v) => ({
      matterId: v.matterId,
      reason: v.reason,
      invitedAgencyIds: v.invitedAgencyIds ?? [],
      party: (v.party ?? {}) as Values,
      agenda: v.agenda,
    }),
  },
  dispute: {
    schema: OpenDisputeRequest,
    title: 'wf.create.dispute',
    body: (v) => ({
      matterId: v.matterId,
      otherAgencyId: v.otherAgencyId,
      pattern: v.pattern,
      stance: blank(v.stance),
      boundaryClause: blank(v.boundaryClause),
      legalBasis: blank(v.legalBasis),
    }),
  },
  enforcement: {
    schema: CreateEnforcementRequest,
    title: 'wf.create.enforcement',
    body: (v) => ({
      matterId: v.matterId,
      decisionNumber: blank(v.decisionNumber),
      obligation: blank(v.obligation),
      amountYuan: blank(v.amountYuan),
      note: blank(v.note),
    }),
  },
};

export const creatable = (kind: string): kind is Creatable => kind in WORKFLOW_CREATE_ROLES;

/** The matters my agency is on, searched on the server as the user types (newest first). */
function useMyMatters(search: string) {
  return useQuery({
    queryKey: keys.myMatters(search),
    queryFn: () => api.myMatters(search),
    placeholderData: (previous) => previous,
  });
}

function CreateForm<V extends WorkflowBase>({
  def,
  kind,
  onClose,
}: {
  def: WorkflowKindDef<V>;
  kind: Creatable;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const me = useMe();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState('');
  const [key, setKey] = useState(newUuid);
  const spec = KINDS[kind];
  const [search, setSearch] = useState('');
  const matters = useMyMatters(search.trim());
  const agencies = useQuery({ queryKey: keys.agencies, queryFn: api.agencies, enabled: kind !== 'enforcement' });
  const others = useMemo(
    () =>
      (agencies.data ?? [])
        .filter((a) => a.id !== me.agencyId)
        .map((a) => ({ value: a.id, label: a.nameZh, kind: a.kind })),
    [agencies.data, me.agencyId],
  );
  const create = useMutation({
    mutationFn: (input: unknown) => api.createWorkflow(def.base, input as never, def.schema, key),
    onSuccess: (v) => {
      // The list refetches now; the socket's workflow event refreshes the other parties' lists.
      void qc.invalidateQueries({ queryKey: keys.workflows });
      void message.success(t('wf.create.done', { number: v.matter.number }));
      onClose();
    },
    onError: (err) => {
      setKey(newUuid());
      if (err instanceof ApiError && err.body.details) showErrors(form, err.body.details);
      setError(err.message);
    },
  });
  const submit = () => {
    const parsed = spec.schema.safeParse(spec.body(form.getFieldsValue(true) as Values));
    if (!parsed.success) {
      showErrors(form, fieldErrors(parsed.error));
      setError(t('form.fix'));
      return;
    }
    setError('');
    create.mutate(parsed.data);
  };
  // Public security must be invited to a joint interview: preselected once the directory is in.
  const police = others.find((a) => a.kind === AgencyKind.PublicSecurity)?.value;
  useEffect(() => {
    if (kind === 'interview' && police && !form.isFieldTouched('invitedAgencyIds')) {
      form.setFieldValue('invitedAgencyIds', [police]);
    }
  }, [form, kind, police]);
  return (
    <Modal
      open
      title={t(spec.title)}
      okText={t(spec.title)}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      onOk={submit}
      onCancel={onClose}
      width={640}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        name={`create-${kind}`}
        onFinish={submit}
        initialValues={{ reason: 'refuses_cooperation', pattern: 'both_refuse' }}
      >
        {error && <Alert type="error" title={error} role="alert" style={{ marginBottom: 12 }} />}
        <Form.Item name="matterId" label={t('wf.create.matter')} required>
          <Select
            showSearch={{ filterOption: false, onSearch: setSearch }}
            loading={matters.isFetching}
            placeholder={t('wf.create.matter.placeholder')}
            notFoundContent={matters.isPending ? t('common.loading') : t('common.empty')}
            options={(matters.data?.matters ?? []).map((m) => ({
              value: m.id,
              label: `${m.number} · ${m.itemName} · ${m.township} · ${m.partyName}`,
            }))}
          />
        </Form.Item>
        {kind === 'interview' && (
          <>
            <Form.Item name="reason" label={t('wf.create.reason')} required>
              <Radio.Group
                aria-label={t('wf.create.reason')}
                options={REASONS.map((r) => ({ value: r, label: t(`wf.create.reason.${r}`) }))}
              />
            </Form.Item>
            <Form.Item name="invitedAgencyIds" label={t('wf.create.invited')} required>
              <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={others} />
            </Form.Item>
            <Form.Item name={['party', 'name']} label={t('wf.create.partyName')} required>
              <Input />
            </Form.Item>
            <Form.Item name={['party', 'contact']} label={t('wf.create.partyContact')} required>
              <Input />
            </Form.Item>
            <Form.Item name="agenda" label={t('wf.create.agenda')} required>
              <Input.TextArea rows={3} />
            </Form.Item>
          </>
        )}
        {kind === 'dispute' && (
          <>
            <Form.Item name="otherAgencyId" label={t('wf.create.otherAgency')} required>
              <Select showSearch={{ optionFilterProp: 'label' }} options={others} />
            </Form.Item>
            <Form.Item name="pattern" label={t('wf.create.pattern')} required>
              <Radio.Group
                aria-label={t('wf.create.pattern')}
                options={DISPUTE_PATTERNS.map((p) => ({ value: p, label: t(PATTERN_LABEL[p]) }))}
              />
            </Form.Item>
            <Form.Item name="stance" label={t('wf.field.stance')}>
              <Select allowClear options={DISPUTE_STANCES.map((s) => ({ value: s, label: t(`wf.stance.${s}`) }))} />
            </Form.Item>
            <Form.Item name="boundaryClause" label={t('wf.field.boundaryClause')}>
              <Input.TextArea rows={2} />
            </Form.Item>
            <Form.Item name="legalBasis" label={t('wf.field.legalBasis')}>
              <Input.TextArea rows={2} />
            </Form.Item>
          </>
        )}
        {kind === 'enforcement' && (
          <>
            <Form.Item name="decisionNumber" label={t('wf.field.decisionNumber')}>
              <Input />
            </Form.Item>
            <Form.Item name="obligation" label={t('wf.field.obligation')}>
              <Input.TextArea rows={3} />
            </Form.Item>
            <Form.Item name="amountYuan" label={t('wf.create.amountYuan')}>
              <InputNumber min={0} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="note" label={t('wf.create.note')}>
              <Input.TextArea rows={2} />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}

/** The list's "新建" button and its form, for the roles the policy lets start this workflow. */
export function CreateWorkflow<V extends WorkflowBase>({ def }: { def: WorkflowKindDef<V> }) {
  const { t } = useI18n();
  const me = useMe();
  const [open, setOpen] = useState(false);
  const kind = def.kind;
  if (!creatable(kind) || !WORKFLOW_CREATE_ROLES[kind].some((r) => me.roles.includes(r))) return null;
  return (
    <>
      <Button
        type="primary"
        icon={<PlusOutlined />}
        onClick={() => setOpen(true)}
        aria-label={`${t('wf.create')}：${t(KINDS[kind].title)}`}
      >
        {t('wf.create')}
      </Button>
      {open && <CreateForm def={def} kind={kind} onClose={() => setOpen(false)} />}
    </>
  );
}
