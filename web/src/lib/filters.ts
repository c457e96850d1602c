/**
 * The filters shared by every dashboard panel and the customers table, kept in the URL
 * so a view can be bookmarked, shared, and opened from a chart ("drill down").
 *
 * URL keys: range (7d|30d|90d|1y|all|custom), from, to (custom only, YYYY-MM-DD),
 * min_score, max_score, sentiment, q.
 */
import type { CustomerFilters, Granularity, Sentiment } from '../api/types';
import { SCORE_MAX, SCORE_MIN } from './scores';

export const PRESETS = [
  { id: '7d', label: '7 days', days: 7 },
  { id: '30d', label: '30 days', days: 30 },
  { id: '90d', label: '90 days', days: 90 },
  { id: '1y', label: 'Year', days: 365 },
  { id: 'all', label: 'All time', days: null },
] as const;

export type Preset = (typeof PRESETS)[number]['id'] | 'custom';

export const SENTIMENTS: Sentiment[] = ['positive', 'neutral', 'negative'];

/** YYYY-MM-DD of a Date, in UTC (the server's calendar). */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return isoDay(d);
}

/** The inclusive [from, to] window of a preset ending today. */
export function presetRange(preset: Preset, today: Date = new Date()): { from?: string; to?: string } {
  const p = PRESETS.find((x) => x.id === preset);
  if (!p || p.days === null) return {};
  const to = isoDay(today);
  return { from: addDays(to, -(p.days - 1)), to };
}

function intParam(v: string | null, min: number, max: number): number | undefined {
  if (v === null || v === '') return undefined;
  const n = Number(v);
  return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

export interface FilterState {
  preset: Preset;
  filters: CustomerFilters;
}

export function readFilters(params: URLSearchParams, today: Date = new Date()): FilterState {
  const raw = params.get('range');
  const preset: Preset =
    raw === 'custom' || PRESETS.some((p) => p.id === raw) ? (raw as Preset) : params.get('from') || params.get('to') ? 'custom' : 'all';
  const dayRe = /^\d{4}-\d{2}-\d{2}$/;
  const range =
    preset === 'custom'
      ? {
          from: dayRe.test(params.get('from') ?? '') ? params.get('from')! : undefined,
          to: dayRe.test(params.get('to') ?? '') ? params.get('to')! : undefined,
        }
      : presetRange(preset, today);
  const sentiment = params.get('sentiment');
  const filters: CustomerFilters = {
    ...range,
    min_score: intParam(params.get('min_score'), SCORE_MIN, SCORE_MAX),
    max_score: intParam(params.get('max_score'), SCORE_MIN, SCORE_MAX),
    sentiment: SENTIMENTS.includes(sentiment as Sentiment) ? (sentiment as Sentiment) : undefined,
    q: params.get('q')?.trim() || undefined,
  };
  return { preset, filters };
}

/** A copy of `params` with `patch` applied (undefined/empty removes a key). Resets paging. */
export function patchParams(params: URLSearchParams, patch: Record<string, string | number | undefined | null>): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined || v === null || v === '') next.delete(k);
    else next.set(k, String(v));
  }
  if (!('page' in patch)) next.delete('page');
  return next;
}

/** Query string for /customers showing exactly `filters` (a drill-down from a chart). */
export function customersQuery(filters: CustomerFilters): string {
  const p = new URLSearchParams();
  if (filters.from || filters.to) {
    p.set('range', 'custom');
    if (filters.from) p.set('from', filters.from);
    if (filters.to) p.set('to', filters.to);
  }
  if (filters.min_score !== undefined) p.set('min_score', String(filters.min_score));
  if (filters.max_score !== undefined) p.set('max_score', String(filters.max_score));
  if (filters.sentiment) p.set('sentiment', filters.sentiment);
  if (filters.q) p.set('q', filters.q);
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** The last day of the trend period starting at `start`. */
export function periodEnd(start: string, granularity: Granularity): string {
  if (granularity === 'day') return start;
  if (granularity === 'week') return addDays(start, 6);
  const d = new Date(`${start}T00:00:00Z`);
  return isoDay(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)));
}

export function hasActiveFilters(f: CustomerFilters): boolean {
  return Boolean(f.from || f.to || f.min_score !== undefined || f.max_score !== undefined || f.sentiment || f.q);
}

