import { CATALOGUE_AMEND_ROLES, type AgencyRef, type BoundaryVersionView } from '@xietong/shared';
import { useI18n } from '../app/i18n.js';
import { useMe } from '../app/session.js';

/** Arbiters and system admins see amendment and import controls; the server refuses everyone else anyway. */
export function useCanAmend(): boolean {
  const me = useMe();
  return me.roles.some((r) => CATALOGUE_AMEND_ROLES.includes(r));
}

/** An agency of a boundary, or "none" where the boundary names none (a blind spot or a gap). */
export function useAgencyName(): (a: AgencyRef | null | undefined) => string {
  const { t } = useI18n();
  return (a) => a?.nameZh ?? t('cat.none');
}

/** "from 2023-04-01" or "2019-07-01 until 2023-04-01": effectiveTo is exclusive. */
export function usePeriod(): (v: Pick<BoundaryVersionView, 'effectiveFrom' | 'effectiveTo'>) => string {
  const { t } = useI18n();
  return (v) =>
    v.effectiveTo
      ? t('cat.version.until', { from: v.effectiveFrom, to: v.effectiveTo })
      : t('cat.version.period', { from: v.effectiveFrom });
}

/** Hands a downloaded file to the browser under a name. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
