import { useState, type HTMLAttributes } from 'react';
import { Alert, Button, Card, Flex, Progress, Space, Table, Tag, Typography, Upload } from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  CATALOGUE_COLUMNS,
  SocketEvent,
  type CatalogueImportProgress,
  type ImportChange,
  type ImportResult,
  type ImportRowError,
} from '@xietong/shared';
import { api, ApiError, keys } from '../app/api.js';
import { newUuid } from '../app/forms.js';
import { useI18n, type MessageKey } from '../app/i18n.js';
import { useServerEvent } from '../app/realtime.js';
import { Link } from '../app/router.js';

type Step = { importId: string; dryRun: boolean };

/** How far the server has got with the request in flight: the importing user's socket hears it. */
function ImportProgress({ progress, running }: { progress: CatalogueImportProgress | null; running: boolean }) {
  const { t } = useI18n();
  if (!progress && !running) return null;
  const percent = progress && progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;
  const phase = progress?.phase ?? 'checking';
  return (
    <div data-testid="import-progress" data-phase={phase}>
      <Typography.Text type="secondary">
        {t(`cat.import.phase.${phase}` as MessageKey)}
        {progress ? ` ${progress.done} / ${progress.total}` : ''}
      </Typography.Text>
      <Progress percent={phase === 'done' ? 100 : percent} status={running ? 'active' : 'normal'} />
    </div>
  );
}

function RowErrors({ errors }: { errors: ImportRowError[] }) {
  const { t } = useI18n();
  return (
    <Table<ImportRowError>
      data-testid="import-errors"
      size="small"
      rowKey={(e) => `${e.row}:${e.column ?? ''}:${e.message}`}
      dataSource={errors}
      pagination={errors.length > 50 ? { pageSize: 50 } : false}
      onRow={(e) => ({ 'data-row': e.row, 'data-column': e.column ?? '' }) as HTMLAttributes<HTMLElement>}
      columns={[
        { key: 'row', title: t('cat.import.row'), dataIndex: 'row', width: 80 },
        { key: 'column', title: t('cat.import.column'), dataIndex: 'column', width: 120 },
        { key: 'message', title: t('cat.import.message'), dataIndex: 'message' },
      ]}
    />
  );
}

function Changes({ changes }: { changes: ImportChange[] }) {
  const { t } = useI18n();
  const shown = changes.filter((c) => c.action !== 'unchanged');
  return (
    <Table<ImportChange>
      data-testid="import-changes"
      size="small"
      rowKey="row"
      dataSource={shown}
      pagination={shown.length > 50 ? { pageSize: 50 } : false}
      onRow={(c) => ({ 'data-code': c.code, 'data-action': c.action }) as HTMLAttributes<HTMLElement>}
      columns={[
        { key: 'row', title: t('cat.import.row'), dataIndex: 'row', width: 80 },
        {
          key: 'action',
          title: t('cat.import.action'),
          render: (_, c) => (
            <Tag color={c.action === 'create' ? 'green' : 'blue'}>
              {t(`cat.import.action.${c.action}` as MessageKey)}
            </Tag>
          ),
        },
        { key: 'code', title: t('cat.code'), dataIndex: 'code' },
        { key: 'name', title: t('cat.name'), dataIndex: 'nameZh' },
        { key: 'from', title: t('cat.amend.effectiveFrom'), dataIndex: 'effectiveFrom' },
      ]}
    />
  );
}

