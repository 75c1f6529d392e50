import { Suspense, useEffect, useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Drawer,
  Grid,
  Layout,
  Menu,
  Result,
  Space,
  Spin,
  Tag,
  Typography,
  App as AntApp,
} from 'antd';
import { BellOutlined, LogoutOutlined, MenuOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Me } from '@xietong/shared';
import { api, keys } from './api.js';
import { useI18n } from './i18n.js';
import { useConnection } from './realtime.js';
import { match, navigate, usePath } from './router.js';
import { screensFor } from './screens.js';
import { session } from './session.js';

function ConnectionBanner() {
  const { t } = useI18n();
  const connection = useConnection();
  if (connection === 'live') return null;
  const props = {
    connecting: { type: 'info', text: t('conn.connecting') },
    reconnecting: { type: 'warning', text: t('conn.reconnecting') },
    back: { type: 'success', text: t('conn.back') },
  } as const;
  const { type, text } = props[connection];
  return <Alert role="status" data-connection={connection} type={type} title={text} banner showIcon={false} />;
}

export function Shell({ user }: { user: Me }) {
  const i18n = useI18n();
  const { t } = i18n;
  const path = usePath();
  const screens = screensFor(user);
  const mobile = !Grid.useBreakpoint().md;
  const [drawer, setDrawer] = useState(false);
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const notifications = useQuery({ queryKey: keys.notifications, queryFn: api.notifications });

  const first = screens.find((s) => s.menu);
  const current = screens.map((s) => ({ s, params: match(s.path, path) })).find((x) => x.params);
  const home = !current && (path === '/' || path === '') ? first?.path : undefined;
  useEffect(() => {
    if (home) navigate(home, true);
  }, [home]);

  const menu = (
    <Menu
      mode="inline"
      selectedKeys={current ? [current.s.key] : []}
      onClick={({ key }) => {
        const target = screens.find((s) => s.key === key);
        if (target) navigate(target.path);
        setDrawer(false);
      }}
      items={screens
        .filter((s) => s.menu)
        .map((s) => ({
          key: s.key,
          icon: s.menu?.icon,
          label:
            s.key === 'notifications' ? (
              <Space>
                {t(s.menu?.label ?? 'notFound')}
                <Badge count={notifications.data?.unread ?? 0} size="small" />
              </Space>
            ) : (
              t(s.menu?.label ?? 'notFound')
            ),
        }))}
    />
  );

  const signOut = async () => {
    await api.logout().catch(() => undefined);
    session.clear();
    qc.clear();
    void message.success(t('signout.done'));
  };

  const Page = current?.s.Component;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      {!mobile && (
        <Layout.Sider theme="light" width={200} style={{ borderRight: '1px solid #f0f0f0' }}>
          <div style={{ padding: '16px 16px 8px', fontWeight: 600 }}>{t('app.title')}</div>
          <nav aria-label="main">{menu}</nav>
        </Layout.Sider>
      )}
      <Layout style={{ minWidth: 0 }}>
        <Layout.Header
          style={{
            background: '#fff',
            padding: mobile ? '0 8px' : '0 16px',
            display: 'flex',
            alignItems: 'center',
            gap: 8,
            borderBottom: '1px solid #f0f0f0',
            lineHeight: 'normal',
          }}
        >
          {mobile && (
            <Button type="text" icon={<MenuOutlined />} aria-label={t('menu.open')} onClick={() => setDrawer(true)} />
          )}
          <div style={{ flex: 1, minWidth: 0 }} data-testid="who">
            <Typography.Text strong ellipsis style={{ display: 'block' }}>
              {user.displayName} · {user.agency.nameZh}
            </Typography.Text>
            <Space size={4} wrap={false} style={{ overflow: 'hidden', maxWidth: '100%' }}>
              {user.roles.map((r) => (
                <Tag key={r} style={{ marginInlineEnd: 0 }}>
                  {i18n.role(r)}
                </Tag>
              ))}
            </Space>
          </div>
          <Badge count={notifications.data?.unread ?? 0} size="small">
            <Button
              type="text"
              icon={<BellOutlined />}
              aria-label={t('menu.notifications')}
              onClick={() => navigate('/notifications')}
            />
          </Badge>
          <Button size="small" onClick={() => i18n.setLang(i18n.lang === 'zh' ? 'en' : 'zh')}>
            {t('lang.switch')}
          </Button>
          <Button
            size="small"
            icon={<LogoutOutlined />}
            aria-label={t('signout')}
            title={t('signout')}
            onClick={() => void signOut()}
          >
            {mobile ? null : t('signout')}
          </Button>
        </Layout.Header>
        <ConnectionBanner />
        <Layout.Content style={{ padding: mobile ? 8 : 16, minWidth: 0 }}>
          <Suspense fallback={<Spin style={{ display: 'block', margin: 48 }} />}>
            {Page && current?.params ? <Page params={current.params} /> : <Result status="404" title={t('notFound')} />}
          </Suspense>
        </Layout.Content>
      </Layout>
      {mobile && (
        <Drawer open={drawer} onClose={() => setDrawer(false)} placement="left" size={240} title={t('app.short')}>
          <nav aria-label="main">{menu}</nav>
        </Drawer>
      )}
    </Layout>
  );
}
