import { StrictMode, useState, type FormEvent } from 'react';
import { createRoot } from 'react-dom/client';
import { AGENCY_KIND_LABELS, fieldErrors, LoginRequest, ROLE_LABELS, type TokenPair } from '@xietong/shared';
import { api, ApiError } from './api.js';

/** The shell: sign in, see who and where you are. The working screens come with their issues. */
function App() {
  const [session, setSession] = useState<TokenPair | null>(null);
  const [form, setForm] = useState({ username: '', password: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = LoginRequest.safeParse(form);
    if (!parsed.success) {
      setErrors(Object.fromEntries(fieldErrors(parsed.error).map((f) => [f.field, f.message])));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      setSession(await api.login(parsed.data));
      setMessage('');
    } catch (err) {
      setMessage(err instanceof ApiError ? err.message : '无法连接服务器');
    } finally {
      setBusy(false);
    }
  };

  if (session) {
    const { user } = session;
    return (
      <main style={styles.card}>
        <h1 style={styles.title}>县域多部门执法协同平台</h1>
        <p>
          {user.displayName}（{user.agency.nameZh} · {AGENCY_KIND_LABELS[user.agency.kind].zh}）
        </p>
        <p>角色：{user.roles.map((r) => ROLE_LABELS[r].zh).join('、')}</p>
        <button
          type="button"
          onClick={() => {
            void api.logout(session.accessToken).finally(() => setSession(null));
          }}
        >
          退出登录
        </button>
      </main>
    );
  }

  return (
    <main style={styles.card}>
      <h1 style={styles.title}>县域多部门执法协同平台</h1>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label style={styles.label}>
          用户名
          <input
            name="username"
            autoComplete="username"
            value={form.username}
            onChange={(e) => setForm({ ...form, username: e.target.value })}
            aria-invalid={Boolean(errors.username)}
          />
          {errors.username && <span role="alert">{errors.username}</span>}
        </label>
        <label style={styles.label}>
          密码
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
            aria-invalid={Boolean(errors.password)}
          />
          {errors.password && <span role="alert">{errors.password}</span>}
        </label>
        {message && <p role="alert">{message}</p>}
        <button type="submit" disabled={busy}>
          {busy ? '登录中…' : '登录'}
        </button>
      </form>
    </main>
  );
}

const styles = {
  card: {
    maxWidth: 360,
    margin: '10vh auto',
    fontFamily: 'system-ui, "PingFang SC", "Microsoft YaHei", sans-serif',
    padding: 16,
  },
  title: { fontSize: 20 },
  label: { display: 'flex', flexDirection: 'column' as const, gap: 4, marginBottom: 12 },
};

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
