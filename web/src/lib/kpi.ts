import type { PeriodSummary, Summary } from '../api/types';
import { formatNumber } from './format';

export interface Delta {
  text: string;
  direction: 'up' | 'down' | 'flat';
}

/** Change vs the previous period: relative for counts, absolute for averages/percentages. */
export function delta(current: number | null | undefined, previous: number | null | undefined, kind: 'relative' | 'points' | 'absolute'): Delta | null {
  if (current === null || current === undefined || previous === null || previous === undefined) return null;
  let diff: number;
  let text: string;
  if (kind === 'relative') {
    if (previous === 0) return null;
    diff = ((current - previous) / previous) * 100;
    text = `${diff > 0 ? '+' : ''}${formatNumber(diff, 0)}%`;
  } else {
    diff = current - previous;
    text = `${diff > 0 ? '+' : ''}${formatNumber(diff, kind === 'points' ? 1 : 2)}${kind === 'points' ? ' pts' : ''}`;
  }
  const direction = Math.abs(diff) < 1e-9 ? 'flat' : diff > 0 ? 'up' : 'down';
  return { text, direction };
}

/** Fewer responses than this in a period and no interval or test says anything (the server's rule). */
export const MIN_RESPONSES = 2;
/** Under this many responses in the previous period, a change of the count is told in responses, not in %. */
export const SMALL_COUNT = 10;

/**
 * What a KPI card says about the change vs the previous period:
 * - `none`: there is no previous period (no date range chosen);
 * - `not-enough-data`: this period or the previous one has fewer than 2 responses;
 * - `no-clear-change`: the difference could well be chance, so no arrow and no number;
 * - `change`: the delta; `withinNoise` when it is shown but could be chance.
 * `detail` explains the verdict (a tooltip).
 */
export type Change =
  | { kind: 'none' }
  | { kind: 'not-enough-data'; detail: string }
  | { kind: 'no-clear-change'; detail: string }
  | { kind: 'change'; delta: Delta; withinNoise: boolean; detail?: string };

const NOT_ENOUGH: Change = {
  kind: 'not-enough-data',
  detail: `Fewer than ${MIN_RESPONSES} responses in this period or the previous one: nothing to compare.`,
};

const responses = (n: number) => `${formatNumber(n)} response${n === 1 ? '' : 's'}`;

/**
 * The change of the number of responses. A count is a fact, not an estimate, so there is
 * no test; but a percentage of a tiny previous count ("+16,600 %" from 3 to 501) says
 * nothing, so under 10 previous responses the change is told in responses ("+498").
 */
export function countChange(current: number, previous: PeriodSummary | null | undefined): Change {
  if (!previous) return { kind: 'none' };
  const detail = `Previous period: ${responses(previous.count)}.`;
  if (previous.count < SMALL_COUNT) {
    const diff = current - previous.count;
    const direction = diff === 0 ? 'flat' : diff > 0 ? 'up' : 'down';
    return { kind: 'change', delta: { text: `${diff > 0 ? '+' : ''}${formatNumber(diff)}`, direction }, withinNoise: false, detail };
  }
  const d = delta(current, previous.count, 'relative');
  return d ? { kind: 'change', delta: d, withinNoise: false, detail } : { kind: 'none' };
}

/** The change of CSAT: shown only when the server's two-proportion test finds it significant (p < 0.05). */
export function csatChange(summary: Summary): Change {
  const previous = summary.previous_period;
  if (!previous) return { kind: 'none' };
  if (summary.count < MIN_RESPONSES || previous.count < MIN_RESPONSES) return NOT_ENOUGH;
  const d = delta(summary.csat_pct, previous.csat_pct, 'points');
  if (!d) return NOT_ENOUGH;
  const was = `Previous period: ${formatNumber(previous.csat_pct, 1)} %.`;
  if (!previous.csat_change_significant) {
    return { kind: 'no-clear-change', detail: `${was} The difference could be chance (two-proportion test, 95 %).` };
  }
  return { kind: 'change', delta: d, withinNoise: false, detail: `${was} A real change (two-proportion test, p < 0.05).` };
}

/**
 * The change of the average score, always shown, but marked "within noise" when it could
 * be chance. Kept simple: the change counts as clear only when the previous average lies
 * outside this period's 95 % range (`avg_ci95`). That ignores the previous period's own
 * uncertainty, so it is a rough screen, a little quicker to call a change than a proper
 * two-sample test (and than asking that both ranges do not overlap, which is stricter).
 */
export function averageChange(summary: Summary): Change {
  const previous = summary.previous_period;
  if (!previous) return { kind: 'none' };
  if (summary.count < MIN_RESPONSES || previous.count < MIN_RESPONSES) return NOT_ENOUGH;
  const d = delta(summary.avg_score, previous.avg_score, 'absolute');
  const range = interval(summary.avg_ci95);
  if (!d || !range || previous.avg_score === null || previous.avg_score === undefined) return NOT_ENOUGH;
  const [low, high] = range;
  const withinNoise = previous.avg_score >= low && previous.avg_score <= high;
  const was = `Previous period: ${formatNumber(previous.avg_score, 2)}`;
  const detail = withinNoise
    ? `${was}, inside this period’s 95 % range: the change could be chance.`
    : `${was}, outside this period’s 95 % range.`;
  return { kind: 'change', delta: d, withinNoise, detail };
}

/** `[low, high]` from the server's `*_ci95`, or null (absent, or not a pair of numbers). */
export function interval(ci: number[] | null | undefined): [number, number] | null {
  if (!ci || ci.length < 2 || !Number.isFinite(ci[0]) || !Number.isFinite(ci[1])) return null;
  return [ci[0], ci[1]];
}

export interface RangeText {
  /** E.g. "61.2–74.8": what to show. */
  text: string;
  /** Whether `text` was clamped to `bounds`. */
  clamped: boolean;
  /** The range as the server sent it. */
  exact: string;
}

/**
 * A 95 % range for display, `digits` decimals. With `bounds`, the shown range is clamped
 * to them (the average's interval is not clamped by the server and may pass 1 or 5 with
 * few, spread responses); `exact` keeps what the server sent.
 */
export function formatRange(ci: number[] | null | undefined, digits: number, bounds?: [number, number]): RangeText | null {
  const range = interval(ci);
  if (!range) return null;
  const [low, high] = range;
  const shownLow = bounds ? Math.max(bounds[0], low) : low;
  const shownHigh = bounds ? Math.min(bounds[1], high) : high;
  const fmt = (a: number, b: number) => `${formatNumber(a, digits)}–${formatNumber(b, digits)}`;
  return { text: fmt(shownLow, shownHigh), clamped: shownLow !== low || shownHigh !== high, exact: fmt(low, high) };
}
