import type { Summary } from '../../api/types';
import { formatNumber } from '../../lib/format';
import { delta, type Delta } from '../../lib/kpi';

function DeltaBadge({ d }: { d: Delta | null }) {
  if (!d) return <span className="kpi-delta muted">no previous period</span>;
  const arrow = d.direction === 'up' ? '▲' : d.direction === 'down' ? '▼' : '■';
  return (
    <span className={`kpi-delta delta-${d.direction}`}>
      <span aria-hidden="true">{arrow}</span> {d.text} <span className="muted">vs previous</span>
    </span>
  );
}

export function KpiCards({ summary, onSentiment }: { summary: Summary; onSentiment: (s: 'positive' | 'neutral' | 'negative') => void }) {
  const prev = summary.previous_period;
  const { positive, neutral, negative } = summary.sentiment;
  const total = positive + neutral + negative;
  const pct = (n: number) => (total ? Math.round((n / total) * 100) : 0);
  return (
    <section className="kpis" aria-label="Key figures">
      <article className="kpi card" data-testid="kpi-responses">
        <h2 className="kpi-label">Responses</h2>
        <p className="kpi-value">{formatNumber(summary.count)}</p>
        <DeltaBadge d={delta(summary.count, prev?.count, 'relative')} />
      </article>
      <article className="kpi card" data-testid="kpi-average">
        <h2 className="kpi-label">Average score</h2>
        <p className="kpi-value">
          {formatNumber(summary.avg_score, 2)}
          <span className="kpi-unit"> / 5</span>
        </p>
        <DeltaBadge d={delta(summary.avg_score, prev?.avg_score, 'absolute')} />
        <p className="muted small">median {formatNumber(summary.median_score, 1)}</p>
      </article>
      <article className="kpi card" data-testid="kpi-csat">
        <h2 className="kpi-label">CSAT</h2>
        <p className="kpi-value">
          {formatNumber(summary.csat_pct, 1)}
          <span className="kpi-unit">%</span>
        </p>
        <DeltaBadge d={delta(summary.csat_pct, prev?.csat_pct, 'points')} />
        <p className="muted small">share of 4 and 5 scores</p>
      </article>
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
