import { StrictMode, useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ApiError } from './app/api.js';
import { I18nProvider, useI18n } from './app/i18n.js';
import { RealtimeProvider } from './app/realtime.js';
import { session } from './app/session.js';
import { Shell } from './app/Shell.js';
import { SignIn } from './app/SignIn.js';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      // Live updates invalidate what changed; a 4xx will not get better by asking again.
      retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
    },
  },
});

function Root() {
  const { lang } = useI18n();
  const user = useSyncExternalStore(session.subscribe, session.snapshot);
  dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  return (
    <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} button={{ autoInsertSpace: false }}>
      <AntApp>
        {user ? (
          <RealtimeProvider userId={user.id}>
            <Shell user={user} />
          </RealtimeProvider>
        ) : (
          <SignIn />
        )}
      </AntApp>
    </ConfigProvider>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <I18nProvider>
          <Root />
        </I18nProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
}
