import { Bar, CartesianGrid, Cell, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Granularity, TrendPoint } from '../../api/types';
import { formatDate } from '../../lib/format';
import { pointStyle } from '../../lib/trendPoints';
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

type DotProps = { cx?: number; cy?: number; index?: number };

/** Responses per period (bars) and average score (line); a click opens that period's customers. */
export function TrendChart({ points, onSelect }: { points: TrendPoint[]; onSelect: (p: TrendPoint) => void }) {
  const largest = Math.max(0, ...points.map((p) => p.count));
  const dot = ({ cx, cy, index }: DotProps) => {
    const point = index === undefined ? undefined : points[index];
    if (cx === undefined || cy === undefined || !point || point.avg_score === null) return <g key={`dot-${index}`} />;
    const { r, opacity } = pointStyle(point.count, largest);
    return <circle key={`dot-${index}`} cx={cx} cy={cy} r={r} fill="var(--chart-2)" fillOpacity={opacity} stroke="none" />;
  };
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
          <XAxis
            dataKey="period_start"
            tickFormatter={(d: string) => formatDate(d)}
            tick={{ fontSize: 12, fill: 'var(--muted)' }}
            minTickGap={24}
            label={{ value: 'Period start', position: 'insideBottom', offset: -4, fontSize: 12, fill: 'var(--muted)' }}
            height={40}
          />
          <YAxis
            yAxisId="count"
            allowDecimals={false}
            tick={{ fontSize: 12, fill: 'var(--muted)' }}
            label={{ value: 'Responses', angle: -90, position: 'insideLeft', offset: 20, fontSize: 12, fill: 'var(--muted)' }}
          />
          <YAxis
            yAxisId="score"
            orientation="right"
            domain={[1, 5]}
            ticks={[1, 2, 3, 4, 5]}
            tick={{ fontSize: 12, fill: 'var(--muted)' }}
            label={{ value: 'Average score', angle: 90, position: 'insideRight', fontSize: 12, fill: 'var(--muted)' }}
          />
          <Tooltip
            labelFormatter={(d) => formatDate(String(d))}
            contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', borderRadius: 8 }}
          />
          <Legend wrapperStyle={{ fontSize: 13 }} />
          <Bar isAnimationActive={!prefersReducedMotion()} yAxisId="count" dataKey="count" name="Responses" fill="var(--chart-1)" radius={[4, 4, 0, 0]} maxBarSize={36}>
            {points.map((p) => (
              <Cell key={p.period_start} role="img" aria-label={`${formatDate(p.period_start)}: ${p.count} responses`} />
            ))}
          </Bar>
          <Line isAnimationActive={!prefersReducedMotion()} yAxisId="score" dataKey="avg_score" name="Avg score" stroke="var(--chart-2)" strokeWidth={2} dot={dot} activeDot={{ r: 5 }} connectNulls type="monotone" role="img" aria-label="Average score line" />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
