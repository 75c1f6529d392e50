import { Descriptions, Flex, Tag, Timeline, Typography } from 'antd';
import { inForceOn, todayInChina, type BoundaryVersionView } from '@xietong/shared';
import { useI18n } from '../app/i18n.js';
import { useAgencyName, usePeriod } from './common.js';

const AGENCY_ROLES = [
  ['supervising', 'cat.supervising'],
  ['approving', 'cat.approving'],
  ['penalising', 'cat.penalising'],
] as const;

/** What a version changed against the one before it, in words: the point of a boundary history. */
function useChanges(): (v: BoundaryVersionView, before: BoundaryVersionView | undefined) => string[] {
  const { t } = useI18n();
  const agencyName = useAgencyName();
  return (v, before) => {
    if (!before) return [t('cat.change.first')];
    const out: string[] = [];
    const had = new Set(before.delegatedTownships.map((a) => a.id));
    const has = new Set(v.delegatedTownships.map((a) => a.id));
    const granted = v.delegatedTownships.filter((a) => !had.has(a.id)).map((a) => a.nameZh);
    const revoked = before.delegatedTownships.filter((a) => !has.has(a.id)).map((a) => a.nameZh);
    if (granted.length > 0) out.push(t('cat.change.granted', { names: granted.join('、') }));
    if (revoked.length > 0) out.push(t('cat.change.revoked', { names: revoked.join('、') }));
    for (const [field, label] of AGENCY_ROLES) {
      if (v[field]?.id !== before[field]?.id) {
        out.push(t('cat.change.agency', { role: t(label), from: agencyName(before[field]), to: agencyName(v[field]) }));
      }
    }
    if (v.evidenceHandoffDuty !== before.evidenceHandoffDuty || v.resultFeedbackDuty !== before.resultFeedbackDuty) {
      out.push(t('cat.change.duties'));
    }
    return out;
  };
}

/** The boundary versions oldest first: what changed, from when, why, and who entered it. */
export function BoundaryTimeline({ versions }: { versions: readonly BoundaryVersionView[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const agencyName = useAgencyName();
  const period = usePeriod();
  const changes = useChanges();
  const today = todayInChina();
  return (
    <Timeline
      data-testid="boundary-history"
      items={versions.map((v, i) => {
        const current = inForceOn(v, today);
        const future = v.effectiveFrom > today;
        return {
          key: v.id,
          color: current ? 'green' : future ? 'blue' : 'gray',
          content: (
            <div data-testid="boundary-version" data-version={v.version} data-current={current ? 'true' : 'false'}>
              <Flex gap={8} wrap align="center">
                <Typography.Text strong>{t('cat.version', { version: v.version })}</Typography.Text>
                <Tag color="blue">{i18n.boundaryReason(v.reason)}</Tag>
                {current && <Tag color="green">{t('cat.version.current')}</Tag>}
                {future && <Tag color="orange">{t('cat.version.future')}</Tag>}
                <Typography.Text data-testid="version-period">{period(v)}</Typography.Text>
              </Flex>
              <ul style={{ margin: '4px 0', paddingInlineStart: 20 }} data-testid="version-changes">
                {changes(v, versions[i - 1]).map((c) => (
                  <li key={c}>{c}</li>
                ))}
              </ul>
              {v.note && <Typography.Paragraph style={{ marginBottom: 4 }}>{v.note}</Typography.Paragraph>}
              <Descriptions
                size="small"
                column={{ xs: 1, md: 3 }}
                items={[
                  ...AGENCY_ROLES.map(([field, label]) => ({
                    key: field,
                    label: t(label),
                    children: agencyName(v[field]),
                  })),
                  {
                    key: 'delegated',
                    label: t('cat.delegated'),
                    span: 'filled' as const,
                    children: v.delegatedTownships.map((a) => a.nameZh).join('、') || t('cat.noneDelegated'),
                  },
                ]}
              />
              <Typography.Text type="secondary">
                {v.createdBy
                  ? t('cat.version.by', { who: v.createdBy.displayName, at: i18n.dateTime(v.createdAt) })
                  : t('cat.version.seed')}
                {v.causeRef ? ` · ${t('cat.version.cause', { ref: v.causeRef })}` : ''}
              </Typography.Text>
            </div>
          ),
        };
      })}
    />
  );
}
