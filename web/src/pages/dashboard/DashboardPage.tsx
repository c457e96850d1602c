import { useState, type ReactNode } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { errorMessage } from '../../api/errors';
import { queryKeys } from '../../api/queryKeys';
import type { CustomerFilters, Granularity } from '../../api/types';
import { Alert } from '../../components/Alert';
import { EmptyState } from '../../components/EmptyState';
import { FilterBar } from '../../components/FilterBar';
import { Spinner } from '../../components/Spinner';
import { customersQuery, hasActiveFilters, periodEnd } from '../../lib/filters';
import { useFilters } from '../../lib/useFilters';
import { useWorkspace } from '../../workspace/context';
import { DistributionChart } from './DistributionChart';
import { FollowUpPanel } from './FollowUpCards';
import { GettingStarted } from './GettingStarted';
import { KeywordsPanel } from './KeywordsPanel';
import { KpiCards } from './KpiCards';
import { GranularitySwitch, TrendChart } from './TrendChart';

function Panel({ title, actions, children, className = '' }: { title: string; actions?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={`card panel ${className}`} aria-label={title}>
      <div className="card-head">
        <h2>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

/** A good default: daily for short windows, weekly up to a quarter, monthly beyond. */
function defaultGranularity(f: CustomerFilters): Granularity {
  if (!f.from || !f.to) return 'month';
  const days = (Date.parse(f.to) - Date.parse(f.from)) / 86_400_000 + 1;
  return days <= 31 ? 'day' : days <= 120 ? 'week' : 'month';
}

export function DashboardPage() {
  const { filters } = useFilters();
  const navigate = useNavigate();
  const ws = useWorkspace();
  const [chosenGranularity, setGranularity] = useState<Granularity>();
  const granularity = chosenGranularity ?? defaultGranularity(filters);
  const opts = { placeholderData: keepPreviousData } as const;

  const summary = useQuery({ queryKey: queryKeys.summary(ws.wid, filters), queryFn: () => ws.analytics.summary(filters), ...opts });
  const trends = useQuery({
    queryKey: queryKeys.trends(ws.wid, filters, granularity),
    queryFn: () => ws.analytics.trends(filters, granularity),
    ...opts,
  });
  const distribution = useQuery({
    queryKey: queryKeys.distribution(ws.wid, filters),
    queryFn: () => ws.analytics.distribution(filters),
    ...opts,
  });
  const keywords = useQuery({ queryKey: queryKeys.keywords(ws.wid, filters), queryFn: () => ws.analytics.keywords(filters), ...opts });

  const drill = (patch: CustomerFilters) => navigate(`${ws.path('customers')}${customersQuery({ ...filters, ...patch })}`);

  let body: ReactNode;
  if (summary.isPending) body = <Spinner label="Crunching the numbers" />;
  else if (summary.isError) body = <Alert tone="error">{errorMessage(summary.error)}</Alert>;
  else if (summary.data.count === 0)
    body = hasActiveFilters(filters) ? (
      <EmptyState title="No feedback matches these filters" action={<Link to={ws.path()}>Show all time, no filters</Link>}>
        Widen the date range or clear a filter to see more responses.
      </EmptyState>
    ) : (
      <GettingStarted />
    );
  else
    body = (
      <>
        <KpiCards
          summary={summary.data}
          onSentiment={(sentiment) => drill({ sentiment })}
          otherFilters={hasActiveFilters({ ...filters, from: undefined, to: undefined })}
        />
        <FollowUpPanel from={filters.from} to={filters.to} otherFilters={hasActiveFilters({ ...filters, from: undefined, to: undefined })} />
        <div className="dash-grid">
          <Panel title="Trend" className="span-2" actions={<GranularitySwitch value={granularity} onChange={setGranularity} />}>
            {trends.isError ? (
              <Alert tone="error">{errorMessage(trends.error)}</Alert>
            ) : trends.data ? (
              <TrendChart
                points={trends.data.points}
                onSelect={(p) => drill({ from: p.period_start, to: periodEnd(p.period_start, trends.data.granularity) })}
              />
            ) : (
              <Spinner label="Loading trend" />
            )}
          </Panel>
          <Panel title="Score distribution">
            {distribution.isError ? (
              <Alert tone="error">{errorMessage(distribution.error)}</Alert>
            ) : distribution.data ? (
              <DistributionChart buckets={distribution.data.buckets} onSelect={(score) => drill({ min_score: score, max_score: score })} />
            ) : (
              <Spinner label="Loading distribution" />
            )}
          </Panel>
          <Panel title="Keywords">
            {keywords.isError ? (
              <Alert tone="error">{errorMessage(keywords.error)}</Alert>
            ) : keywords.data ? (
              <KeywordsPanel
                keywords={keywords.data}
                onSelect={(term, tone) =>
                  drill(tone === 'positive' ? { q: term, min_score: 4, max_score: undefined } : { q: term, max_score: 2, min_score: undefined })
                }
              />
            ) : (
              <Spinner label="Loading keywords" />
            )}
          </Panel>
        </div>
      </>
    );

  return (
    <div className="page">
      <div className="page-head">
        <h1>Dashboard</h1>
        <p className="muted">How customers feel, and why. Click any bar, point or word to see the customers behind it.</p>
      </div>
      {/* A workspace without any feedback yet gets its first steps, without filters to fiddle with. */}
      {!(summary.data?.count === 0 && !hasActiveFilters(filters)) && <FilterBar />}
      {body}
    </div>
  );
}
