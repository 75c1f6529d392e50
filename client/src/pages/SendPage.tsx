import { useDeferredValue, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Form, Input, Radio, Select, Skeleton, Switch, Typography } from 'antd';
import { useMutation, useQuery } from '@tanstack/react-query';
import {
  CreateMatterRequest,
  CreateReferralRequest,
  fieldErrors,
  REFERRAL_KINDS,
  type MatterView,
  type ReferralKind,
} from '@xietong/shared';
import { api, ApiError, keys } from '../app/api.js';
import { useI18n } from '../app/i18n.js';
import { showErrors } from '../app/forms.js';
import { navigate } from '../app/router.js';
import { useMe } from '../app/session.js';

interface Values {
  itemCode?: string;
  township?: string;
  place?: string;
  party?: { kind?: 'person' | 'company'; name?: string; idNumber?: string };
  procedure?: 'general' | 'simple';
  flags?: string[];
  summary?: string;
  kind?: ReferralKind;
  override?: boolean;
  toAgencyId?: string;
  overrideReason?: string;
  note?: string;
}

const FLAGS = ['majorDifficult', 'publicInterestClue', 'suspectedCrime'] as const;
const ReferralPart = CreateReferralRequest.omit({ matterId: true });

/** An Idempotency-Key; crypto.randomUUID needs a secure context, which a county LAN may not give. */
function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const blank = (s: string | undefined) => (s?.trim() ? s : undefined);

function matterInput(v: Values): unknown {
  return {
    itemCode: v.itemCode,
    township: v.township,
    place: v.place,
    party: { kind: v.party?.kind, name: v.party?.name, idNumber: blank(v.party?.idNumber) },
    procedure: v.procedure,
    flags: Object.fromEntries(FLAGS.map((f) => [f, v.flags?.includes(f) ?? false])),
    summary: v.summary,
  };
}

function referralInput(v: Values): unknown {
  return {
    kind: v.kind,
    ...(v.override ? { toAgencyId: v.toAgencyId, overrideReason: v.overrideReason } : {}),
    note: blank(v.note),
  };
}

/** Who will receive it and why: the catalogue's routing answer and the responsibility explanation. */
function RoutePreview({ code, township, kind }: { code?: string; township?: string; kind?: ReferralKind }) {
  const i18n = useI18n();
  const { t } = i18n;
  const ready = Boolean(code && township && kind);
  const agencies = useQuery({ queryKey: keys.agencies, queryFn: api.agencies });
  const route = useQuery({
    queryKey: ['route', code, township, kind],
    queryFn: () => api.route(code ?? '', kind ?? 'jurisdiction_transfer', township ?? ''),
    enabled: ready,
  });
  const why = useQuery({
    queryKey: ['responsibility', code, township],
    queryFn: () => api.responsibility(code ?? '', township ?? ''),
    enabled: ready,
  });
  const name = (id: string) => agencies.data?.find((a) => a.id === id)?.nameZh ?? id;
  let body;
  if (!ready) body = <Typography.Text type="secondary">{t('send.preview.hint')}</Typography.Text>;
  else if (route.isPending) body = <Skeleton active paragraph={{ rows: 2 }} />;
  else if (route.isError) body = <Alert type="error" title={route.error.message} />;
  else if (!route.data.routed)
    body = <Alert type="warning" title={t('send.preview.unrouted', { rule: i18n.routing(route.data.rule) })} />;
  else
    body = (
      <>
        <Typography.Title level={5} style={{ marginTop: 0 }} data-testid="route-receiver">
          {name(route.data.receivingAgencyId)}
        </Typography.Title>
        {route.data.informAgencyIds.length > 0 && (
          <Typography.Paragraph>
            {t('referral.inform')}：{route.data.informAgencyIds.map(name).join('、')}
          </Typography.Paragraph>
        )}
        <Typography.Paragraph>
          {t('referral.routing')}：{i18n.routing(route.data.rule)}
        </Typography.Paragraph>
        {why.data && (
          <>
            <Typography.Paragraph data-testid="route-why">
              {t('send.preview.why')}：{why.data.explanation}
            </Typography.Paragraph>
            <Typography.Text type="secondary">
              {t('send.preview.version', { version: why.data.version.version, from: why.data.version.effectiveFrom })}
            </Typography.Text>
          </>
        )}
      </>
    );
  return (
    <Card size="small" title={t('send.preview')} data-testid="route-preview" style={{ marginBottom: 16 }}>
      {body}
    </Card>
  );
}

