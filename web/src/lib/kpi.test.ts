import { describe, expect, it } from 'vitest';
import type { PeriodSummary, Summary } from '../api/types';
import { averageChange, countChange, csatChange, delta, formatRange, interval } from './kpi';

function summary(patch: Partial<Summary> = {}, previous: Partial<PeriodSummary> | null = {}): Summary {
  return {
    count: 200,
    avg_score: 3.9,
    median_score: 4,
    csat_pct: 68,
    csat_ci95: [61.2, 74.8],
    avg_ci95: [3.7, 4.1],
    distribution: { '1': 20, '2': 20, '3': 24, '4': 60, '5': 76 },
    sentiment: { positive: 120, neutral: 40, negative: 40 },
    response_rate: null,
    previous_period: previous && { count: 150, avg_score: 3.5, csat_pct: 55, csat_change_significant: true, ...previous },
    ...patch,
  };
}

describe('KPI deltas', () => {
  it('is relative for counts and absolute for scores', () => {
    expect(delta(120, 100, 'relative')).toEqual({ text: '+20%', direction: 'up' });
    expect(delta(3.5, 4, 'absolute')).toEqual({ text: '-0.50', direction: 'down' });
    expect(delta(80, 80, 'points')).toEqual({ text: '0.0 pts', direction: 'flat' });
  });
  it('is absent without a previous period', () => {
    expect(delta(10, undefined, 'relative')).toBeNull();
    expect(delta(10, 0, 'relative')).toBeNull();
    expect(delta(null, 3, 'absolute')).toBeNull();
  });
});

describe('the change of the number of responses', () => {
  it('is relative when the previous period has 10 responses or more', () => {
    expect(countChange(120, { count: 100, csat_change_significant: false })).toMatchObject({
      kind: 'change',
      delta: { text: '+20%', direction: 'up' },
      withinNoise: false,
    });
    expect(countChange(9, { count: 10, csat_change_significant: false })).toMatchObject({ delta: { text: '-10%' } });
  });
  it('is in responses, never a huge percentage, when the previous count is small', () => {
    // 3 → 501 would be "+16,600%".
    expect(countChange(501, { count: 3, csat_change_significant: false })).toMatchObject({
      kind: 'change',
      delta: { text: '+498', direction: 'up' },
    });
    expect(countChange(2, { count: 9, csat_change_significant: false })).toMatchObject({ delta: { text: '-7', direction: 'down' } });
    expect(countChange(4, { count: 4, csat_change_significant: false })).toMatchObject({ delta: { text: '0', direction: 'flat' } });
    // An empty previous period is a change from 0, not "no previous period".
    expect(countChange(12, { count: 0, csat_change_significant: false })).toMatchObject({ delta: { text: '+12' } });
  });
  it('is absent without a previous period', () => {
    expect(countChange(12, null)).toEqual({ kind: 'none' });
    expect(countChange(12, undefined)).toEqual({ kind: 'none' });
  });
});

describe('the change of CSAT', () => {
  it('shows the delta only when the server finds it significant', () => {
    expect(csatChange(summary())).toMatchObject({ kind: 'change', delta: { text: '+13.0 pts', direction: 'up' }, withinNoise: false });
    expect(csatChange(summary({}, { csat_change_significant: false }))).toMatchObject({ kind: 'no-clear-change' });
  });
  it('says "not enough data" when either period has fewer than 2 responses', () => {
    expect(csatChange(summary({ count: 1, csat_pct: 100, csat_ci95: null, avg_ci95: null }))).toMatchObject({ kind: 'not-enough-data' });
    expect(csatChange(summary({}, { count: 1, csat_pct: 0, csat_change_significant: false }))).toMatchObject({ kind: 'not-enough-data' });
    expect(csatChange(summary({}, { count: 0, csat_pct: null, avg_score: null, csat_change_significant: false }))).toMatchObject({
      kind: 'not-enough-data',
    });
  });
  it('is absent without a previous period', () => {
    expect(csatChange(summary({}, null))).toEqual({ kind: 'none' });
  });
});

describe('the change of the average', () => {
  it('is clear when the previous average lies outside this period’s range', () => {
    expect(averageChange(summary())).toMatchObject({ kind: 'change', delta: { text: '+0.40', direction: 'up' }, withinNoise: false });
  });
  it('is kept but marked within noise when the previous average lies inside it', () => {
    expect(averageChange(summary({}, { avg_score: 3.8 }))).toMatchObject({ kind: 'change', delta: { text: '+0.10' }, withinNoise: true });
    // On a bound counts as inside.
    expect(averageChange(summary({}, { avg_score: 4.1 }))).toMatchObject({ withinNoise: true });
  });
  it('says "not enough data" when either period has fewer than 2 responses', () => {
    expect(averageChange(summary({ count: 1, avg_score: 5, avg_ci95: null }))).toMatchObject({ kind: 'not-enough-data' });
    expect(averageChange(summary({}, { count: 1, avg_score: 2 }))).toMatchObject({ kind: 'not-enough-data' });
  });
  it('is absent without a previous period', () => {
    expect(averageChange(summary({}, null))).toEqual({ kind: 'none' });
  });
});

describe('95 % ranges', () => {
  it('are shown as the server sent them', () => {
    expect(formatRange([61.2, 74.8], 1)).toEqual({ text: '61.2–74.8', clamped: false, exact: '61.2–74.8' });
    expect(formatRange([0, 27.8], 1)).toMatchObject({ text: '0.0–27.8' });
  });
  it('may be clamped to the scale for display, keeping the exact range', () => {
    expect(formatRange([-0.92, 6.92], 2, [1, 5])).toEqual({ text: '1.00–5.00', clamped: true, exact: '-0.92–6.92' });
    expect(formatRange([3.2, 5.31], 2, [1, 5])).toEqual({ text: '3.20–5.00', clamped: true, exact: '3.20–5.31' });
    expect(formatRange([3.7, 4.1], 2, [1, 5])).toEqual({ text: '3.70–4.10', clamped: false, exact: '3.70–4.10' });
  });
  it('are absent when null (fewer than 2 responses) or malformed', () => {
    expect(formatRange(null, 1)).toBeNull();
    expect(formatRange(undefined, 1)).toBeNull();
    expect(interval([4])).toBeNull();
    expect(interval([Number.NaN, 1])).toBeNull();
  });
});
