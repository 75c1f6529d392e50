import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Flex,
  Grid,
  Input,
  Popconfirm,
  Popover,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { ArrowLeftOutlined, PaperClipOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  mentions as mentionsMe,
  MESSAGE_MAX_CHARS,
  type AttachmentView,
  type ChannelView,
  type Me,
  type MessageView,
  type PresenceState,
} from '@xietong/shared';
import { api, keys } from '../app/api.js';
import { newUuid } from '../app/forms.js';
import { useI18n } from '../app/i18n.js';
import { useChannelStore, useConnection } from '../app/realtime.js';
import { navigate } from '../app/router.js';
import { useMe } from '../app/session.js';
import { save } from '../referrals/MatterPanels.js';
import type { ChannelStore } from './store.js';

const DOT: Record<PresenceState, string> = { online: '#52c41a', away: '#faad14', offline: '#d9d9d9' };

export function PresenceDot({ state }: { state: PresenceState }) {
  const { t } = useI18n();
  return (
    <span
      role="img"
      aria-label={t(`presence.${state}`)}
      title={t(`presence.${state}`)}
      data-presence={state}
      style={{ display: 'inline-block', width: 8, height: 8, borderRadius: 4, background: DOT[state], flex: 'none' }}
    />
  );
}

/** Who has read one of my messages, loaded when asked. */
function Receipts({ channelId, messageId }: { channelId: string; messageId: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const readers = useQuery({
    queryKey: keys.readers(messageId),
    queryFn: () => api.readers(channelId, messageId),
    enabled: open,
  });
  const content = readers.data ? (
    <div data-testid="receipts" style={{ maxWidth: 260 }}>
      <div>
        {t('channels.readBy')}：{readers.data.read.map((r) => r.displayName).join('、') || '—'}
      </div>
      <div>
        {t('channels.unreadBy')}：{readers.data.unread.map((r) => r.displayName).join('、') || '—'}
      </div>
    </div>
  ) : (
    <Spin size="small" />
  );
  return (
    <Popover trigger="click" open={open} onOpenChange={setOpen} content={content}>
      <Button type="link" size="small" style={{ padding: 0 }}>
        {t('channels.receipts')}
      </Button>
    </Popover>
  );
}

/** A 需确认 request: the acknowledge button for recipients; for the sender, who has not yet. */
function AckRequest({ m, me, store }: { m: MessageView; me: Me; store: ChannelStore }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const readers = useQuery({ queryKey: keys.readers(m.id), queryFn: () => api.readers(m.channelId, m.id) });
  const mine = m.sender?.id === me.id;
  const acks = readers.data?.acknowledgements ?? [];
  const missing = acks.filter((a) => !a.ackedAt);
  const acked = acks.some((a) => a.userId === me.id && a.ackedAt);
  const act = (fn: () => Promise<void>) => void fn().catch((err: Error) => void message.error(err.message));
  return (
    <Flex gap={8} align="center" wrap data-testid="ack" style={{ fontSize: 12 }}>
      <Tag color={m.ackClosed ? 'default' : 'orange'}>{t('channels.ack.required')}</Tag>
      {mine ? (
        <>
          <Typography.Text type="secondary" data-testid="ack-missing">
            {missing.length === 0
              ? t('channels.ack.all')
              : t('channels.ack.missing', { names: missing.map((a) => a.displayName).join('、') })}
          </Typography.Text>
          {!m.ackClosed && missing.length > 0 && (
            <Button size="small" onClick={() => act(() => store.closeAck(m.id))}>
              {t('channels.ack.close')}
            </Button>
          )}
        </>
      ) : acked ? (
        <Typography.Text type="success">{t('channels.ack.done')}</Typography.Text>
      ) : (
        !m.ackClosed && (
          <Button size="small" type="primary" onClick={() => act(() => store.acknowledge(m.id))}>
            {t('channels.ack.button')}
          </Button>
        )
      )}
    </Flex>
  );
}

function Message({
  m,
  me,
  store,
  channel,
  files,
  onReply,
}: {
  m: MessageView;
  me: Me;
  store: ChannelStore;
  channel: ChannelView;
  files: AttachmentView[];
  onReply: (m: MessageView) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const { message } = App.useApp();
  const [editing, setEditing] = useState<string | null>(null);
  const mine = m.sender?.id === me.id;
  const quoted = m.replyTo ? store.message(m.channelId, m.replyTo) : undefined;
  const forMe = mentionsMe(
    { mentionUserIds: m.mentions.userIds, mentionAgencyIds: m.mentions.agencyIds },
    { userId: me.id, agencyId: me.agencyId },
  );
  const act = (fn: () => Promise<void>) => void fn().catch((err: Error) => void message.error(err.message));

  if (m.kind === 'system') {
    return (
      <div data-seq={m.seq} style={{ textAlign: 'center', padding: '4px 0' }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {m.body}
        </Typography.Text>
      </div>
    );
  }
  return (
    <div
      data-seq={m.seq}
      data-message={m.retracted ? 'retracted' : (m.body ?? '')}
      data-edited={m.version > 1 ? 'true' : 'false'}
      style={{
        padding: '6px 8px',
        borderRadius: 6,
        background: forMe ? '#fff7e6' : mine ? '#f0f5ff' : undefined,
      }}
    >
      <Flex gap={6} align="center" wrap>
        {m.sender && <PresenceDot state={m.sender.id === me.id ? 'online' : store.presenceOf(m.sender.id)} />}
        <Typography.Text strong>{m.sender?.displayName}</Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {i18n.dateTime(m.createdAt)}
        </Typography.Text>
        {forMe && <Tag color="orange">{t('channels.mentionedMe')}</Tag>}
      </Flex>
      {quoted && (
        <div style={{ borderLeft: '3px solid #d9d9d9', paddingLeft: 6, margin: '2px 0', color: '#888', fontSize: 12 }}>
          {quoted.sender?.displayName}：{quoted.retracted ? t('channels.retracted') : quoted.body}
        </div>
      )}
      {m.retracted ? (
        <Typography.Text type="secondary" italic data-testid="retracted">
          {t('channels.retracted')}
        </Typography.Text>
      ) : editing !== null ? (
        <Flex vertical gap={4}>
          <Input.TextArea
            aria-label={t('channels.edit')}
            autoSize
            value={editing}
            maxLength={MESSAGE_MAX_CHARS}
            onChange={(e) => setEditing(e.target.value)}
          />
          <Space>
            <Button
              size="small"
              type="primary"
              onClick={() =>
                act(async () => {
                  await store.edit(m.id, editing);
                  setEditing(null);
                })
              }
            >
              {t('channels.save')}
            </Button>
            <Button size="small" onClick={() => setEditing(null)}>
              {t('common.cancel')}
            </Button>
          </Space>
        </Flex>
      ) : (
        <div style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          {m.body}
          {m.version > 1 && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {' '}
              ({t('channels.edited')})
            </Typography.Text>
          )}
        </div>
      )}
      {!m.retracted && m.attachmentIds.length > 0 && (
        <Space wrap size={4}>
          {m.attachmentIds.map((id) => {
            const f = files.find((x) => x.id === id);
            return (
              <Button
                key={id}
                size="small"
                icon={<PaperClipOutlined />}
                disabled={!f}
                onClick={() => f && act(() => save(f))}
              >
                {f?.fileName ?? t('channels.attachment')}
              </Button>
            );
          })}
        </Space>
      )}
      {!m.retracted && m.requiresAck && <AckRequest m={m} me={me} store={store} />}
      {!m.retracted && editing === null && (
        <Space size={12} style={{ fontSize: 12 }}>
          {channel.canPost && (
            <Button type="link" size="small" style={{ padding: 0 }} onClick={() => onReply(m)}>
              {t('channels.reply')}
            </Button>
          )}
          {mine && <Receipts channelId={m.channelId} messageId={m.id} />}
          {mine && channel.canPost && (
            <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setEditing(m.body ?? '')}>
              {t('channels.edit')}
            </Button>
          )}
          {mine && channel.canPost && (
            <Popconfirm
              title={t('channels.retract.confirm')}
              okText={t('channels.retract')}
              cancelText={t('common.cancel')}
              onConfirm={() => act(() => store.retract(m.id))}
            >
              <Button type="link" size="small" danger style={{ padding: 0 }}>
                {t('channels.retract')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      )}
    </div>
  );
}

function Composer({
  channel,
  store,
  files,
  replyTo,
  onReplied,
}: {
  channel: ChannelView;
  store: ChannelStore;
  files: AttachmentView[];
  replyTo: MessageView | null;
  onReplied: () => void;
}) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [agencyIds, setAgencyIds] = useState<string[]>([]);
  const [attachmentIds, setAttachmentIds] = useState<string[]>([]);
  const [requiresAck, setRequiresAck] = useState(false);
  const agencies = useQuery({ queryKey: keys.agencies, queryFn: api.agencies });
  const members = (agencies.data ?? []).filter((a) => channel.memberAgencyIds.includes(a.id));

  const send = () => {
    if (!text.trim()) return;
    store.send({
      channelId: channel.id,
      clientId: newUuid(),
      text,
      ...(replyTo ? { replyTo: replyTo.id } : {}),
      mentions: { userIds: [], agencyIds },
      attachmentIds,
      requiresAck,
    });
    setText('');
    setAgencyIds([]);
    setAttachmentIds([]);
    setRequiresAck(false);
    onReplied();
  };

  return (
    <Flex vertical gap={6} style={{ borderTop: '1px solid #f0f0f0', paddingTop: 8 }}>
      {replyTo && (
        <Flex justify="space-between" align="center" style={{ fontSize: 12, color: '#888' }}>
          <span style={{ overflowWrap: 'anywhere' }}>
            {t('channels.replyingTo', { name: replyTo.sender?.displayName ?? '' })}：{replyTo.body}
          </span>
          <Button size="small" type="text" onClick={onReplied}>
            {t('common.cancel')}
          </Button>
        </Flex>
      )}
      <Input.TextArea
        aria-label={t('channels.message')}
        placeholder={t('channels.placeholder')}
        autoSize={{ minRows: 1, maxRows: 6 }}
        maxLength={MESSAGE_MAX_CHARS}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          store.typed(channel.id);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            send();
          }
        }}
      />
      <Flex gap={8} wrap align="center">
        <Select
          mode="multiple"
          size="small"
          aria-label={t('channels.mention')}
          placeholder={t('channels.mention')}
          style={{ minWidth: 140, flex: 1 }}
          value={agencyIds}
          onChange={setAgencyIds}
          options={members.map((a) => ({ value: a.id, label: `@${a.nameZh}` }))}
        />
        {channel.matterId && (
          <Select
            mode="multiple"
            size="small"
            aria-label={t('channels.attach')}
            placeholder={t('channels.attach')}
            style={{ minWidth: 140, flex: 1 }}
            value={attachmentIds}
            onChange={setAttachmentIds}
            options={files.map((f) => ({ value: f.id, label: f.fileName }))}
          />
        )}
        <Checkbox checked={requiresAck} onChange={(e) => setRequiresAck(e.target.checked)}>
          {t('channels.ack.ask')}
        </Checkbox>
        <Button type="primary" onClick={send} disabled={!text.trim()}>
          {t('channels.send')}
        </Button>
      </Flex>
    </Flex>
  );
}

