import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Card, Col, Flex, InputNumber, Row, Skeleton, Space, Statistic, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { BarChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';
import { api } from '../app/api.js';
import { useI18n } from '../app/i18n.js';

// Only the chart types used here go into this screen's chunk.
echarts.use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

function Chart({ option, label }: { option: EChartsCoreOption; label: string }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current);
    chart.setOption(option);
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [option]);
  return <div ref={el} role="img" aria-label={label} style={{ width: '100%', height: 260 }} />;
}

const bars = (names: string[], values: number[]): EChartsCoreOption => ({
  tooltip: {},
  grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
  xAxis: { type: 'value' },
  yAxis: { type: 'category', data: names, axisLabel: { width: 110, overflow: 'truncate' } },
  series: [{ type: 'bar', data: values }],
});

/** Statistics for agency heads and the guidance office: the figures over the rollups, and the annual report. */
export default function DashboardPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [year, setYear] = useState(new Date().getFullYear() - 1);
  const stats = useQuery({ queryKey: ['statistics', year], queryFn: () => api.statistics(year) });
  // The report is built on request (a PDF takes a few seconds): its button spins meanwhile.
  const [building, setBuilding] = useState<'xlsx' | 'pdf' | null>(null);
  const download = (format: 'xlsx' | 'pdf') => {
    setBuilding(format);
    void api
      .annualReport(year, format)
      .then((blob) => {
        const url = URL.createObjectURL(blob);
        const a = document.createElement('a');
        a.href = url;
        a.download = `${year}-annual-report.${format}`;
        a.click();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      })
      .catch((err: Error) => void message.error(err.message))
      .finally(() => setBuilding(null));
  };

  const s = stats.data;
  return (
    <Flex vertical gap={12} data-testid="dashboard" data-loaded={s ? 'true' : 'false'}>
      <Flex gap={8} wrap align="center">
        <Typography.Title level={4} style={{ margin: 0, flex: 1 }}>
          {t('dash.title')}
        </Typography.Title>
        <InputNumber aria-label={t('dash.year')} min={2000} max={2100} value={year} onChange={(v) => v && setYear(v)} />
        <Space>
          <Button icon={<DownloadOutlined />} loading={building === 'xlsx'} onClick={() => download('xlsx')}>
            {t('dash.report.xlsx')}
          </Button>
          <Button icon={<DownloadOutlined />} loading={building === 'pdf'} onClick={() => download('pdf')}>
            {t('dash.report.pdf')}
          </Button>
        </Space>
      </Flex>
      {stats.isPending && <Skeleton active />}
      {stats.isError && <Alert type="error" title={stats.error.message} />}
      {s && (
        <>
          <Row gutter={[12, 12]}>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic title={t('dash.matters')} value={s.matters.total} />
                <Typography.Text type="secondary">{s.matters.growth.total.text}</Typography.Text>
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic title={t('dash.referrals')} value={s.referrals.total} />
                <Typography.Text type="secondary">{s.referrals.growth.text}</Typography.Text>
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic title={t('dash.overdue')} value={s.clocks.overdue} />
                <Typography.Text type="secondary">
                  {t('dash.escalated')} {s.clocks.escalated}
                </Typography.Text>
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic title={t('dash.timeToSign')} value={s.referrals.timeToSign.medianHours ?? '—'} />
                <Typography.Text type="secondary">
                  {t('dash.timeToAccept')} {s.referrals.timeToAccept.medianHours ?? '—'}
                </Typography.Text>
              </Card>
            </Col>
          </Row>
          <Row gutter={[12, 12]}>
            <Col xs={24} md={12}>
              <Card size="small" title={t('dash.byKind')}>
                <Chart
                  label={t('dash.byKind')}
                  option={bars(
                    s.referrals.byKind.map((k) => k.label),
                    s.referrals.byKind.map((k) => k.count),
                  )}
                />
              </Card>
            </Col>
            <Col xs={24} md={12}>
              <Card size="small" title={t('dash.bySender')}>
                <Chart
                  label={t('dash.bySender')}
                  option={bars(
                    s.referrals.bySender.map((a) => a.name),
                    s.referrals.bySender.map((a) => a.count),
                  )}
                />
              </Card>
            </Col>
            <Col xs={24} md={12}>
              <Card size="small" title={t('dash.clocks')}>
                <Chart
                  label={t('dash.clocks')}
                  option={bars(
                    [
                      t('dash.c.started'),
                      t('dash.c.metOnTime'),
                      t('dash.c.warned'),
                      t('dash.overdue'),
                      t('dash.escalated'),
                    ],
                    [s.clocks.started, s.clocks.metOnTime, s.clocks.warned, s.clocks.overdue, s.clocks.escalated],
                  )}
                />
              </Card>
            </Col>
            <Col xs={24} md={12}>
              <Card size="small" title={t('dash.disputes')}>
                <Chart
                  label={t('dash.disputes')}
                  option={{
                    tooltip: {},
                    legend: { bottom: 0 },
                    series: [
                      {
                        type: 'pie',
                        radius: ['35%', '65%'],
                        data: [
                          { name: t('dash.bothRefuse'), value: s.disputes.bothRefuse },
                          { name: t('dash.bothClaim'), value: s.disputes.bothClaim },
                        ],
                      },
                    ],
                  }}
                />
              </Card>
            </Col>
          </Row>
        </>
      )}
    </Flex>
  );
}
