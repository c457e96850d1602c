import type { Summary } from '../../api/types';
import { formatNumber } from '../../lib/format';
import { averageChange, countChange, csatChange, formatRange, type Change } from '../../lib/kpi';
import { ResponseRateCard } from './ResponseRateCard';

/** The change vs the previous period, as honest as the numbers allow (see lib/kpi). */
function ChangeBadge({ change }: { change: Change }) {
  switch (change.kind) {
    case 'none':
      return <span className="kpi-delta muted">no previous period</span>;
    case 'not-enough-data':
      return (
        <span className="kpi-delta muted" title={change.detail}>
          not enough data to compare
        </span>
      );
    case 'no-clear-change':
      return (
        <span className="kpi-delta delta-flat" title={change.detail}>
          no clear change <span className="muted">vs previous</span>
        </span>
      );
    case 'change': {
      const d = change.delta;
      if (change.withinNoise) {
        // No arrow and no colour: the number is there, but it may be chance.
        return (
          <span className="kpi-delta delta-flat" title={change.detail}>
            {d.text} <span className="muted">vs previous, within noise</span>
          </span>
        );
      }
      const arrow = d.direction === 'up' ? '▲' : d.direction === 'down' ? '▼' : '■';
      return (
        <span className={`kpi-delta delta-${d.direction}`} title={change.detail}>
          <span aria-hidden="true">{arrow}</span> {d.text} <span className="muted">vs previous</span>
        </span>
      );
    }
  }
}

const RANGE_HELP = 'The 95 % interval: where the true value most likely lies, given how many responses there are.';

export function KpiCards({
  summary,
  onSentiment,
  otherFilters = false,
}: {
  summary: Summary;
  onSentiment: (s: 'positive' | 'neutral' | 'negative') => void;
  /** Filters other than the dates are on (the response rate ignores them). */
  otherFilters?: boolean;
}) {
  const prev = summary.previous_period;
  const { positive, neutral, negative } = summary.sentiment;
  const total = positive + neutral + negative;
  const pct = (n: number) => (total ? Math.round((n / total) * 100) : 0);
  const csatRange = formatRange(summary.csat_ci95, 1);
  // The server does not clamp the average's interval (it may pass 1 or 5 with few, spread
  // responses): the card shows it within the scale and says so.
  const avgRange = formatRange(summary.avg_ci95, 2, [1, 5]);
  return (
    <section className="kpis" aria-label="Key figures">
      <article className="kpi card" data-testid="kpi-responses">
        <h2 className="kpi-label">Responses</h2>
        <p className="kpi-value">{formatNumber(summary.count)}</p>
        <ChangeBadge change={countChange(summary.count, prev)} />
      </article>
      <article className="kpi card" data-testid="kpi-average">
        <h2 className="kpi-label">Average score</h2>
        <p className="kpi-value">
          {formatNumber(summary.avg_score, 2)}
          <span className="kpi-unit"> / 5</span>
        </p>
        {avgRange && (
          <p
            className="muted small kpi-range"
            title={avgRange.clamped ? `${RANGE_HELP} Computed as ${avgRange.exact}; shown within the 1–5 scale.` : RANGE_HELP}
          >
            95&nbsp;% range {avgRange.text}
            {avgRange.clamped && <span className="sr-only"> (computed {avgRange.exact}, shown within the 1 to 5 scale)</span>}
          </p>
        )}
        <ChangeBadge change={averageChange(summary)} />
        <p className="muted small">median {formatNumber(summary.median_score, 1)}</p>
      </article>
      <article className="kpi card" data-testid="kpi-csat">
        <h2 className="kpi-label">CSAT</h2>
        <p className="kpi-value">
          {formatNumber(summary.csat_pct, 1)}
          <span className="kpi-unit">%</span>
        </p>
        {csatRange && (
          <p className="muted small kpi-range" title={RANGE_HELP}>
            95&nbsp;% range {csatRange.text}&nbsp;%
          </p>
        )}
        <ChangeBadge change={csatChange(summary)} />
        <p className="muted small">share of 4 and 5 scores</p>
      </article>
      <ResponseRateCard rate={summary.response_rate} otherFilters={otherFilters} />
      <article className="kpi card" data-testid="kpi-sentiment">
        <h2 className="kpi-label">Sentiment</h2>
        <div className="sentiment-bar" role="img" aria-label={`${pct(positive)}% positive, ${pct(neutral)}% neutral, ${pct(negative)}% negative`}>
          <span className="seg seg-positive" style={{ width: `${pct(positive)}%` }} />
          <span className="seg seg-neutral" style={{ width: `${pct(neutral)}%` }} />
          <span className="seg seg-negative" style={{ width: `${pct(negative)}%` }} />
        </div>
        <ul className="sentiment-legend">
          <li>
            <button type="button" className="linkish" onClick={() => onSentiment('positive')}>
              <span className="dot dot-positive" aria-hidden="true" /> {pct(positive)}% positive
            </button>
          </li>
          <li>
            <button type="button" className="linkish" onClick={() => onSentiment('neutral')}>
              <span className="dot dot-neutral" aria-hidden="true" /> {pct(neutral)}% neutral
            </button>
          </li>
          <li>
            <button type="button" className="linkish" onClick={() => onSentiment('negative')}>
              <span className="dot dot-negative" aria-hidden="true" /> {pct(negative)}% negative
            </button>
          </li>
        </ul>
      </article>
    </section>
  );
}
