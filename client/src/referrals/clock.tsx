import { useEffect, useState } from 'react';
import { Space, Tag, Tooltip } from 'antd';
import { clockCountdown, nearestClock, WorkCalendar, type ClockView } from '@xietong/shared';
import { useI18n } from '../app/i18n.js';

/** The official calendar the library ships, with the statutory fallback for years it does not know. */
const calendar = new WorkCalendar();

/** Now, moving on every minute so countdowns cross midnight and deadlines by themselves. */
export function useNow(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

const COLORS = { overdue: 'red', due_soon: 'orange', on_time: 'blue', paused: 'default' } as const;

/** A clock as a countdown tag: red when overdue, amber when due soon, and "provisional" when its year is not loaded. */
export function ClockTag({ clock }: { clock: ClockView }) {
  const { t } = useI18n();
  const now = useNow();
  const c = clockCountdown(clock, now, calendar);
  const unit = c.unit === 'working_days' ? 'working' : 'natural';
  let text: string;
  if (c.urgency === 'paused') text = t('clock.paused');
  else if (c.urgency === 'overdue') text = c.days < 0 ? t(`clock.overdue.${unit}`, { n: -c.days }) : t('clock.overdue');
  else if (c.days === 0) text = t('clock.today');
  else text = t(`clock.left.${unit}`, { n: c.days });
  return (
    <Space size={4} wrap>
      <Tag color={COLORS[c.urgency]} data-urgency={c.urgency} style={{ marginInlineEnd: 0 }}>
        {text}
      </Tag>
      {c.provisional && (
        <Tooltip title={t('clock.provisional.tip')}>
          <Tag color="purple" style={{ marginInlineEnd: 0 }}>
            {t('clock.provisional')}
          </Tag>
        </Tooltip>
      )}
    </Space>
  );
}

/** The nearest live clock of a referral, or nothing. */
export function NearestClock({ clocks }: { clocks: ClockView[] }) {
  const clock = nearestClock(clocks);
  return clock ? <ClockTag clock={clock} /> : null;
}
