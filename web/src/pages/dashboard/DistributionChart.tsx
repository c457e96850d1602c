import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DistributionBucket } from '../../api/types';
import { prefersReducedMotion } from '../../lib/motion';

const COLORS = ['var(--score-1)', 'var(--score-2)', 'var(--score-3)', 'var(--score-4)', 'var(--score-5)'];

/** Count per score 1…5; clicking a bar opens the customers with that score. */
export function DistributionChart({ buckets, onSelect }: { buckets: DistributionBucket[]; onSelect: (score: number) => void }) {
  return (
    <div className="chart" data-testid="distribution-chart">
      <ResponsiveContainer width="100%" height={240}>
        <BarChart data={buckets} margin={{ top: 8, right: 8, bottom: 0, left: -12 }}>
          <CartesianGrid stroke="var(--grid)" vertical={false} />
          <XAxis dataKey="score" tickFormatter={(s: number) => `${s}★`} tick={{ fontSize: 12, fill: 'var(--muted)' }} />
          <YAxis allowDecimals={false} tick={{ fontSize: 12, fill: 'var(--muted)' }} />
          <Tooltip
            formatter={(value, _name, item) => {
              const pct = (item?.payload as DistributionBucket | undefined)?.pct;
              return [`${String(value)}${pct !== null && pct !== undefined ? ` (${pct}%)` : ''}`, 'Responses'];
            }}
            labelFormatter={(s) => `Score ${String(s)}`}
            contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', borderRadius: 8 }}
          />
          <Bar isAnimationActive={!prefersReducedMotion()} dataKey="count" name="Responses" radius={[4, 4, 0, 0]} cursor="pointer" onClick={(_d, index) => onSelect(buckets[index].score)}>
            {buckets.map((b) => (
              <Cell key={b.score} fill={COLORS[b.score - 1]} role="img" aria-label={`${b.score}★: ${b.count} responses`} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
      <ul className="chart-keys" aria-label="Open customers by score">
        {buckets.map((b) => (
          <li key={b.score}>
            <button type="button" className="linkish" onClick={() => onSelect(b.score)}>
              {b.score}★ · {b.count}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
