import { useState } from 'react';
import { Alert, Badge, Empty, Flex, Grid, Input, List, Skeleton, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { CHANNEL_KIND_LABELS, type ChannelView, type Me, type SearchHit } from '@xietong/shared';
import { api, keys } from '../app/api.js';
import { useI18n } from '../app/i18n.js';
import { useChannelStore } from '../app/realtime.js';
import { navigate } from '../app/router.js';
import { useMe } from '../app/session.js';
import { Conversation, PresenceDot } from '../channels/Conversation.js';
import type { ChannelStore } from '../channels/store.js';

/** Someone else in the channel is online: for direct messages, the other person. */
function anyoneOnline(store: ChannelStore | null, c: ChannelView, me: Me): boolean {
  return c.memberUserIds.some((id) => id !== me.id && store?.presenceOf(id) === 'online');
}

function ChannelList({ selected }: { selected?: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const me = useMe();
  const store = useChannelStore();
  const [q, setQ] = useState('');
  const channels = useQuery({ queryKey: keys.channels, queryFn: api.channels });
  const search = useQuery({
    queryKey: ['channel-search', q],
    queryFn: () => api.searchMessages(q),
    enabled: q.trim().length >= 2,
  });
  return (
    <Flex vertical gap={8} style={{ minWidth: 0 }}>
      <Input.Search
        aria-label={t('channels.search')}
        placeholder={t('channels.search')}
        allowClear
        onSearch={(v) => setQ(v.trim())}
      />
      {q.length >= 2 ? (
        <List<SearchHit>
          data-testid="search-results"
          size="small"
          bordered
          loading={search.isFetching}
          locale={{ emptyText: t('common.empty') }}
          dataSource={search.data ?? []}
          renderItem={(h) => (
            <List.Item
              style={{ cursor: 'pointer', display: 'block' }}
              onClick={() => {
                setQ('');
                navigate(`/channels/${h.message.channelId}`);
              }}
            >
              <Typography.Text type="secondary">
                {h.channelTitle} · {h.message.sender?.displayName ?? t('channels.system')}
              </Typography.Text>
              <div style={{ overflowWrap: 'anywhere' }}>{h.message.body}</div>
            </List.Item>
          )}
        />
      ) : null}
      {channels.isPending && <Skeleton active />}
      {channels.isError && <Alert type="error" title={channels.error.message} />}
      {channels.data?.length === 0 && <Empty description={t('common.empty')} />}
      <nav aria-label={t('menu.channels')}>
        {channels.data?.map((c) => (
          <Flex
            key={c.id}
            role="link"
            tabIndex={0}
            data-channel={c.title}
            data-unread={c.unread}
            align="center"
            gap={8}
            onClick={() => navigate(`/channels/${c.id}`)}
            onKeyDown={(e) => e.key === 'Enter' && navigate(`/channels/${c.id}`)}
            style={{
              padding: '8px 10px',
              cursor: 'pointer',
              borderRadius: 6,
              background: c.id === selected ? '#e6f4ff' : undefined,
            }}
          >
            <PresenceDot state={anyoneOnline(store, c, me) ? 'online' : 'offline'} />
            <div style={{ flex: 1, minWidth: 0 }}>
              <Typography.Text strong={c.unread > 0} ellipsis style={{ display: 'block' }}>
                {c.title}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {i18n.lang === 'zh' ? CHANNEL_KIND_LABELS[c.kind] : t(`channels.kind.${c.kind}`)}
                {c.archived ? ` · ${t('channels.archived')}` : ''}
              </Typography.Text>
            </div>
            {c.mentions > 0 && (
              <Tag color="red" data-testid="mention-badge" style={{ marginInlineEnd: 0 }}>
                @{c.mentions}
              </Tag>
            )}
            <Badge count={c.unread} data-testid="unread-badge" />
          </Flex>
        ))}
      </nav>
    </Flex>
  );
}

/** Channels (联络群): the list with badges and search beside the open conversation; one at a time on a phone. */
export default function ChannelsPage({ params }: { params: Record<string, string> }) {
  const phone = !Grid.useBreakpoint().md;
  const id = params.id;
  if (phone) return id ? <Conversation channelId={id} /> : <ChannelList />;
  return (
    <Flex gap={16} align="flex-start">
      <div style={{ width: 280, flex: 'none' }}>
        <ChannelList selected={id} />
      </div>
      <div style={{ flex: 1, minWidth: 0 }}>
        {id ? <Conversation channelId={id} /> : <Empty description={<ChooseHint />} />}
      </div>
    </Flex>
  );
}

function ChooseHint() {
  return <>{useI18n().t('channels.choose')}</>;
}
