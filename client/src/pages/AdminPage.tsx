import { useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Flex,
  Form,
  Grid,
  Input,
  Modal,
  Popconfirm,
  Space,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { DashboardOutlined, UserAddOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  CreateUserRequest,
  fieldErrors,
  Role,
  ROLES_BY_AGENCY_KIND,
  SYSTEM_GRANTED_ROLES,
  UpdateUserRequest,
  type AgencySummary,
  type FieldError,
  type Me,
  type UserSummary,
} from '@xietong/shared';
import { api, ApiError, keys } from '../app/api.js';
import { newUuid, showErrors } from '../app/forms.js';
import { useI18n } from '../app/i18n.js';
import { useMe } from '../app/session.js';

const nameOf = (lang: string, a: AgencySummary) => (lang === 'zh' ? a.nameZh : a.nameEn);
const has = (me: Me, ...roles: Role[]) => roles.some((r) => me.roles.includes(r));

/** Roles this admin may grant in this agency: those that fit its kind, less the system-only ones. */
const grantable = (me: Me, agency: AgencySummary): readonly Role[] =>
  ROLES_BY_AGENCY_KIND[agency.kind].filter((r) => has(me, Role.SystemAdmin) || !SYSTEM_GRANTED_ROLES.includes(r));

/** The server's field errors under their inputs, or its message in the form's alert. */
function useServerErrors<T>(form: ReturnType<typeof Form.useForm<T>>[0]) {
  const [error, setError] = useState('');
  const fail = (err: Error, conflictField?: { field: string; message: string }) => {
    const details: FieldError[] =
      err instanceof ApiError ? (err.body.details ?? (err.status === 409 && conflictField ? [conflictField] : [])) : [];
    showErrors(form, details);
    setError(err.message);
  };
  return { error, setError, fail };
}

interface CreateValues {
  username?: string;
  displayName?: string;
  password?: string;
  roles?: Role[];
}

function CreateUser({ agency, onClose }: { agency: AgencySummary; onClose: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const me = useMe();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<CreateValues>();
  const { error, setError, fail } = useServerErrors(form);
  // One key per attempt that reached the server: a double click creates one user.
  const [key, setKey] = useState(newUuid);
  const create = useMutation({
    mutationFn: (input: CreateUserRequest) => api.createUser(agency.id, input, key),
    onSuccess: (u) => {
      void qc.invalidateQueries({ queryKey: keys.users(agency.id) });
      void message.success(t('admin.user.created', { name: u.username }));
      onClose();
    },
    onError: (err, input) => {
      setKey(newUuid());
      fail(err, { field: 'username', message: t('admin.user.taken', { name: input.username }) });
    },
  });
  const submit = () => {
    const parsed = CreateUserRequest.safeParse(form.getFieldsValue(true));
    if (!parsed.success) {
      showErrors(form, fieldErrors(parsed.error));
      setError(t('form.fix'));
      return;
    }
    setError('');
    create.mutate(parsed.data);
  };
  return (
    <Modal
      open
      title={`${t('admin.user.create')} · ${nameOf(i18n.lang, agency)}`}
      okText={t('admin.user.create')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      onOk={submit}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" name="create-user" onFinish={submit} initialValues={{ roles: [] }}>
        {error && <Alert type="error" title={error} role="alert" style={{ marginBottom: 12 }} />}
        <Form.Item name="username" label={t('admin.user.username')} required>
          <Input autoComplete="off" autoFocus />
        </Form.Item>
        <Form.Item name="displayName" label={t('admin.user.displayName')} required>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="password" label={t('admin.user.password')} required>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="roles" label={t('admin.user.roles')} required>
          <Checkbox.Group
            role="group"
            aria-label={t('admin.user.roles')}
            options={grantable(me, agency).map((r) => ({ value: r, label: i18n.role(r) }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface EditValues {
  displayName?: string;
  roles?: Role[];
  password?: string;
}

function EditUser({ agency, user, onClose }: { agency: AgencySummary; user: UserSummary; onClose: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const me = useMe();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<EditValues>();
  const { error, setError, fail } = useServerErrors(form);
  const save = useMutation({
    mutationFn: (input: UpdateUserRequest) => api.updateUser(user.id, input),
    onSuccess: (u) => {
      void qc.invalidateQueries({ queryKey: keys.users(agency.id) });
      void message.success(t('admin.user.saved', { name: u.username }));
      onClose();
    },
    onError: (err) => fail(err),
  });
  const submit = () => {
    const v = form.getFieldsValue(true) as EditValues;
    const parsed = UpdateUserRequest.safeParse({
      displayName: v.displayName,
      roles: v.roles,
      ...(v.password ? { password: v.password } : {}),
    });
    if (!parsed.success) {
      showErrors(form, fieldErrors(parsed.error));
      setError(t('form.fix'));
      return;
    }
    setError('');
    save.mutate(parsed.data);
  };
  // A role the user holds stays listed even when this admin may not grant it (so it can be seen, not lost).
  const options = [...new Set([...grantable(me, agency), ...user.roles])];
  return (
    <Modal
      open
      title={t('admin.user.editTitle', { name: user.username })}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onOk={submit}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        name="edit-user"
        onFinish={submit}
        initialValues={{ displayName: user.displayName, roles: user.roles }}
      >
        {error && <Alert type="error" title={error} role="alert" style={{ marginBottom: 12 }} />}
        <Form.Item name="displayName" label={t('admin.user.displayName')} required>
          <Input autoComplete="off" autoFocus />
        </Form.Item>
        <Form.Item name="roles" label={t('admin.user.roles')} required>
          <Checkbox.Group
            role="group"
            aria-label={t('admin.user.roles')}
            options={options.map((r) => ({ value: r, label: i18n.role(r) }))}
          />
        </Form.Item>
        <Form.Item name="password" label={t('admin.user.newPassword')}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function Users({ agency }: { agency: AgencySummary }) {
  const i18n = useI18n();
  const { t } = i18n;
  const me = useMe();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const phone = !Grid.useBreakpoint().md;
  const manage = has(me, Role.SystemAdmin) || (has(me, Role.AgencyAdmin) && agency.id === me.agencyId);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<UserSummary | null>(null);
  const users = useQuery({ queryKey: keys.users(agency.id), queryFn: () => api.users(agency.id) });
  const toggle = useMutation({
    mutationFn: (u: UserSummary) => api.updateUser(u.id, { active: !u.active }),
    onSuccess: (u) => {
      void qc.invalidateQueries({ queryKey: keys.users(agency.id) });
      void message.success(t(u.active ? 'admin.user.enabled' : 'admin.user.disabled', { name: u.username }));
    },
    onError: (err) => void message.error(err.message),
  });
  const name = (u: UserSummary) => (u.id === me.id ? `${u.displayName}（${t('admin.user.self')}）` : u.displayName);
  const roles = (u: UserSummary) => (
    <Space size={4} wrap>
      {u.roles.map((r) => (
        <Tag key={r}>{i18n.role(r)}</Tag>
      ))}
    </Space>
  );
  const status = (u: UserSummary) =>
    u.active ? <Tag color="green">{t('admin.user.active')}</Tag> : <Tag>{t('admin.user.inactive')}</Tag>;
  const actions = (u: UserSummary) =>
    manage && (
      <Space size={4} wrap>
        <Button size="small" onClick={() => setEditing(u)} aria-label={`${t('admin.user.edit')} ${u.username}`}>
          {t('admin.user.edit')}
        </Button>
        {u.id !== me.id &&
          (u.active ? (
            <Popconfirm
              title={t('admin.user.disableConfirm', { name: u.displayName })}
              okText={t('admin.user.disable')}
              cancelText={t('common.cancel')}
              onConfirm={() => toggle.mutate(u)}
            >
              <Button size="small" danger aria-label={`${t('admin.user.disable')} ${u.username}`}>
                {t('admin.user.disable')}
              </Button>
            </Popconfirm>
          ) : (
            <Button
              size="small"
              loading={toggle.isPending && toggle.variables.id === u.id}
              onClick={() => toggle.mutate(u)}
              aria-label={`${t('admin.user.enable')} ${u.username}`}
            >
              {t('admin.user.enable')}
            </Button>
          ))}
      </Space>
    );
  const columns: TableColumnsType<UserSummary> = [
    { title: t('admin.user.username'), dataIndex: 'username' },
    { title: t('admin.user.displayName'), key: 'name', render: (_, u) => name(u) },
    { title: t('admin.user.roles'), key: 'roles', render: (_, u) => roles(u) },
    { title: t('admin.user.status'), key: 'status', render: (_, u) => status(u) },
    ...(manage
      ? [{ title: t('admin.user.actions'), key: 'actions', render: (_: unknown, u: UserSummary) => actions(u) }]
      : []),
  ];
  // At phone width two columns, each stacked, so nothing hides behind a sideways scroll.
  const phoneColumns: TableColumnsType<UserSummary> = [
    {
      title: t('admin.user.displayName'),
      key: 'who',
      render: (_, u) => (
        <Flex vertical gap={4}>
          <Typography.Text strong>{name(u)}</Typography.Text>
          <Typography.Text type="secondary">{u.username}</Typography.Text>
          {roles(u)}
        </Flex>
      ),
    },
    {
      title: t('admin.user.status'),
      key: 'state',
      render: (_, u) => (
        <Flex vertical gap={4} align="start">
          {status(u)}
          {actions(u)}
        </Flex>
      ),
    },
  ];
  return (
    <Card
      size="small"
      title={t('admin.users', { agency: nameOf(i18n.lang, agency) })}
      data-testid="admin-users"
      data-agency={agency.code}
      extra={
        manage && (
          <Button type="primary" icon={<UserAddOutlined />} onClick={() => setCreating(true)}>
            {t('admin.user.create')}
          </Button>
        )
      }
    >
      {!manage && <Alert type="info" title={t('admin.user.readonly')} style={{ marginBottom: 8 }} />}
      {users.isError && <Alert type="error" title={users.error.message} />}
      <Table<UserSummary>
        size="small"
        rowKey="id"
        loading={users.isPending}
        dataSource={users.data ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        onRow={(u) => ({ 'data-username': u.username, 'data-active': String(u.active) }) as never}
        columns={phone ? phoneColumns : columns}
      />
      {creating && <CreateUser agency={agency} onClose={() => setCreating(false)} />}
      {editing && <EditUser agency={agency} user={editing} onClose={() => setEditing(null)} />}
    </Card>
  );
}

/** The queue dashboard is a server page: a short-lived cookie first, then the page in a new tab. */
function QueueDashboardLink() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const open = async () => {
    // Opened before the request, while the click still counts as the user's: popup blockers allow it.
    const tab = window.open('', '_blank');
    setBusy(true);
    try {
      await api.dashboardSession();
      if (tab) {
        tab.opener = null;
        tab.location.href = '/admin/queues';
      } else location.assign('/admin/queues');
    } catch (err) {
      tab?.close();
      void message.error((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button icon={<DashboardOutlined />} loading={busy} onClick={() => void open()}>
      {t('admin.queues')}
    </Button>
  );
}

export default function AdminPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const me = useMe();
  // System admins and auditors see every agency; an agency admin sees their own.
  const everyAgency = has(me, Role.SystemAdmin, Role.Auditor);
  const agencies = useQuery({ queryKey: keys.agencies, queryFn: api.agencies });
  const [filter, setFilter] = useState('');
  const [selectedId, setSelectedId] = useState(me.agencyId);
  const visible = useMemo(() => {
    const list = (agencies.data ?? []).filter((a) => everyAgency || a.id === me.agencyId);
    const f = filter.trim().toLowerCase();
    return f
      ? list.filter(
          (a) => a.nameZh.includes(f) || a.code.toLowerCase().includes(f) || a.nameEn.toLowerCase().includes(f),
        )
      : list;
  }, [agencies.data, everyAgency, me.agencyId, filter]);
  const selected = (agencies.data ?? []).find((a) => a.id === selectedId) ?? me.agency;
  return (
    <Flex vertical gap={12} data-testid="admin">
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('admin.title')}
        </Typography.Title>
        {has(me, Role.SystemAdmin) && <QueueDashboardLink />}
      </Flex>
      <Card size="small" title={t('admin.agencies')} data-testid="admin-agencies">
        {everyAgency && (
          <Input.Search
            allowClear
            aria-label={t('admin.agency.search')}
            placeholder={t('admin.agency.search')}
            onChange={(e) => setFilter(e.target.value)}
            style={{ marginBottom: 8, maxWidth: 360 }}
          />
        )}
        {agencies.isError && <Alert type="error" title={agencies.error.message} />}
        <Table<AgencySummary>
          size="small"
          rowKey="id"
          loading={agencies.isPending}
          dataSource={visible}
          pagination={visible.length > 10 ? { pageSize: 10, size: 'small' } : false}
          scroll={{ x: 'max-content' }}
          rowClassName={(a) => (a.id === selected.id ? 'ant-table-row-selected' : '')}
          onRow={(a) => ({ 'data-agency': a.code }) as never}
          columns={[
            { title: t('admin.agency.code'), dataIndex: 'code', responsive: ['md'] },
            { title: t('admin.agency.name'), dataIndex: i18n.lang === 'zh' ? 'nameZh' : 'nameEn' },
            {
              title: t('admin.agency.kind'),
              dataIndex: 'kind',
              render: (k: AgencySummary['kind'], a) => (
                <Space size={4} wrap>
                  {i18n.agencyKind(k)}
                  {a.delegated && <Tag color="blue">{t('admin.agency.delegated')}</Tag>}
                </Space>
              ),
            },
            {
              title: t('admin.user.actions'),
              key: 'users',
              render: (_, a) => (
                <Button
                  size="small"
                  type={a.id === selected.id ? 'primary' : 'default'}
                  aria-pressed={a.id === selected.id}
                  aria-label={`${t('admin.agency.users')} ${nameOf(i18n.lang, a)}`}
                  onClick={() => setSelectedId(a.id)}
                >
                  {t('admin.agency.users')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <Users key={selected.id} agency={selected} />
    </Flex>
  );
}
