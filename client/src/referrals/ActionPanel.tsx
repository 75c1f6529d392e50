import { useState } from 'react';
import { App, Button, Form, Input, Modal, Select, Space, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  allowedActions,
  decide,
  HOLD_REASONS,
  OUTCOMES_BY_KIND,
  requiredFields,
  RETURN_REASONS,
  ruleFor,
  type ActionInput,
  type Me,
  type MatterView,
  type ReferralAction,
  type ReferralSide,
  type ReferralView,
} from '@xietong/shared';
import { api, ApiError, keys, putAnswer } from '../app/api.js';
import { showErrors } from '../app/forms.js';
import { useI18n, type MessageKey } from '../app/i18n.js';

/** What the form holds: the action input, with the missing-materials list as lines of text. */
type FormValues = Omit<ActionInput, 'missingMaterials'> & { missingMaterials?: string };

const toInput = (v: FormValues): ActionInput => {
  const input: ActionInput = {};
  for (const [k, value] of Object.entries(v)) {
    if (value === undefined || value === null || value === '') continue;
    if (k === 'missingMaterials') {
      const lines = String(value)
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      if (lines.length > 0) input.missingMaterials = lines;
    } else (input as Record<string, unknown>)[k] = typeof value === 'string' ? value.trim() : value;
  }
  return input;
};

export const sideOf = (r: ReferralView, me: Me): ReferralSide | null =>
  r.to.id === me.agencyId ? 'receiver' : r.from.id === me.agencyId ? 'sender' : null;

/** A citation of the boundary version the matter was opened under, for a "not ours" return. */
function useBoundaryCitation(matter: MatterView | undefined): string | undefined {
  const item = useQuery({
    queryKey: ['item', matter?.item.code],
    queryFn: () => api.item(matter?.item.code ?? ''),
    enabled: Boolean(matter),
  });
  const v = item.data?.versions.find((x) => x.id === matter?.boundaryVersionId);
  if (!matter || !v) return undefined;
  const towns = v.delegatedTownships.map((x) => x.nameZh).join('、') || '无';
  return `《${matter.item.nameZh}》（${matter.item.code}）职责边界第 ${v.version} 版（${v.effectiveFrom} 起）：处罚主体 ${v.penalising?.nameZh ?? '未确定'}；赋权乡镇 ${towns}`;
}

