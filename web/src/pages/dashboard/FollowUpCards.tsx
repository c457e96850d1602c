import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { errorMessage } from '../../api/errors';
import { queryKeys } from '../../api/queryKeys';
import type { FollowUpStats } from '../../api/types';
import { Alert } from '../../components/Alert';
import { Spinner } from '../../components/Spinner';
import { hoursText } from '../../lib/followUps';
import { formatNumber } from '../../lib/format';
import { useWorkspace } from '../../workspace/context';

/** The four follow-up figures; "—" with a reason where the server says null. */
export function FollowUpCards({ stats }: { stats: FollowUpStats }) {
  const median = hoursText(stats.median_hours_to_close);
  return (
    <div className="kpis kpis-4">
      <article className="kpi card" data-testid="kpi-follow-ups-open">
        <h3 className="kpi-label">Open</h3>
        <p className="kpi-value">{formatNumber(stats.open)}</p>
        <p className="muted small">waiting for someone to get back to the customer</p>
      </article>
      <article className="kpi card" data-testid="kpi-follow-ups-closed">
        <h3 className="kpi-label">Closed</h3>
        <p className="kpi-value">{formatNumber(stats.closed)}</p>
      </article>
      <article className="kpi card" data-testid="kpi-follow-ups-median">
        <h3 className="kpi-label">Median time to close</h3>
        <p className="kpi-value">
          {median.value}
          {stats.median_hours_to_close !== null && <span className="kpi-unit"> h</span>}
        </p>
        {stats.median_hours_to_close === null ? (
          <p className="muted small">No follow-up opened in this period has been closed yet.</p>
        ) : (
          median.days && <p className="muted small">{median.days}</p>
        )}
      </article>
      <article className="kpi card" data-testid="kpi-follow-ups-recovery">
        <h3 className="kpi-label">Recovery rate</h3>
        <p className="kpi-value">
          {formatNumber(stats.recovery_rate_pct, 1)}
          {stats.recovery_rate_pct !== null && <span className="kpi-unit">%</span>}
        </p>
        <p className="muted small">
          {stats.recovery_rate_pct === null
            ? 'None of these customers has responded again yet.'
            : 'of customers who responded again gave a 4 or 5'}
        </p>
      </article>
    </div>
  );
}

/**
 * The follow-ups opened in the dashboard's date range. Only the dates apply: the score,
 * sentiment and search filters do not.
 */
export function FollowUpPanel({ from, to, otherFilters = false }: { from?: string; to?: string; otherFilters?: boolean }) {
  const { wid, followUps, path } = useWorkspace();
  const range = { from, to };
  const stats = useQuery({
    queryKey: queryKeys.followUpStatsIn(wid, range),
    queryFn: () => followUps.stats(range),
    placeholderData: keepPreviousData,
  });
  return (
    <section className="followup-kpis" aria-labelledby="followup-kpis-h">
      <div className="card-head">
        <h2 id="followup-kpis-h">Follow-ups</h2>
        <Link to={path('follow-ups')}>Open the follow-ups</Link>
      </div>
      {stats.isPending && <Spinner label="Loading the follow-ups" />}
      {stats.isError && <Alert tone="error">{errorMessage(stats.error)}</Alert>}
      {stats.data && <FollowUpCards stats={stats.data} />}
      {otherFilters && (
        <p className="muted small">Counts the follow-ups opened in the period: the score, sentiment and search filters do not apply.</p>
      )}
    </section>
  );
}
