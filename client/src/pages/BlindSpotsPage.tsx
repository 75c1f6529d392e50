import { useState } from 'react';
import { Alert, Badge, Card, DatePicker, Flex, List, Skeleton, Space, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { todayInChina } from '@xietong/shared';
import { api, keys } from '../app/api.js';
import { useI18n, type MessageKey } from '../app/i18n.js';
import { Link } from '../app/router.js';

interface Row {
  code: string;
  nameZh: string;
  /** what the row adds to the item's name: the township, the uncovered townships, the change */
  detail?: string;
}

/**
 * 监管盲区: where the catalogue leaves a matter with no one to answer for it on a day — no
 * supervising department, no penalising body for some townships, a township given the power but
 * no staff to use it — and the boundaries changed in the month before, where disputes start.
 * The guidance office works down these lists; everyone may read them.
 */
export default function BlindSpotsPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const [date, setDate] = useState<string>(todayInChina());
  const report = useQuery({ queryKey: [...keys.catalogue, 'blind-spots', date], queryFn: () => api.blindSpots(date) });

  const section = (title: MessageKey, hint: MessageKey, rows: Row[] | undefined, testId: string) => (
    <Card
      size="small"
      data-testid={testId}
      title={
        <Space>
          {t(title)}
          <Badge count={rows?.length ?? 0} showZero color={rows?.length ? '#cf1322' : '#52c41a'} />
        </Space>
      }
    >
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        {t(hint)}
      </Typography.Paragraph>
      <List
        size="small"
        dataSource={rows ?? []}
        locale={{ emptyText: t('blind.none') }}
        renderItem={(r) => (
          <List.Item>
            <Flex wrap gap={8} align="baseline">
              <Link to={`/catalogue/items/${encodeURIComponent(r.code)}`}>{r.nameZh}</Link>
              <Typography.Text type="secondary">{r.code}</Typography.Text>
              {r.detail && <Tag>{r.detail}</Tag>}
            </Flex>
          </List.Item>
        )}
      />
    </Card>
  );

  const d = report.data;
  return (
    <Flex vertical gap={12}>
      <Flex wrap gap={12} align="center" justify="space-between">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('blind.title')}
        </Typography.Title>
        <Space>
          <label htmlFor="blind-date">{t('blind.date')}</label>
          <DatePicker
            id="blind-date"
            allowClear={false}
            value={dayjs(date)}
            onChange={(v: Dayjs | null) => v && setDate(v.format('YYYY-MM-DD'))}
          />
        </Space>
      </Flex>
      {report.isError && <Alert type="error" title={report.error.message} />}
      {report.isPending ? (
        <Skeleton active />
      ) : (
        <>
          {section(
            'blind.noSupervisor',
            'blind.noSupervisor.hint',
            d?.noSupervisingAgency.map((r) => ({ ...r })),
            'blind-no-supervisor',
          )}
          {section(
            'blind.noPenalising',
            'blind.noPenalising.hint',
            d?.noPenalisingBody.map((r) => ({ ...r, detail: r.townships.map((x) => x.nameZh).join('、') })),
            'blind-no-penalising',
          )}
          {section(
            'blind.unstaffed',
            'blind.unstaffed.hint',
            d?.delegatedWithoutTownshipStaff.map((r) => ({ ...r, detail: r.township.nameZh })),
            'blind-unstaffed',
          )}
          {section(
            'blind.changed',
            'blind.changed.hint',
            d?.changedRecently.map((r) => ({
              ...r,
              detail: `${r.effectiveFrom} · ${i18n.boundaryReason(r.reason)}`,
            })),
            'blind-changed',
          )}
        </>
      )}
    </Flex>
  );
}
