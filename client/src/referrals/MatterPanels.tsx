import { App, Button, Descriptions, Empty, Flex, Grid, Tag, Timeline, Typography, Upload } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AttachmentView,
  HoldReason,
  MatterView,
  Outcome,
  ReferralState,
  ReturnReason,
  TimelineEntryView,
} from '@xietong/shared';
import { api, keys } from '../app/api.js';
import { useI18n, type I18n } from '../app/i18n.js';

export function MatterInfo({ matter }: { matter: MatterView }) {
  const { t } = useI18n();
  const flags = (Object.keys(matter.flags) as (keyof MatterView['flags'])[]).filter((f) => matter.flags[f]);
  // On a phone, labels above values: a label column beside long Chinese values leaves neither room.
  const phone = !Grid.useBreakpoint().md;
  return (
    <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered layout={phone ? 'vertical' : 'horizontal'}>
      <Descriptions.Item label={t('matter.number')}>{matter.number}</Descriptions.Item>
      <Descriptions.Item label={t('matter.item')}>
        {matter.item.nameZh}（{matter.item.code}）
      </Descriptions.Item>
      <Descriptions.Item label={t('matter.township')}>{matter.township.nameZh}</Descriptions.Item>
      <Descriptions.Item label={t('matter.place')}>{matter.place}</Descriptions.Item>
      <Descriptions.Item label={t('matter.party')}>
        {matter.party.name}（{t(`matter.party.${matter.party.kind}`)}）
      </Descriptions.Item>
      <Descriptions.Item label={t('matter.procedure')}>{t(`matter.procedure.${matter.procedure}`)}</Descriptions.Item>
      <Descriptions.Item label={t('matter.startedOn')}>{matter.startedOn}</Descriptions.Item>
      <Descriptions.Item label={t('matter.flags')}>
        {flags.length ? flags.map((f) => <Tag key={f}>{t(`matter.flags.${f}`)}</Tag>) : '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('matter.summary')} span={2}>
        <span style={{ whiteSpace: 'pre-wrap' }}>{matter.summary}</span>
      </Descriptions.Item>
    </Descriptions>
  );
}

const DETAIL_KEYS = ['reasonText', 'boundaryClause', 'outcomeText', 'note', 'overrideReason', 'reason'] as const;

/** The coded reason or outcome an entry records, in words, then what was written. */
function entryText(e: TimelineEntryView, i18n: I18n): string[] {
  const coded: string[] = [];
  const { reasonCode, outcome, holdReason } = e.detail;
  if (typeof reasonCode === 'string') coded.push(i18n.returnReason(reasonCode as ReturnReason));
  if (typeof outcome === 'string') coded.push(i18n.outcome(outcome as Outcome));
  if (typeof holdReason === 'string') coded.push(i18n.holdReason(holdReason as HoldReason));
  return coded.concat(
    DETAIL_KEYS.flatMap((k) => {
      const v = e.detail[k];
      return typeof v === 'string' && v !== '' ? [v] : [];
    }),
  );
}

export function MatterTimeline({ matterId }: { matterId: string }) {
  const i18n = useI18n();
  const timeline = useQuery({
    queryKey: [...keys.matter(matterId), 'timeline'],
    queryFn: () => api.timeline(matterId),
  });
  if (!timeline.data) return null;
  return (
    <Timeline
      data-testid="timeline"
      items={timeline.data.map((e) => ({
        key: e.id,
        content: (
          <div>
            <Typography.Text strong>{i18n.timeline(e.action)}</Typography.Text>
            {e.toState && (
              <Typography.Text type="secondary"> → {i18n.state(e.toState as ReferralState)}</Typography.Text>
            )}
            <div>
              <Typography.Text type="secondary">
                {i18n.dateTime(e.at)} · {e.actor?.displayName ?? '系统'}
                {e.agency ? `（${e.agency.nameZh}）` : ''}
              </Typography.Text>
            </div>
            {entryText(e, i18n).map((text) => (
              <div key={text} style={{ overflowWrap: 'anywhere' }}>
                {text}
              </div>
            ))}
          </div>
        ),
      }))}
    />
  );
}

const size = (n: number) =>
  n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`;

export async function save(a: AttachmentView): Promise<void> {
  const blob = await api.download(a.id);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = a.fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function Attachments({ matterId, referralId }: { matterId: string; referralId?: string }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const key = keys.attachments(matterId);
  const list = useQuery({ queryKey: key, queryFn: () => api.attachments(matterId) });
  const upload = useMutation({
    mutationFn: (file: File) => api.upload(matterId, file, referralId),
    onSuccess: (a) => {
      void qc.invalidateQueries({ queryKey: keys.matter(matterId) });
      void message.success(t('attachments.uploaded', { name: a.fileName }));
    },
    onError: (err) => void message.error(err.message),
  });
  return (
    <Flex vertical gap={8}>
      <Upload
        showUploadList={false}
        beforeUpload={(file) => {
          upload.mutate(file);
          return false;
        }}
      >
        <Button icon={<UploadOutlined />} loading={upload.isPending}>
          {t('attachments.upload')}
        </Button>
      </Upload>
      {list.data?.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.empty')} />}
      {list.data?.map((a) => (
        <Flex key={a.id} justify="space-between" align="center" gap={8} data-attachment={a.fileName}>
          <div style={{ minWidth: 0 }}>
            <div style={{ overflowWrap: 'anywhere' }}>{a.fileName}</div>
            <Typography.Text type="secondary">
              {a.contentType} · {size(a.size)}
            </Typography.Text>
          </div>
          <Button
            icon={<DownloadOutlined />}
            aria-label={t('attachments.download')}
            onClick={() => void save(a).catch((err: Error) => void message.error(err.message))}
          />
        </Flex>
      ))}
    </Flex>
  );
}