/** Upload → dry run (every row checked, the changes previewed) → confirm → applied, with live progress. */
export default function CatalogueImportPage() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [step, setStep] = useState<Step | null>(null);
  const [progress, setProgress] = useState<CatalogueImportProgress | null>(null);
  const [preview, setPreview] = useState<ImportResult | null>(null);
  const [applied, setApplied] = useState<ImportResult | null>(null);

  useServerEvent(SocketEvent.CatalogueImportProgress, (p) => {
    if (p.importId === step?.importId) setProgress(p);
  });

  const run = useMutation({
    mutationFn: ({ f, dryRun, importId }: { f: File; dryRun: boolean; importId: string }) =>
      api.importCatalogue(f, dryRun, importId),
    onMutate: ({ dryRun, importId }) => {
      setStep({ importId, dryRun });
      setProgress(null);
    },
    onSuccess: (result) => {
      if (result.applied) {
        setApplied(result);
        setPreview(null);
        void qc.invalidateQueries({ queryKey: keys.catalogue });
      } else setPreview(result);
    },
  });

  const check = (f: File) => {
    setFile(f);
    setApplied(null);
    setPreview(null);
    run.mutate({ f, dryRun: true, importId: newUuid() });
  };
  const confirm = () => {
    if (file) run.mutate({ f: file, dryRun: false, importId: newUuid() });
  };

  const p = preview;
  const changes = p ? p.created + p.newVersions + p.updatedItems : 0;
  return (
    <Flex vertical gap={12} style={{ maxWidth: 1100 }} data-testid="catalogue-import">
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('cat.import.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('cat.import.hint', { columns: CATALOGUE_COLUMNS.join('、') })}
      </Typography.Paragraph>
      <div data-testid="import-upload">
        <Upload.Dragger
          accept=".xlsx,.csv"
          multiple={false}
          showUploadList={false}
          disabled={run.isPending}
          beforeUpload={(f) => {
            check(f);
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{file ? file.name : t('cat.import.pick')}</p>
        </Upload.Dragger>
      </div>
      <ImportProgress progress={progress} running={run.isPending} />
      {run.isError && (
        <Alert
          type="error"
          role="alert"
          data-testid="import-refused"
          // A file the server cannot read at all (a missing column, not a spreadsheet): its own words per problem.
          title={
            run.error instanceof ApiError && run.error.body.details?.length
              ? run.error.body.details.map((d) => d.message).join('；')
              : run.error.message
          }
        />
      )}

      {p && p.errors.length > 0 && (
        <Card size="small" title={t('cat.import.errors')}>
          <Alert
            type="error"
            role="alert"
            data-testid="import-rejected"
            title={t('cat.import.badRows', { n: new Set(p.errors.map((e) => e.row)).size })}
            style={{ marginBottom: 12 }}
          />
          <RowErrors errors={p.errors} />
        </Card>
      )}
      {p && p.errors.length === 0 && (
        <Card size="small" title={t('cat.import.changes')} data-testid="import-preview">
          <Alert
            type={changes > 0 ? 'info' : 'success'}
            title={
              changes > 0
                ? t('cat.import.preview', {
                    rows: p.rows,
                    created: p.created,
                    newVersions: p.newVersions,
                    updated: p.updatedItems,
                    unchanged: p.unchanged,
                  })
                : t('cat.import.nothing')
            }
            style={{ marginBottom: 12 }}
          />
          {changes > 0 && <Changes changes={p.changes} />}
          <Space style={{ marginTop: 12 }}>
            <Button type="primary" onClick={confirm} loading={run.isPending} disabled={changes === 0}>
              {t('cat.import.confirm')}
            </Button>
          </Space>
        </Card>
      )}
      {applied && (
        <Alert
          type="success"
          role="status"
          data-testid="import-applied"
          title={t('cat.import.applied', {
            created: applied.created,
            newVersions: applied.newVersions,
            updated: applied.updatedItems,
            ms: Math.round(applied.elapsedMs),
          })}
          description={
            <Space wrap>
              {applied.changes
                .filter((c) => c.action !== 'unchanged')
                .slice(0, 20)
                .map((c) => (
                  <Link key={c.row} to={`/catalogue/items/${encodeURIComponent(c.code)}`}>
                    {c.code}
                  </Link>
                ))}
            </Space>
          }
        />
      )}
    </Flex>
  );
}
