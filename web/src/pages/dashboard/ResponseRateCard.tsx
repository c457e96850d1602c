import type { ResponseRate } from '../../api/types';
import { formatNumber } from '../../lib/format';

/**
 * The share of survey emails sent in the period that were answered. Only the
 * date range applies to it, not the other filters; null when no survey email went out.
 */
export function ResponseRateCard({ rate, otherFilters = false }: { rate: ResponseRate | null | undefined; otherFilters?: boolean }) {
  return (
    <article className="kpi card" data-testid="kpi-response-rate">
      <h2 className="kpi-label">Response rate</h2>
      {rate ? (
        <>
          <p className="kpi-value">
            {formatNumber(rate.pct, 1)}
            <span className="kpi-unit">%</span>
          </p>
          <p className="muted small">
            {formatNumber(rate.answered)}/{formatNumber(rate.sent)} <span className="sr-only">survey emails</span> answered
          </p>
        </>
      ) : (
        <p className="muted kpi-empty">No surveys sent in this period</p>
      )}
      {otherFilters && <p className="muted small">Counts every survey email of the period: the score, sentiment and search filters do not apply.</p>}
    </article>
  );
}
