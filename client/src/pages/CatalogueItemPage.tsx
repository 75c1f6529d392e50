import { Alert, Button, Card, Col, Descriptions, Flex, Row, Skeleton, Tag, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api, keys } from '../app/api.js';
import { useI18n } from '../app/i18n.js';
import { navigate } from '../app/router.js';
import { AmendmentForms } from '../catalogue/AmendmentForms.js';
import { BoundaryTimeline } from '../catalogue/BoundaryTimeline.js';
import { useAgencyName, useCanAmend } from '../catalogue/common.js';
import { ResponsibilityPanel } from '../catalogue/ResponsibilityPanel.js';

/** One enforcement item: its fields, its boundary in force, its history, who is responsible, and amendments. */
export default function CatalogueItemPage({ params }: { params: Record<string, string> }) {
  const i18n = useI18n();
  const { t } = i18n;
  const code = params.code ?? '';
  const canAmend = useCanAmend();
  const agencyName = useAgencyName();
  const item = useQuery({ queryKey: keys.catalogueItem(code), queryFn: () => api.item(code) });
  const agencies = useQuery({ queryKey: keys.agencies, queryFn: api.agencies, enabled: canAmend });

  const back = (
    <Button
      type="link"
      icon={<ArrowLeftOutlined />}
      style={{ paddingInline: 0, alignSelf: 'flex-start' }}
      onClick={() => (history.length > 1 ? history.back() : navigate('/catalogue'))}
    >
      {t('common.back')}
    </Button>
  );
  if (item.isPending) return <Skeleton active />;
  if (item.isError)
    return (
      <>
        {back}
        <Alert type="error" title={item.error.message} role="alert" />
      </>
    );
  const d = item.data;
  const c = d.current;
  return (
    <Flex vertical gap={12} style={{ maxWidth: 1200 }} data-testid="catalogue-item" data-code={d.code}>
      {back}
      <Typography.Title level={4} style={{ margin: 0 }}>
        {d.nameZh}
      </Typography.Title>
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, md: 2 }}
        styles={{ label: { whiteSpace: 'nowrap' } }}
        items={[
          { key: 'code', label: t('cat.code'), children: d.code },
          { key: 'category', label: t('cat.category'), children: <Tag>{i18n.category(d.category)}</Tag> },
          { key: 'batch', label: t('cat.batch'), children: d.transferBatch },
          { key: 'transferDate', label: t('cat.transferDate'), children: d.transferDate },
          { key: 'pinyin', label: t('cat.pinyin'), children: d.pinyinInitials },
          { key: 'legalBasis', label: t('cat.legalBasis'), span: 'filled', children: d.legalBasis },
        ]}
      />
      <Row gutter={[12, 12]}>
        {/* On a phone the question people come with (who is responsible) comes first. */}
        <Col xs={{ span: 24, order: 2 }} lg={{ span: 14, order: 1 }}>
          <Flex vertical gap={12}>
            <Card size="small" title={c ? t('cat.current', { version: c.version }) : t('cat.noCurrent')}>
              {c && (
                <Descriptions
                  size="small"
                  column={1}
                  data-testid="current-boundary"
                  items={[
                    { key: 's', label: t('cat.supervising'), children: agencyName(c.supervising) },
                    { key: 'a', label: t('cat.approving'), children: agencyName(c.approving) },
                    { key: 'p', label: t('cat.penalising'), children: agencyName(c.penalising) },
                    {
                      key: 'd',
                      label: t('cat.delegated'),
                      children: c.delegatedTownships.map((a) => a.nameZh).join('、') || t('cat.noneDelegated'),
                    },
                    { key: 'e', label: t('cat.evidenceDuty'), children: c.evidenceHandoffDuty },
                    { key: 'f', label: t('cat.feedbackDuty'), children: c.resultFeedbackDuty },
                  ]}
                />
              )}
            </Card>
            <Card size="small" title={t('cat.history')}>
              <BoundaryTimeline versions={d.versions} />
            </Card>
          </Flex>
        </Col>
        <Col xs={{ span: 24, order: 1 }} lg={{ span: 10, order: 2 }}>
          <Flex vertical gap={12}>
            <ResponsibilityPanel code={d.code} />
            {canAmend && agencies.data && <AmendmentForms item={d} agencies={agencies.data} />}
          </Flex>
        </Col>
      </Row>
    </Flex>
  );
}
