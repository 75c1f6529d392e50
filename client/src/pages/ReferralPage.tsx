import { Alert, Button, Card, Descriptions, Flex, Grid, Skeleton, Tag, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import type { RoutingRuleCode } from '@xietong/shared';
import { api, keys } from '../app/api.js';
import { useI18n } from '../app/i18n.js';
import { useMe } from '../app/session.js';
import { ActionPanel } from '../referrals/ActionPanel.js';
import { ClockList } from '../referrals/ClockList.js';
import { Attachments, MatterInfo, MatterTimeline } from '../referrals/MatterPanels.js';
import { StateTag } from '../referrals/ReferralBoard.js';

/** One referral: its state and clocks, the actions open to this user, the matter, timeline and files. */
export default function ReferralPage({ params }: { params: Record<string, string> }) {
  const i18n = useI18n();
  const { t } = i18n;
  const me = useMe();
  const id = params.id ?? '';
  const phone = !Grid.useBreakpoint().md;
  const referral = useQuery({ queryKey: keys.referral(id), queryFn: () => api.referral(id) });
  const matterId = referral.data?.matter.id;
  const matter = useQuery({
    queryKey: keys.matter(matterId ?? ''),
    queryFn: () => api.matter(matterId ?? ''),
    enabled: Boolean(matterId),
  });
  if (referral.isPending) return <Skeleton active />;
  if (referral.isError) return <Alert type="error" title={referral.error.message} />;
  const r = referral.data;
  return (
    <Flex vertical gap={12} data-testid="referral" data-state={r.state}>
      <Flex align="center" gap={8} wrap>
        <Button type="text" icon={<ArrowLeftOutlined />} aria-label={t('common.back')} onClick={() => history.back()} />
        <Typography.Title level={4} style={{ margin: 0 }}>
          {r.matter.number}
        </Typography.Title>
        <StateTag state={r.state} />
        <Tag>{i18n.kind(r.kind)}</Tag>
      </Flex>
      <Typography.Text style={{ overflowWrap: 'anywhere' }}>{r.matter.itemName}</Typography.Text>
      <Card size="small" title={t('referral.actions')}>
        <ActionPanel referral={r} matter={matter.data} me={me} />
      </Card>
      <Card size="small" title={t('clocks.title')}>
        <ClockList referral={r} me={me} />
      </Card>
      <Descriptions size="small" column={1} bordered layout={phone ? 'vertical' : 'horizontal'}>
        <Descriptions.Item label={t('referral.from')}>{r.from.nameZh}</Descriptions.Item>
        <Descriptions.Item label={t('referral.to')}>{r.to.nameZh}</Descriptions.Item>
        {r.inform.length > 0 && (
          <Descriptions.Item label={t('referral.inform')}>{r.inform.map((a) => a.nameZh).join('、')}</Descriptions.Item>
        )}
        <Descriptions.Item label={t('referral.routing')}>
          {i18n.routing(r.routingRule as RoutingRuleCode)}
        </Descriptions.Item>
        {r.overrideReason && <Descriptions.Item label={t('referral.override')}>{r.overrideReason}</Descriptions.Item>}
        <Descriptions.Item label={t('referral.updated')}>{i18n.dateTime(r.updatedAt)}</Descriptions.Item>
      </Descriptions>
      {matter.data && (
        <Card size="small" title={t('matter.title')}>
          <MatterInfo matter={matter.data} />
        </Card>
      )}
      <Card size="small" title={t('attachments.title')}>
        <Attachments matterId={r.matter.id} referralId={r.id} />
      </Card>
      <Card size="small" title={t('timeline.title')}>
        <MatterTimeline matterId={r.matter.id} />
      </Card>
    </Flex>
  );
}
