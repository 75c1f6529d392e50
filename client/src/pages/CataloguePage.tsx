import { useDeferredValue, useEffect, useState, type HTMLAttributes } from 'react';
import { Alert, App, Button, Flex, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { ITEM_CATEGORIES, type ItemCategory, type ItemSummary } from '@xietong/shared';
import { api, keys } from '../app/api.js';
import { useI18n } from '../app/i18n.js';
import { Link, navigate } from '../app/router.js';
import { saveBlob, useAgencyName, useCanAmend } from '../catalogue/common.js';

const PAGE = 20;

/** The search lives in the address, so going back from an item returns to the same list. */
function initial(): { q: string; category?: ItemCategory; page: number } {
  const p = new URLSearchParams(location.search);
  const category = p.get('category');
  return {
    q: p.get('q') ?? '',
    ...((ITEM_CATEGORIES as readonly string[]).includes(category ?? '') ? { category: category as ItemCategory } : {}),
    page: Math.max(1, Number(p.get('page')) || 1),
  };
}

export default function CataloguePage() {
  const i18n = useI18n();
  const { t } = i18n;
  const { message } = App.useApp();
  const canAmend = useCanAmend();
  const agencyName = useAgencyName();
  const [start] = useState(initial);
  const [search, setSearch] = useState(start.q);
  const [category, setCategory] = useState<ItemCategory | undefined>(start.category);
  const [page, setPage] = useState(start.page);
  const q = useDeferredValue(search.trim());

  useEffect(() => {
    const p = new URLSearchParams();
    if (q) p.set('q', q);
    if (category) p.set('category', category);
    if (page > 1) p.set('page', String(page));
    const text = p.toString();
    history.replaceState(null, '', `/catalogue${text ? `?${text}` : ''}`);
  }, [q, category, page]);

  const items = useQuery({
    queryKey: [...keys.catalogue, 'items', q, category ?? '', page],
    queryFn: () =>
      api.searchItems({
        ...(q ? { q } : {}),
        ...(category ? { category } : {}),
        limit: PAGE,
        offset: (page - 1) * PAGE,
      }),
    placeholderData: keepPreviousData,
  });

  const download = (format: 'xlsx' | 'csv') =>
    void api
      .exportCatalogue(format)
      .then((blob) => saveBlob(blob, `执法事项目录.${format}`))
      .catch((err: Error) => void message.error(err.message));

  return (
    <Flex vertical gap={12} style={{ maxWidth: 1200 }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('cat.title')}
        </Typography.Title>
        <Space wrap>
          <Button icon={<DownloadOutlined />} onClick={() => download('xlsx')}>
            {t('cat.export.xlsx')}
          </Button>
          <Button icon={<DownloadOutlined />} onClick={() => download('csv')}>
            {t('cat.export.csv')}
          </Button>
          {canAmend && (
            <Button type="primary" icon={<UploadOutlined />} onClick={() => navigate('/catalogue/import')}>
              {t('cat.import')}
            </Button>
          )}
        </Space>
      </Flex>
      <Flex gap={8} wrap>
        <Input.Search
          aria-label={t('cat.search')}
          placeholder={t('cat.search.placeholder')}
          allowClear
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            setPage(1);
          }}
          style={{ flex: '1 1 280px', maxWidth: 480 }}
        />
        <Select
          aria-label={t('cat.category')}
          value={category ?? ''}
          onChange={(v: ItemCategory | '') => {
            setCategory(v || undefined);
            setPage(1);
          }}
          style={{ width: 180 }}
          options={[
            { value: '', label: `${t('cat.category')}：${t('common.all')}` },
            ...ITEM_CATEGORIES.map((c) => ({ value: c, label: i18n.category(c) })),
          ]}
        />
      </Flex>
      {items.isError && <Alert type="error" title={items.error.message} role="alert" />}
      <Table<ItemSummary>
        data-testid="catalogue-results"
        data-loading={items.isFetching ? 'true' : 'false'}
        rowKey="code"
        size="middle"
        loading={items.isPending}
        dataSource={items.data?.items ?? []}
        onRow={(r) => ({ 'data-code': r.code }) as HTMLAttributes<HTMLElement>}
        pagination={{
          current: page,
          pageSize: PAGE,
          total: items.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (n) => t('cat.total', { n }),
          onChange: setPage,
        }}
        scroll={{ x: 'max-content' }}
        columns={[
          { key: 'code', title: t('cat.code'), dataIndex: 'code', width: 140 },
          {
            key: 'name',
            title: t('cat.name'),
            render: (_, r) => (
              <Space orientation="vertical" size={0}>
                <Link to={`/catalogue/items/${encodeURIComponent(r.code)}`}>{r.nameZh}</Link>
                <Space size={4}>
                  <Tag>{i18n.category(r.category)}</Tag>
                  <Typography.Text type="secondary">{r.pinyinInitials}</Typography.Text>
                </Space>
              </Space>
            ),
          },
          {
            key: 'penalising',
            title: t('cat.penalising'),
            render: (_, r) =>
              r.current ? (
                <Space orientation="vertical" size={0}>
                  <span>{agencyName(r.current.penalising)}</span>
                  {r.current.delegatedTownships.length > 0 && (
                    <Typography.Text type="secondary">
                      {t('cat.delegated')}：{t('cat.delegated.count', { n: r.current.delegatedTownships.length })}
                    </Typography.Text>
                  )}
                </Space>
              ) : (
                <Typography.Text type="warning">{t('cat.noCurrent')}</Typography.Text>
              ),
          },
          {
            key: 'supervising',
            title: t('cat.supervising'),
            responsive: ['md'],
            render: (_, r) => (r.current ? agencyName(r.current.supervising) : null),
          },
          { key: 'batch', title: t('cat.batch'), dataIndex: 'transferBatch', responsive: ['lg'] },
        ]}
      />
    </Flex>
  );
}
