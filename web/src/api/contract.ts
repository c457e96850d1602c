/**
 * Customers and analytics payloads, transcribed from API.md §5 and §6.
 * Keep in step with the contract; replace by generated types once these paths appear
 * in /api/openapi.json (`npm run gen:api`).
 */

export type Sentiment = 'positive' | 'neutral' | 'negative';

export interface Customer {
  id: number;
  name: string;
  email: string;
  review: string;
  satisfaction_score: number;
  /** Server-computed score in [-1, 1]. */
  sentiment: number;
  feedback_at: string;
  created_at: string;
  updated_at: string;
}

export interface CustomerInput {
  name: string;
  email: string;
  review?: string;
  satisfaction_score: number;
  feedback_at?: string;
}

/** The filters every customers and analytics route accepts. */
export interface CustomerFilters {
  q?: string;
  from?: string;
  to?: string;
  min_score?: number;
  max_score?: number;
  sentiment?: Sentiment;
}

export interface ImportRowError {
  row: number;
  field: string;
  message: string;
}

export interface ImportReport {
  total_rows: number;
  inserted: number;
  updated: number;
  skipped: number;
  invalid: number;
  errors: ImportRowError[];
  truncated_errors: number;
}

export interface Summary {
  count: number;
  avg_score: number | null;
  median_score: number | null;
  csat_pct: number | null;
  distribution: Record<string, number>;
  sentiment: { positive: number; neutral: number; negative: number };
  previous_period: { count: number; avg_score: number | null; csat_pct: number | null } | null;
}

export type Granularity = 'day' | 'week' | 'month';

export interface TrendPoint {
  period_start: string;
  count: number;
  avg_score: number | null;
  csat_pct: number | null;
}

export interface Trends {
  granularity: Granularity;
  points: TrendPoint[];
}

export interface DistributionBucket {
  score: number;
  count: number;
  pct: number | null;
}

export interface Distribution {
  buckets: DistributionBucket[];
}

export interface Keyword {
  term: string;
  count: number;
}

export interface Keywords {
  negative: Keyword[];
  positive: Keyword[];
}