/** One channel: history that loads as you scroll up, live changes, and the composer. */
export function Conversation({ channelId }: { channelId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const me = useMe();
  const store = useChannelStore();
  const connection = useConnection();
  const phone = !Grid.useBreakpoint().md;
  const [error, setError] = useState<string | null>(null);
  const [replyTo, setReplyTo] = useState<MessageView | null>(null);
  const channel = useQuery({ queryKey: keys.channel(channelId), queryFn: () => api.channel(channelId) });
  const matterId = channel.data?.matterId ?? null;
  const files = useQuery({
    queryKey: keys.attachments(matterId ?? ''),
    queryFn: () => api.attachments(matterId ?? ''),
    enabled: Boolean(matterId),
  });
  const scroller = useRef<HTMLDivElement>(null);
  const anchor = useRef<{ height: number; top: number } | null>(null);
  const atBottom = useRef(true);
  const loadingOlder = useRef(false);

  useEffect(() => {
    setError(null);
    setReplyTo(null);
    store?.load(channelId).catch((err: Error) => setError(err.message));
  }, [store, channelId]);

  const messages = store?.messages(channelId) ?? [];
  const unsent = store?.unsent(channelId) ?? [];
  const last = messages.at(-1)?.seq ?? 0;
  const first = messages[0]?.seq ?? 0;

  // Reading what is on screen moves my read position (and clears the badge).
  useEffect(() => {
    if (store && last > 0 && channel.data?.member && document.visibilityState === 'visible')
      store.read(channelId, last);
  }, [store, channelId, last, channel.data?.member, connection]);

  // New messages keep the view at the bottom when it was there; older ones keep the reader's place.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (anchor.current) {
      el.scrollTop = anchor.current.top + (el.scrollHeight - anchor.current.height);
      anchor.current = null;
    } else if (atBottom.current) el.scrollTop = el.scrollHeight;
  }, [first, last, unsent.length]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el || !store) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    if (el.scrollTop < 60 && store.hasOlder(channelId) && !loadingOlder.current) {
      loadingOlder.current = true;
      anchor.current = { height: el.scrollHeight, top: el.scrollTop };
      void store
        .older(channelId)
        .catch((err: Error) => setError(err.message))
        .finally(() => (loadingOlder.current = false));
    }
  };

  if (channel.isError) return <Alert type="error" title={channel.error.message} />;
  const typing = store?.typing(channelId) ?? [];
  const ready = store?.loaded(channelId) && channel.data;
  return (
    <Flex vertical gap={8} data-testid="conversation" data-loaded={ready ? 'true' : 'false'}>
      <Flex align="center" gap={8}>
        {phone && (
          <Button
            type="text"
            icon={<ArrowLeftOutlined />}
            aria-label={t('common.back')}
            onClick={() => navigate('/channels')}
          />
        )}
        <Typography.Title level={5} style={{ margin: 0, flex: 1, minWidth: 0 }} ellipsis>
          {channel.data?.title}
        </Typography.Title>
      </Flex>
      {error && <Alert type="error" title={error} closable onClose={() => setError(null)} />}
      <div
        ref={scroller}
        onScroll={onScroll}
        data-testid="messages"
        role="log"
        aria-live="polite"
        style={{
          height: phone ? 'calc(100vh - 290px)' : 'calc(100vh - 300px)',
          minHeight: 240,
          overflowY: 'auto',
          display: 'flex',
          flexDirection: 'column',
          gap: 4,
        }}
      >
        {!ready && <Spin style={{ margin: 24 }} />}
        {store?.hasOlder(channelId) && (
          <Typography.Text type="secondary" style={{ textAlign: 'center', fontSize: 12 }}>
            {t('channels.older')}
          </Typography.Text>
        )}
        {ready &&
          store &&
          channel.data &&
          messages.map((m) => (
            <Message
              key={m.seq}
              m={m}
              me={me}
              store={store}
              channel={channel.data}
              files={files.data ?? []}
              onReply={setReplyTo}
            />
          ))}
        {unsent.map((p) => (
          <div
            key={p.payload.clientId}
            data-testid="unsent"
            style={{ padding: '6px 8px', opacity: 0.7, background: '#f0f5ff', borderRadius: 6 }}
          >
            <div style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{p.payload.text}</div>
            {p.error ? (
              <Space size={8} style={{ fontSize: 12 }}>
                <Typography.Text type="danger">{p.error}</Typography.Text>
                <Button size="small" type="link" onClick={() => store?.retry(p.payload.clientId)}>
                  {t('common.retry')}
                </Button>
                <Button size="small" type="link" danger onClick={() => store?.discard(p.payload.clientId)}>
                  {t('channels.discard')}
                </Button>
              </Space>
            ) : (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {connection === 'live' ? t('channels.sending') : t('channels.waiting')}
              </Typography.Text>
            )}
          </div>
        ))}
      </div>
      <div style={{ minHeight: 20, fontSize: 12, color: '#888' }} data-testid="typing" aria-live="polite">
        {typing.length > 0 && t('channels.typing', { names: typing.join('、') })}
      </div>
      {channel.data?.canPost && store ? (
        <Composer
          channel={channel.data}
          store={store}
          files={files.data ?? []}
          replyTo={replyTo}
          onReplied={() => setReplyTo(null)}
        />
      ) : (
        channel.data && <Typography.Text type="secondary">{t('channels.readOnly')}</Typography.Text>
      )}
    </Flex>
  );
}
