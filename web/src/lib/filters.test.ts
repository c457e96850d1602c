import { describe, expect, it } from 'vitest';
import { customersQuery, patchParams, periodEnd, presetRange, readFilters } from './filters';

const today = new Date('2026-03-15T10:00:00Z');

describe('date presets', () => {
  it('are inclusive windows ending today', () => {
    expect(presetRange('7d', today)).toEqual({ from: '2026-03-09', to: '2026-03-15' });
    expect(presetRange('30d', today)).toEqual({ from: '2026-02-14', to: '2026-03-15' });
    expect(presetRange('all', today)).toEqual({});
  });
});

describe('readFilters', () => {
  it('defaults to all time with no filters', () => {
    expect(readFilters(new URLSearchParams(''), today)).toEqual({
      preset: 'all',
      filters: { from: undefined, to: undefined, min_score: undefined, max_score: undefined, sentiment: undefined, q: undefined },
    });
  });
  it('reads a preset, scores and sentiment, ignoring junk', () => {
    const { preset, filters } = readFilters(new URLSearchParams('range=7d&min_score=4&max_score=9&sentiment=angry&q=+late+'), today);
    expect(preset).toBe('7d');
    expect(filters).toMatchObject({ from: '2026-03-09', to: '2026-03-15', min_score: 4, max_score: undefined, sentiment: undefined, q: 'late' });
  });
  it('treats bare from/to as a custom range', () => {
    const s = readFilters(new URLSearchParams('from=2026-01-01&to=2026-01-31'), today);
    expect(s.preset).toBe('custom');
    expect(s.filters).toMatchObject({ from: '2026-01-01', to: '2026-01-31' });
  });
});

describe('URL helpers', () => {
  it('patchParams sets, removes and resets the page', () => {
    const p = patchParams(new URLSearchParams('q=a&page=3&sort=name'), { q: undefined, min_score: 2 });
    expect(p.toString()).toBe('sort=name&min_score=2');
  });
  it('customersQuery builds a drill-down link', () => {
    expect(customersQuery({ from: '2026-01-05', to: '2026-01-11', min_score: 3, max_score: 3 })).toBe(
      '?range=custom&from=2026-01-05&to=2026-01-11&min_score=3&max_score=3',
    );
    expect(customersQuery({})).toBe('');
  });
  it('periodEnd knows weeks and months', () => {
    expect(periodEnd('2026-01-05', 'day')).toBe('2026-01-05');
    expect(periodEnd('2026-01-05', 'week')).toBe('2026-01-11');
    expect(periodEnd('2026-02-01', 'month')).toBe('2026-02-28');
    expect(periodEnd('2024-02-01', 'month')).toBe('2024-02-29');
  });
});