function ActionForm({
  referral,
  matter,
  action,
  me,
  onClose,
}: {
  referral: ReferralView;
  matter: MatterView | undefined;
  action: ReferralAction;
  me: Me;
  onClose: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const values = Form.useWatch([], form) ?? {};
  const side = sideOf(referral, me);
  const rule = ruleFor(referral.state, action, referral.kind);
  const fields = rule ? [...new Set(requiredFields(rule, toInput(values)))] : [];
  const citation = useBoundaryCitation(matter);
  const agencies = useQuery({ queryKey: keys.agencies, queryFn: api.agencies, enabled: action === 'reroute' });

  const mutation = useMutation({
    mutationFn: (input: ActionInput) => api.act(referral.id, action, input),
    onSuccess: async (next) => {
      await putAnswer(qc, keys.referral(next.id), next);
      void qc.invalidateQueries({ queryKey: keys.referrals });
      void qc.invalidateQueries({ queryKey: keys.matter(next.matter.id) });
      void message.success(t('referral.done', { action: i18n.action(action) }));
      onClose();
    },
    onError: (err) => {
      if (err instanceof ApiError && err.body.details) {
        showErrors(form, err.body.details);
      }
      void message.error(err.message);
    },
  });

  const submit = () => {
    const input = toInput(form.getFieldsValue());
    // The same table the server enforces: nothing leaves that it would refuse for a missing field.
    const decision = decide(referral.state, action, { side, roles: me.roles, kind: referral.kind }, input);
    if (!decision.ok && decision.status === 400) {
      showErrors(form, decision.fields);
      return;
    }
    mutation.mutate(input);
  };

  const label = (f: keyof ActionInput) => t(`field.${f}` as MessageKey);
  const required = (f: keyof ActionInput) => fields.includes(f);
  const show = (f: keyof ActionInput) => required(f) || (f === 'receivingAgencyId' && action === 'reroute');

  return (
    <Modal
      open
      title={i18n.action(action)}
      okText={i18n.action(action)}
      cancelText={t('common.cancel')}
      confirmLoading={mutation.isPending}
      onOk={submit}
      onCancel={onClose}
      destroyOnHidden
    >
      {rule && <Typography.Paragraph type="secondary">{rule.descriptionZh}</Typography.Paragraph>}
      <Form form={form} layout="vertical" name={`action-${action}`}>
        {show('reasonCode') && (
          <Form.Item name="reasonCode" label={label('reasonCode')} required>
            <Select options={RETURN_REASONS.map((r) => ({ value: r, label: i18n.returnReason(r) }))} />
          </Form.Item>
        )}
        {show('boundaryClause') && (
          <Form.Item
            name="boundaryClause"
            label={label('boundaryClause')}
            required
            extra={
              citation && (
                <Button
                  type="link"
                  size="small"
                  style={{ padding: 0 }}
                  onClick={() => form.setFieldValue('boundaryClause', citation)}
                >
                  {t('field.boundaryClause.cite')}
                </Button>
              )
            }
          >
            <Input.TextArea rows={3} />
          </Form.Item>
        )}
        {show('missingMaterials') && (
          <Form.Item name="missingMaterials" label={label('missingMaterials')} required>
            <Input.TextArea rows={3} />
          </Form.Item>
        )}
        {show('reasonText') && (
          <Form.Item name="reasonText" label={label('reasonText')} required>
            <Input.TextArea rows={3} />
          </Form.Item>
        )}
        {show('holdReason') && (
          <Form.Item name="holdReason" label={label('holdReason')} required>
            <Select options={HOLD_REASONS.map((r) => ({ value: r, label: i18n.holdReason(r) }))} />
          </Form.Item>
        )}
        {show('outcome') && (
          <Form.Item name="outcome" label={label('outcome')} required>
            <Select options={OUTCOMES_BY_KIND[referral.kind].map((o) => ({ value: o, label: i18n.outcome(o) }))} />
          </Form.Item>
        )}
        {show('outcomeText') && (
          <Form.Item name="outcomeText" label={label('outcomeText')} required>
            <Input.TextArea rows={3} />
          </Form.Item>
        )}
        {show('receivingAgencyId') && (
          <Form.Item name="receivingAgencyId" label={label('receivingAgencyId')}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              options={(agencies.data ?? [])
                .filter((a) => a.id !== me.agencyId && a.id !== referral.to.id)
                .map((a) => ({ value: a.id, label: a.nameZh }))}
            />
          </Form.Item>
        )}
        {show('overrideReason') && (
          <Form.Item name="overrideReason" label={label('overrideReason')} required>
            <Input.TextArea rows={2} />
          </Form.Item>
        )}
        <Form.Item name="note" label={label('note')}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The buttons the lifecycle table allows this user, on this side, in this state. */
export function ActionPanel({ referral, matter, me }: { referral: ReferralView; matter?: MatterView; me: Me }) {
  const i18n = useI18n();
  const [open, setOpen] = useState<ReferralAction | null>(null);
  const side = sideOf(referral, me);
  const actions = side ? allowedActions(referral.state, { side, roles: me.roles, kind: referral.kind }) : [];
  if (actions.length === 0) return <Typography.Text type="secondary">{i18n.t('referral.noActions')}</Typography.Text>;
  return (
    <>
      <Space wrap>
        {actions.map((a, i) => (
          <Button
            key={a}
            type={i === 0 ? 'primary' : 'default'}
            danger={a === 'return' || a === 'withdraw'}
            onClick={() => setOpen(a)}
          >
            {i18n.action(a)}
          </Button>
        ))}
      </Space>
      {open && <ActionForm referral={referral} matter={matter} action={open} me={me} onClose={() => setOpen(null)} />}
    </>
  );
}
