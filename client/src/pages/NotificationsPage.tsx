import { Alert, App, Badge, Button, Card, Empty, Flex, Skeleton, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, keys } from '../app/api.js';
import { useI18n } from '../app/i18n.js';
import { navigate } from '../app/router.js';

/** In-app notifications, newest first; opening one marks it read. */
export default function NotificationsPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const { message } = App.useApp();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: keys.notifications, queryFn: api.notifications });
  const read = useMutation({
    mutationFn: api.markRead,
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.notifications }),
    onError: (err) => void message.error(err.message),
  });
  if (list.isPending) return <Skeleton active />;
  if (list.isError) return <Alert type="error" title={list.error.message} />;
  return (
    <>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('notifications.title')} <Badge count={list.data.unread} />
      </Typography.Title>
      {list.data.notifications.length === 0 && <Empty description={t('common.empty')} />}
      <Flex vertical gap={8}>
        {list.data.notifications.map((n) => (
          <Card key={n.id} size="small" data-notification={n.id} data-read={n.read}>
            <Flex justify="space-between" align="center" gap={8} wrap>
              <div style={{ minWidth: 0, flex: '1 1 200px' }}>
                <Badge status={n.read ? 'default' : 'processing'} />
                <Typography.Text strong={!n.read} style={{ overflowWrap: 'anywhere' }}>
                  {n.title}
                </Typography.Text>
                <div>
                  <Typography.Text type="secondary">{i18n.dateTime(n.createdAt)}</Typography.Text>
                </div>
              </div>
              <Flex gap={4}>
                {n.link.referralId && (
                  <Button
                    size="small"
                    onClick={() => {
                      if (!n.read) read.mutate(n.id);
                      navigate(`/referrals/${n.link.referralId}`);
                    }}
                  >
                    {t('notifications.open')}
                  </Button>
                )}
                {!n.read && (
                  <Button size="small" type="link" onClick={() => read.mutate(n.id)}>
                    {t('notifications.markRead')}
                  </Button>
                )}
              </Flex>
            </Flex>
          </Card>
        ))}
      </Flex>
    </>
  );
}
