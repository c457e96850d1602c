import { render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { PeriodSummary, Summary } from '../../api/types';
import { KpiCards } from './KpiCards';

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
    response_rate: { sent: 40, answered: 13, pct: 32.5 },
    previous_period: previous && { count: 150, avg_score: 3.5, csat_pct: 55, csat_change_significant: true, ...previous },
    ...patch,
  };
}

const show = (s: Summary) => render(<KpiCards summary={s} onSentiment={vi.fn()} />);
const card = (id: 'responses' | 'average' | 'csat' | 'response-rate') => screen.getByTestId(`kpi-${id}`);

describe('KPI cards', () => {
  it('show the 95 % ranges and the significant changes with their arrows', () => {
    show(summary());
    expect(card('csat')).toHaveTextContent('95 % range 61.2–74.8 %');
    expect(card('csat')).toHaveTextContent('▲ +13.0 pts vs previous');
    expect(card('average')).toHaveTextContent('95 % range 3.70–4.10');
    expect(card('average')).toHaveTextContent('▲ +0.40 vs previous');
    expect(card('average')).not.toHaveTextContent('within noise');
    expect(card('responses')).toHaveTextContent('▲ +33% vs previous');
  });

  it('say "no clear change" for CSAT when the change is not significant, without arrow or number', () => {
    show(summary({}, { csat_pct: 60, csat_change_significant: false }));
    expect(card('csat')).toHaveTextContent('no clear change vs previous');
    expect(card('csat')).not.toHaveTextContent(/pts|▲|▼/);
  });

  it('keep the average’s delta but mark it within noise when the previous average is inside the range', () => {
    show(summary({}, { avg_score: 3.8 }));
    expect(card('average')).toHaveTextContent('+0.10 vs previous, within noise');
    expect(card('average')).not.toHaveTextContent(/▲|▼/);
  });

  it('say "not enough data" when a period has fewer than 2 responses, and count in responses from a tiny period', () => {
    show(summary({ count: 501 }, { count: 1, avg_score: 2, csat_pct: 0, csat_change_significant: false }));
    expect(card('csat')).toHaveTextContent('not enough data to compare');
    expect(card('average')).toHaveTextContent('not enough data to compare');
    expect(card('responses')).toHaveTextContent('▲ +500 vs previous');
    expect(card('responses')).not.toHaveTextContent('%');
  });

  it('show no range when the server sends none (under 2 responses)', () => {
    show(summary({ count: 1, avg_score: 5, median_score: 5, csat_pct: 100, csat_ci95: null, avg_ci95: null }, null));
    expect(card('csat')).not.toHaveTextContent('range');
    expect(card('average')).not.toHaveTextContent('range');
    expect(card('csat')).toHaveTextContent('no previous period');
  });

  it('clamp the average’s range to the scale for display and say so', () => {
    show(summary({ count: 3, avg_score: 4.33, avg_ci95: [2.9, 5.77], csat_ci95: [20.8, 93.9] }, null));
    const range = screen.getByTitle(/shown within the 1–5 scale/);
    expect(range).toHaveTextContent('95 % range 2.90–5.00');
    expect(range).toHaveTextContent('computed 2.90–5.77');
    expect(range).toHaveAttribute('title', expect.stringContaining('Computed as 2.90–5.77'));
  });

  it('show the response rate of the period’s survey emails', () => {
    show(summary());
    expect(card('response-rate')).toHaveTextContent('Response rate32.5%');
    expect(card('response-rate')).toHaveTextContent('13/40 survey emails answered');
  });

  it('say when no survey was sent in the period', () => {
    show(summary({ response_rate: null }));
    expect(card('response-rate')).toHaveTextContent('No surveys sent in this period');
    expect(card('response-rate')).not.toHaveTextContent('%');
  });
});
