import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Granularity, TrendPoint } from '../../api/types';
import { formatDate } from '../../lib/format';
import { prefersReducedMotion } from '../../lib/motion';

const GRANULARITIES: Granularity[] = ['day', 'week', 'month'];

export function GranularitySwitch({ value, onChange }: { value: Granularity; onChange: (g: Granularity) => void }) {
  return (
    <div className="segmented segmented-small" role="group" aria-label="Trend granularity">
      {GRANULARITIES.map((g) => (
        <button key={g} type="button" aria-pressed={value === g} onClick={() => onChange(g)}>
          {g[0].toUpperCase() + g.slice(1)}
        </button>
      ))}
    </div>
  );
}

/** Responses per period (bars) and average score (line); a click opens that period's customers. */
export function TrendChart({ points, onSelect }: { points: TrendPoint[]; onSelect: (p: TrendPoint) => void }) {
  return (
    <div className="chart" data-testid="trend-chart">
      <ResponsiveContainer width="100%" height={280}>
        <ComposedChart
          data={points}
          margin={{ top: 8, right: 8, bottom: 0, left: -12 }}
          onClick={(state) => {
            const i = state?.activeTooltipIndex;
            const idx = typeof i === 'number' ? i : Number(i);
            if (Number.isInteger(idx) && points[idx]) onSelect(points[idx]);
          }}
          style={{ cursor: 'pointer' }}
        >
          <CartesianGrid stroke="var(--grid)" vertical={false} />
          <XAxis dataKey="period_start" tickFormatter={(d: string) => formatDate(d)} tick={{ fontSize: 12, fill: 'var(--muted)' }} minTickGap={24} />
          <YAxis yAxisId="count" allowDecimals={false} tick={{ fontSize: 12, fill: 'var(--muted)' }} />
          <YAxis yAxisId="score" orientation="right" domain={[1, 5]} ticks={[1, 2, 3, 4, 5]} tick={{ fontSize: 12, fill: 'var(--muted)' }} />
          <Tooltip
            labelFormatter={(d) => formatDate(String(d))}
            contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', borderRadius: 8 }}
          />
          <Legend wrapperStyle={{ fontSize: 13 }} />
          <Bar isAnimationActive={!prefersReducedMotion()} yAxisId="count" dataKey="count" name="Responses" fill="var(--chart-1)" radius={[4, 4, 0, 0]} maxBarSize={36} />
          <Line isAnimationActive={!prefersReducedMotion()} yAxisId="score" dataKey="avg_score" name="Avg score" stroke="var(--chart-2)" strokeWidth={2} dot={{ r: 3 }} connectNulls type="monotone" />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
