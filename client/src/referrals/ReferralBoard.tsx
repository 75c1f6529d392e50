import { useState } from 'react';
import { Alert, Button, Card, Empty, Flex, Skeleton, Tabs, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { REFERRAL_STATES, type ReferralState, type ReferralView } from '@xietong/shared';
import { api, keys } from '../app/api.js';
import { useI18n } from '../app/i18n.js';
import { Link } from '../app/router.js';
import { NearestClock } from './clock.js';

const STATE_COLORS: Partial<Record<ReferralState, string>> = {
  delivered: 'processing',
  signed: 'cyan',
  accepted: 'green',
  in_progress: 'blue',
  on_hold: 'warning',
  returned: 'magenta',
  concluded: 'success',
  escalated: 'red',
};

export function StateTag({ state }: { state: ReferralState }) {
  const i18n = useI18n();
  return (
    <Tag color={STATE_COLORS[state] ?? 'default'} data-state={state} style={{ marginInlineEnd: 0 }}>
      {i18n.state(state)}
    </Tag>
  );
}

function ReferralCard({ r, box }: { r: ReferralView; box: 'inbox' | 'outbox' }) {
  const i18n = useI18n();
  const other = box === 'inbox' ? r.from : r.to;
  return (
    <Card size="small" data-referral={r.id} data-matter-number={r.matter.number}>
      <Flex justify="space-between" align="start" gap={8} wrap>
        <Link to={`/referrals/${r.id}`} style={{ minWidth: 0, flex: '1 1 200px' }}>
          <Typography.Text strong>{r.matter.number}</Typography.Text>
          <div style={{ overflowWrap: 'anywhere' }}>{r.matter.itemName}</div>
        </Link>
        <StateTag state={r.state} />
      </Flex>
      <Flex gap={8} wrap align="center" style={{ marginTop: 8 }}>
        <Tag style={{ marginInlineEnd: 0 }}>{i18n.kind(r.kind)}</Tag>
        <Typography.Text type="secondary" style={{ overflowWrap: 'anywhere' }}>
          {i18n.t(box === 'inbox' ? 'referral.from' : 'referral.to')}：{other.nameZh} · {r.matter.township}
        </Typography.Text>
        <NearestClock clocks={r.clocks} />
      </Flex>
    </Card>
  );
}

/** Referrals by state with a count on each tab, the nearest deadline first (the server's order). */
export function ReferralBoard({ box }: { box: 'inbox' | 'outbox' }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [state, setState] = useState<ReferralState | undefined>();
  const list = useQuery({ queryKey: keys.referralBox(box, state), queryFn: () => api.referrals(box, state) });
  const counts = list.data?.counts ?? {};
  // Drafts are the sender's own business: never in an inbox.
  const states = REFERRAL_STATES.filter(
    (s) => (box === 'outbox' || s !== 'draft') && ((counts[s] ?? 0) > 0 || s === state),
  );
  const total = states.reduce((n, s) => n + (counts[s] ?? 0), 0);
  const label = (text: string, n: number) => (
    <span>
      {text} <Tag style={{ marginInlineEnd: 0 }}>{n}</Tag>
    </span>
  );
  return (
    <>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t(box === 'inbox' ? 'box.inbox.title' : 'box.outbox.title')}
      </Typography.Title>
      <Tabs
        activeKey={state ?? 'all'}
        onChange={(k) => setState(k === 'all' ? undefined : (k as ReferralState))}
        items={[
          { key: 'all', label: label(t('common.all'), total) },
          ...states.map((s) => ({ key: s, label: label(i18n.state(s), counts[s] ?? 0) })),
        ]}
      />
      {list.isPending && <Skeleton active />}
      {list.isError && (
        <Alert
          type="error"
          title={list.error.message}
          action={<Button onClick={() => void list.refetch()}>{t('common.retry')}</Button>}
        />
      )}
      {list.data && list.data.referrals.length === 0 && <Empty description={t('common.empty')} />}
      <Flex vertical gap={8} data-testid={`${box}-list`} data-loaded={list.isSuccess}>
        {list.data?.referrals.map((r) => (
          <ReferralCard key={r.id} r={r} box={box} />
        ))}
      </Flex>
    </>
  );
}