export default function SendPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const me = useMe();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const values = Form.useWatch([], form) ?? {};
  const [search, setSearch] = useState('');
  const q = useDeferredValue(search);
  const items = useQuery({ queryKey: ['items', q], queryFn: () => api.items(q) });
  const agencies = useQuery({ queryKey: keys.agencies, queryFn: api.agencies });
  const townships = (agencies.data ?? []).filter((a) => a.kind === 'township');
  // A matter created by a submit whose referral then failed: reused, so a retry makes no second one.
  const [made, setMade] = useState<{ input: string; matter: MatterView } | null>(null);
  const [keysFor] = useState(() => ({ matter: newKey(), referral: newKey() }));
  const [error, setError] = useState('');

  const send = useMutation({
    mutationFn: async (v: { matter: CreateMatterRequest; referral: Omit<CreateReferralRequest, 'matterId'> }) => {
      const input = JSON.stringify(v.matter);
      let matter = made?.input === input ? made.matter : undefined;
      if (!matter) {
        matter = await api.createMatter(v.matter, made ? newKey() : keysFor.matter);
        setMade({ input, matter });
      }
      try {
        return await api.createReferral({ ...v.referral, matterId: matter.id }, keysFor.referral);
      } catch (err) {
        keysFor.referral = newKey();
        throw err;
      }
    },
    onSuccess: (r) => {
      void message.success(t('send.done', { number: r.matter.number }));
      navigate(`/referrals/${r.id}`);
    },
    onError: (err) => {
      if (err instanceof ApiError && err.body.details) {
        showErrors(form, err.body.details);
      }
      setError(err.message);
    },
  });

  const submit = () => {
    const v = form.getFieldsValue(true) as Values;
    const matter = CreateMatterRequest.safeParse(matterInput(v));
    const referral = ReferralPart.safeParse(referralInput(v));
    const problems = [
      ...(matter.success ? [] : fieldErrors(matter.error)),
      ...(referral.success ? [] : fieldErrors(referral.error)),
    ];
    if (v.override && !v.toAgencyId) problems.push({ field: 'toAgencyId', message: '请选择接收单位' });
    if (problems.length > 0 || !matter.success || !referral.success) {
      showErrors(form, problems);
      return;
    }
    setError('');
    send.mutate({ matter: matter.data, referral: referral.data });
  };

  return (
    <div style={{ maxWidth: 760 }}>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('send.title')}
      </Typography.Title>
      <Form
        form={form}
        layout="vertical"
        name="send"
        initialValues={{ party: { kind: 'person' }, procedure: 'general', kind: 'jurisdiction_transfer', flags: [] }}
        onFinish={submit}
        requiredMark="optional"
      >
        <Typography.Title level={5}>{t('send.matter')}</Typography.Title>
        <Form.Item name="itemCode" label={t('matter.item')} required>
          <Select
            showSearch={{ filterOption: false, onSearch: setSearch }}
            placeholder={t('send.item.placeholder')}
            loading={items.isFetching}
            notFoundContent={items.isFetching ? t('common.loading') : t('common.empty')}
            options={(items.data?.items ?? []).map((i) => ({
              value: i.code,
              label: `${i.nameZh}（${i.code} · ${i.pinyinInitials}）`,
            }))}
          />
        </Form.Item>
        <Form.Item name="township" label={t('matter.township')} required>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('send.township.placeholder')}
            options={townships.map((a) => ({ value: a.id, label: a.nameZh }))}
          />
        </Form.Item>
        <Form.Item name="place" label={t('matter.place')} required>
          <Input />
        </Form.Item>
        <Form.Item name={['party', 'kind']} label={t('matter.party.kind')} required>
          <Radio.Group
            aria-label={t('matter.party.kind')}
            options={[
              { value: 'person', label: t('matter.party.person') },
              { value: 'company', label: t('matter.party.company') },
            ]}
          />
        </Form.Item>
        <Form.Item name={['party', 'name']} label={t('matter.party.name')} required>
          <Input />
        </Form.Item>
        <Form.Item name={['party', 'idNumber']} label={t('matter.party.idNumber')}>
          <Input />
        </Form.Item>
        <Form.Item name="procedure" label={t('matter.procedure')} required>
          <Radio.Group
            aria-label={t('matter.procedure')}
            options={[
              { value: 'general', label: t('matter.procedure.general') },
              { value: 'simple', label: t('matter.procedure.simple') },
            ]}
          />
        </Form.Item>
        <Form.Item name="flags" label={t('matter.flags')}>
          <Checkbox.Group
            role="group"
            aria-label={t('matter.flags')}
            options={FLAGS.map((f) => ({ value: f, label: t(`matter.flags.${f}`) }))}
          />
        </Form.Item>
        <Form.Item name="summary" label={t('matter.summary')} required>
          <Input.TextArea rows={4} />
        </Form.Item>

        <Typography.Title level={5}>{t('send.referral')}</Typography.Title>
        <Form.Item name="kind" label={t('referral.kind')} required>
          <Select options={REFERRAL_KINDS.map((k) => ({ value: k, label: i18n.kind(k) }))} />
        </Form.Item>
        <RoutePreview code={values.itemCode} township={values.township} kind={values.kind} />
        <Form.Item name="override" label={t('send.override')} valuePropName="checked">
          <Switch />
        </Form.Item>
        {values.override && (
          <>
            <Form.Item name="toAgencyId" label={t('send.override.agency')} required>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={(agencies.data ?? [])
                  .filter((a) => a.id !== me.agencyId)
                  .map((a) => ({ value: a.id, label: a.nameZh }))}
              />
            </Form.Item>
            <Form.Item name="overrideReason" label={t('field.overrideReason')} required>
              <Input.TextArea rows={2} />
            </Form.Item>
          </>
        )}
        <Form.Item name="note" label={t('send.note')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        {made && error && (
          <Alert
            type="warning"
            title={t('send.matterKept', { number: made.matter.number })}
            style={{ marginBottom: 8 }}
          />
        )}
        {error && <Alert type="error" title={error} role="alert" style={{ marginBottom: 16 }} />}
        <Button type="primary" htmlType="submit" loading={send.isPending}>
          {t('send.submit')}
        </Button>
      </Form>
    </div>
  );
}
