import { useState } from 'react';
import { App, Button, Card, Flex, Form, Input, InputNumber, Modal, Space, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  ExtensionRequest,
  fieldErrors,
  LEGAL_CLOCKS,
  type ClockView,
  type Me,
  type ReferralView,
} from '@xietong/shared';
import { api, keys } from '../app/api.js';
import { showErrors } from '../app/forms.js';
import { useI18n } from '../app/i18n.js';
import { sideOf } from './ActionPanel.js';
import { ClockTag } from './clock.js';

const LIVE = ['running', 'paused', 'overdue', 'escalated'];

/** The receiver may ask for more time on a configurable clock that has not expired, one request at a time. */
const extendable = (c: ClockView): boolean =>
  !c.pendingExtension && LEGAL_CLOCKS[c.code].configurable && (c.state === 'running' || c.state === 'paused');

function ExtensionForm({
  referral,
  clock,
  onClose,
}: {
  referral: ReferralView;
  clock: ClockView;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<ExtensionRequest>();
  const mutation = useMutation({
    mutationFn: (input: ExtensionRequest) => api.requestExtension(referral.id, clock.id, input),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: keys.referral(referral.id) });
      void message.success(t('clock.extend.sent'));
      onClose();
    },
    onError: (err) => void message.error(err.message),
  });
  const submit = () => {
    const parsed = ExtensionRequest.safeParse(form.getFieldsValue());
    if (!parsed.success) {
      showErrors(form, fieldErrors(parsed.error));
      return;
    }
    mutation.mutate(parsed.data);
  };
  return (
    <Modal open title={t('clock.extend')} onOk={submit} onCancel={onClose} confirmLoading={mutation.isPending}>
      <Form form={form} layout="vertical" name="extension">
        <Form.Item name="amount" label={t('clock.extend.amount')} required>
          <InputNumber min={1} max={60} />
        </Form.Item>
        <Form.Item name="reason" label={t('clock.extend.reason')} required>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The referral's legal clocks: countdown, basis, and extensions (asked by the receiver, decided by the sender). */
export function ClockList({ referral, me }: { referral: ReferralView; me: Me }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [extending, setExtending] = useState<ClockView | null>(null);
  const side = sideOf(referral, me);
  const decide = useMutation({
    mutationFn: ({ clock, grant }: { clock: ClockView; grant: boolean }) =>
      api.decideExtension(referral.id, clock.id, { grant }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: keys.referral(referral.id) });
      void message.success(t('clock.decided'));
    },
    onError: (err) => void message.error(err.message),
  });
  if (referral.clocks.length === 0) return <Typography.Text type="secondary">{t('clock.none')}</Typography.Text>;
  return (
    <Flex vertical gap={8}>
      {referral.clocks.map((c) => (
        <Card key={c.id} size="small" data-clock={c.code}>
          <Flex justify="space-between" gap={8} wrap>
            <Typography.Text strong>{c.labelZh}</Typography.Text>
            {LIVE.includes(c.state) ? (
              <ClockTag clock={c} />
            ) : (
              <Typography.Text type="secondary">{t(`clockState.${c.state}`)}</Typography.Text>
            )}
          </Flex>
          <Typography.Paragraph type="secondary" style={{ margin: '4px 0' }}>
            {t('clock.deadline')}：{i18n.dateTime(c.deadline)} · {t('clock.basis')}：{c.legalBasis}
          </Typography.Paragraph>
          {c.pendingExtension && (
            <Typography.Paragraph style={{ margin: '4px 0' }}>
              {t('clock.pending', { amount: c.pendingExtension.amount, reason: c.pendingExtension.reason })}
            </Typography.Paragraph>
          )}
          {side === 'receiver' && extendable(c) && (
            <Button size="small" onClick={() => setExtending(c)}>
              {t('clock.extend')}
            </Button>
          )}
          {side === 'sender' && c.pendingExtension && (
            <Space wrap>
              <Button
                size="small"
                type="primary"
                loading={decide.isPending && decide.variables.grant}
                disabled={decide.isPending}
                onClick={() => decide.mutate({ clock: c, grant: true })}
              >
                {t('clock.grant')}
              </Button>
              <Button
                size="small"
                loading={decide.isPending && !decide.variables.grant}
                disabled={decide.isPending}
                onClick={() => decide.mutate({ clock: c, grant: false })}
              >
                {t('clock.refuse')}
              </Button>
            </Space>
          )}
        </Card>
      ))}
      {extending && <ExtensionForm referral={referral} clock={extending} onClose={() => setExtending(null)} />}
    </Flex>
  );
}
