import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LoginRequest, fieldErrors } from '@xietong/shared';
import { api, ApiError, OFFLINE } from './api.js';
import { showErrors } from './forms.js';
import { useI18n } from './i18n.js';
import { session } from './session.js';

export function SignIn() {
  const i18n = useI18n();
  const { t } = i18n;
  const [form] = Form.useForm<LoginRequest>();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const parsed = LoginRequest.safeParse(form.getFieldsValue());
    if (!parsed.success) {
      showErrors(form, fieldErrors(parsed.error));
      return;
    }
    setBusy(true);
    setError('');
    try {
      session.signedIn(await api.login(parsed.data));
    } catch (err) {
      setError(err instanceof ApiError && err.status !== OFFLINE ? err.message : t('common.offline'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main style={{ maxWidth: 380, margin: '10vh auto', padding: 16 }}>
      <Card
        title={
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('app.title')}
          </Typography.Title>
        }
        extra={
          <Button size="small" type="link" onClick={() => i18n.setLang(i18n.lang === 'zh' ? 'en' : 'zh')}>
            {t('lang.switch')}
          </Button>
        }
      >
        <Form form={form} layout="vertical" onFinish={() => void submit()} requiredMark={false}>
          <Form.Item label={t('signin.username')} name="username">
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item label={t('signin.password')} name="password">
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          {error && <Alert type="error" title={error} role="alert" style={{ marginBottom: 16 }} />}
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('signin.submit')}
          </Button>
        </Form>
      </Card>
    </main>
  );
}
