import { useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Flex, Form, Input, Radio, Select, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import type { z } from 'zod';
import {
  AmendBoundaryRequest,
  BOUNDARY_CHANGE_REASONS,
  DelegationChangeRequest,
  fieldErrors,
  type AgencySummary,
  type BoundaryChangeReason,
  type BoundaryVersionView,
  type FieldError,
  type ItemDetail,
} from '@xietong/shared';
import { api, ApiError, keys, putAnswer } from '../app/api.js';
import { newUuid, placeErrors } from '../app/forms.js';
import { useI18n } from '../app/i18n.js';

const day = (d: Dayjs | null | undefined): string | undefined => d?.format('YYYY-MM-DD');
const blank = (s: string | undefined): string | undefined => (s?.trim() ? s : undefined);

/** Saves one amendment: client-side check first, then the server; problems land under their fields. */
function useAmendment<V, I>(opts: {
  code: string;
  schema: z.ZodType<I>;
  fields: readonly string[];
  toInput: (v: V) => unknown;
  send: (input: I, key: string) => Promise<ItemDetail>;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<V>();
  const [problems, setProblems] = useState<FieldError[]>([]);
  // One key per amendment: a retry after a lost answer is not applied twice.
  const [key, setKey] = useState(newUuid);
  const save = useMutation({
    mutationFn: (input: I) => opts.send(input, key),
    onSuccess: async (detail) => {
      const latest = detail.versions[detail.versions.length - 1];
      if (latest) void message.success(t('cat.amend.done', { version: latest.version, from: latest.effectiveFrom }));
      await putAnswer(qc, keys.catalogueItem(opts.code), detail);
      void qc.invalidateQueries({ queryKey: keys.catalogue });
      setKey(newUuid());
      setProblems([]);
    },
    onError: (err) => {
      const details = err instanceof ApiError ? (err.body.details ?? []) : [];
      const rest = placeErrors(form, details, opts.fields);
      // Whatever names no field (or no detail at all) shows above the button, in the server's words.
      setProblems(details.length === 0 || rest.length > 0 ? [{ field: '', message: err.message }, ...rest] : []);
    },
  });
  const submit = () => {
    const parsed = opts.schema.safeParse(opts.toInput(form.getFieldsValue(true) as V));
    if (!parsed.success) {
      setProblems(placeErrors(form, fieldErrors(parsed.error), opts.fields));
      return;
    }
    setProblems([]);
    save.mutate(parsed.data);
  };
  // A field's error goes once its value changes: the user is fixing it.
  const clearChanged = (changed: object) =>
    form.setFields(Object.keys(changed).map((name) => ({ name: name as never, errors: [] })));
  return { form, submit, clearChanged, problems, saving: save.isPending };
}

/** What names no field, above the form's button. */
function Submit({ problems, saving, label }: { problems: FieldError[]; saving: boolean; label: string }) {
  const shown = [...new Set(problems.map((p) => p.message))];
  return (
    <>
      {shown.length > 0 && (
        <Alert
          type="error"
          role="alert"
          style={{ marginBottom: 12 }}
          title={shown.length === 1 ? shown[0] : undefined}
          description={shown.length > 1 ? shown.map((m) => <div key={m}>{m}</div>) : undefined}
        />
      )}
      <Button type="primary" htmlType="submit" loading={saving}>
        {label}
      </Button>
    </>
  );
}

interface FormProps {
  code: string;
  /** the item's latest version: what a new one starts from */
  latest: BoundaryVersionView | undefined;
  agencies: AgencySummary[];
}

interface VersionValues {
  effectiveFrom?: Dayjs | null;
  reason?: BoundaryChangeReason;
  note?: string;
  causeRef?: string;
  supervisingAgencyId?: string | null;
  approvingAgencyId?: string | null;
  penalisingAgencyId?: string | null;
  delegatedTownshipIds?: string[];
  evidenceHandoffDuty?: string;
  resultFeedbackDuty?: string;
}
const VERSION_FIELDS = [
  'effectiveFrom',
  'reason',
  'note',
  'causeRef',
  'supervisingAgencyId',
  'approvingAgencyId',
  'penalisingAgencyId',
  'delegatedTownshipIds',
  'evidenceHandoffDuty',
  'resultFeedbackDuty',
] as const;

/** A new boundary version, starting from the latest one: change what changes, say from when and why. */
function VersionForm({ code, latest, agencies }: FormProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const { form, submit, clearChanged, problems, saving } = useAmendment<VersionValues, AmendBoundaryRequest>({
    code,
    schema: AmendBoundaryRequest,
    fields: VERSION_FIELDS,
    toInput: (v) => ({
      effectiveFrom: day(v.effectiveFrom),
      reason: v.reason,
      note: v.note,
      causeRef: blank(v.causeRef),
      supervisingAgencyId: v.supervisingAgencyId ?? null,
      approvingAgencyId: v.approvingAgencyId ?? null,
      penalisingAgencyId: v.penalisingAgencyId ?? null,
      delegatedTownshipIds: v.delegatedTownshipIds ?? [],
      evidenceHandoffDuty: v.evidenceHandoffDuty ?? '',
      resultFeedbackDuty: v.resultFeedbackDuty ?? '',
    }),
    send: (input, key) => api.amendBoundary(code, input, key),
  });
  const options = agencies.filter((a) => a.kind !== 'township').map((a) => ({ value: a.id, label: a.nameZh }));
  const delegable = agencies
    .filter((a) => a.kind === 'township' && a.delegated)
    .map((a) => ({ value: a.id, label: a.nameZh }));
  const agencySelect = (name: 'supervisingAgencyId' | 'approvingAgencyId' | 'penalisingAgencyId', label: string) => (
    <Form.Item name={name} label={label}>
      <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={options} placeholder={t('cat.none')} />
    </Form.Item>
  );
  return (
    <Card size="small" title={t('cat.amend.version')} data-testid="amend-version">
      <Form
        form={form}
        name="amend-version"
        layout="vertical"
        onFinish={submit}
        onValuesChange={clearChanged}
        initialValues={{
          reason: 'correction',
          supervisingAgencyId: latest?.supervising?.id ?? null,
          approvingAgencyId: latest?.approving?.id ?? null,
          penalisingAgencyId: latest?.penalising?.id ?? null,
          delegatedTownshipIds: latest?.delegatedTownships.map((a) => a.id) ?? [],
          evidenceHandoffDuty: latest?.evidenceHandoffDuty ?? '',
          resultFeedbackDuty: latest?.resultFeedbackDuty ?? '',
        }}
      >
        <Flex gap={12} wrap>
          <Form.Item name="effectiveFrom" label={t('cat.amend.effectiveFrom')} required style={{ minWidth: 200 }}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="reason" label={t('cat.amend.reason')} required style={{ minWidth: 200 }}>
            <Select options={BOUNDARY_CHANGE_REASONS.map((r) => ({ value: r, label: i18n.boundaryReason(r) }))} />
          </Form.Item>
          <Form.Item name="causeRef" label={t('cat.amend.causeRef')} style={{ flex: 1, minWidth: 200 }}>
            <Input />
          </Form.Item>
        </Flex>
        <Form.Item name="note" label={t('cat.amend.note')} required>
          <Input.TextArea rows={2} />
        </Form.Item>
        {agencySelect('supervisingAgencyId', t('cat.supervising'))}
        {agencySelect('approvingAgencyId', t('cat.approving'))}
        {agencySelect('penalisingAgencyId', t('cat.penalising'))}
        <Form.Item name="delegatedTownshipIds" label={t('cat.delegated')}>
          <Select mode="multiple" options={delegable} optionFilterProp="label" />
        </Form.Item>
        <Form.Item name="evidenceHandoffDuty" label={t('cat.evidenceDuty')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item name="resultFeedbackDuty" label={t('cat.feedbackDuty')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Submit problems={problems} saving={saving} label={t('cat.amend.submit')} />
      </Form>
    </Card>
  );
}

interface DelegationValues {
  townshipId?: string;
  action?: 'grant' | 'revoke';
  effectiveFrom?: Dayjs | null;
  note?: string;
}
const DELEGATION_FIELDS = ['townshipId', 'action', 'effectiveFrom', 'note'] as const;

/** Grant a delegated township this item, or take it back, from a date. */
function DelegationForm({ code, latest, agencies }: FormProps) {
  const { t } = useI18n();
  const { form, submit, clearChanged, problems, saving } = useAmendment<DelegationValues, DelegationChangeRequest>({
    code,
    schema: DelegationChangeRequest,
    fields: DELEGATION_FIELDS,
    toInput: (v) => ({ townshipId: v.townshipId, action: v.action, effectiveFrom: day(v.effectiveFrom), note: v.note }),
    send: (input, key) => api.changeDelegation(code, input, key),
  });
  const now = new Set(latest?.delegatedTownships.map((a) => a.id));
  return (
    <Card size="small" title={t('cat.amend.delegation')} data-testid="amend-delegation">
      <Form
        form={form}
        name="amend-delegation"
        layout="vertical"
        onFinish={submit}
        onValuesChange={clearChanged}
        initialValues={{ action: 'grant' }}
      >
        <Form.Item name="townshipId" label={t('cat.amend.township')} required>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={agencies
              .filter((a) => a.kind === 'township' && a.delegated)
              .map((a) => ({ value: a.id, label: `${a.nameZh}${now.has(a.id) ? `（${t('cat.delegated')}）` : ''}` }))}
          />
        </Form.Item>
        <Form.Item name="action" label={t('cat.amend.action')} required>
          <Radio.Group
            options={[
              { value: 'grant', label: t('cat.amend.grant') },
              { value: 'revoke', label: t('cat.amend.revoke') },
            ]}
          />
        </Form.Item>
        <Form.Item name="effectiveFrom" label={t('cat.amend.effectiveFrom')} required>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="note" label={t('cat.amend.note')} required>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Submit problems={problems} saving={saving} label={t('cat.amend.submitDelegation')} />
      </Form>
    </Card>
  );
}

/** The arbiters' amendment forms; remounted after each saved version so they start from the new one. */
export function AmendmentForms({ item, agencies }: { item: ItemDetail; agencies: AgencySummary[] }) {
  const { t } = useI18n();
  const latest = item.versions[item.versions.length - 1];
  return (
    <Flex vertical gap={12} data-testid="amendments" key={latest?.id ?? 'none'}>
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('cat.amend.title')}
      </Typography.Title>
      <DelegationForm code={item.code} latest={latest} agencies={agencies} />
      <VersionForm code={item.code} latest={latest} agencies={agencies} />
    </Flex>
  );
}
