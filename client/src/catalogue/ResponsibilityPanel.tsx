import { Alert, Card, DatePicker, Descriptions, Form, Select, Skeleton, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { REFERRAL_KINDS, ReferralKind } from '@xietong/shared';
import { api, keys } from '../app/api.js';
import { useI18n } from '../app/i18n.js';
import { useAgencyName, usePeriod } from './common.js';

interface Values {
  township?: string;
  date?: Dayjs | null;
  kind: ReferralKind;
}

/** "Who is responsible for this item in township T on date D", and where a referral would go: with the why. */
export function ResponsibilityPanel({ code }: { code: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const agencyName = useAgencyName();
  const period = usePeriod();
  const [form] = Form.useForm<Values>();
  const township = Form.useWatch('township', form);
  const picked = Form.useWatch('date', form);
  const kind = Form.useWatch('kind', form) ?? ReferralKind.JurisdictionTransfer;
  const date = picked ? picked.format('YYYY-MM-DD') : undefined;
  const agencies = useQuery({ queryKey: keys.agencies, queryFn: api.agencies });
  const townships = (agencies.data ?? []).filter((a) => a.kind === 'township');
  const answer = useQuery({
    queryKey: [...keys.catalogueItem(code), 'responsibility', township, date],
    queryFn: () => api.responsibility(code, township ?? '', date),
    enabled: Boolean(township),
  });
  const route = useQuery({
    queryKey: [...keys.catalogueItem(code), 'route', township, date, kind],
    queryFn: () => api.route(code, kind, township ?? '', date),
    enabled: Boolean(township),
  });
  const name = (id: string) => agencies.data?.find((a) => a.id === id)?.nameZh ?? id;

  let body;
  if (!township) body = <Typography.Text type="secondary">{t('cat.who.hint')}</Typography.Text>;
  else if (answer.isPending) body = <Skeleton active paragraph={{ rows: 3 }} />;
  else if (answer.isError) body = <Alert type="warning" title={answer.error.message} role="alert" />;
  else {
    const a = answer.data;
    body = (
      <div data-testid="who-answer" data-township={a.township.code} data-date={a.date} data-rule={a.rule}>
        <Descriptions
          size="small"
          column={1}
          items={[
            { key: 'penalising', label: t('cat.penalising'), children: <strong>{agencyName(a.penalising)}</strong> },
            { key: 'supervising', label: t('cat.supervising'), children: agencyName(a.supervising) },
            { key: 'approving', label: t('cat.approving'), children: agencyName(a.approving) },
          ]}
        />
        <Typography.Paragraph data-testid="who-why" style={{ marginBottom: 4 }}>
          {t('cat.who.why')}：{a.explanation}
        </Typography.Paragraph>
        <Typography.Paragraph type="secondary" data-testid="who-version" style={{ marginBottom: 8 }}>
          {t('cat.who.versionRef', {
            version: a.version.version,
            period: period(a.version),
            reason: i18n.boundaryReason(a.version.reason),
          })}
          {a.version.note ? `：${a.version.note}` : ''}
        </Typography.Paragraph>
        {route.data &&
          (route.data.routed ? (
            <Typography.Paragraph style={{ marginBottom: 0 }} data-testid="who-route">
              {t('cat.who.route')}：<strong>{name(route.data.receivingAgencyId)}</strong>（
              {i18n.routing(route.data.rule)}）
              {route.data.informAgencyIds.length > 0 &&
                ` · ${t('cat.who.inform')}：${route.data.informAgencyIds.map(name).join('、')}`}
            </Typography.Paragraph>
          ) : (
            <Alert type="warning" title={t('cat.who.unrouted', { rule: i18n.routing(route.data.rule) })} />
          ))}
        {route.isError && <Alert type="warning" title={route.error.message} />}
      </div>
    );
  }

  return (
    <Card size="small" title={t('cat.who.title')} data-testid="who-panel">
      <Form
        form={form}
        name="who"
        layout="vertical"
        initialValues={{ date: dayjs(), kind: ReferralKind.JurisdictionTransfer }}
      >
        <Form.Item name="township" label={t('cat.who.township')} style={{ marginBottom: 8 }}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={townships.map((a) => ({ value: a.code, label: a.nameZh }))}
          />
        </Form.Item>
        <Form.Item name="date" label={t('cat.who.date')} style={{ marginBottom: 8 }}>
          <DatePicker style={{ width: '100%' }} allowClear={false} />
        </Form.Item>
        <Form.Item name="kind" label={t('cat.who.kind')} style={{ marginBottom: 12 }}>
          <Select options={REFERRAL_KINDS.map((k) => ({ value: k, label: i18n.kind(k) }))} />
        </Form.Item>
      </Form>
      {body}
    </Card>
  );
}
