/**
 * Words and rules of asking customers for feedback, kept out of the
 * components so they can be tested alone.
 */
import { clean } from '../api/endpoints';
import type { CustomerFilters, Survey, SurveyCreate, SurveyQueued } from '../api/types';
import { formatNumber } from './format';
import { isScore } from './scores';
import { SURVEY_MESSAGE_MAX } from './lengths';

/** The longest message a survey email may carry. */
export { SURVEY_MESSAGE_MAX };

/** How long a customer is not asked again (`SURVEY_COOLDOWN_SECONDS`' default), as people say it. */
export const COOLDOWN_TEXT = 'the last 30 days';

/** The subject of the survey email. */
export function surveySubject(workspaceName: string): string {
  return `How was your experience with ${workspaceName}?`;
}

/** The words of the five scores, 1 first (the answer page and the email preview). */
export const SCORE_WORDS = ['Very poor', 'Poor', 'Okay', 'Good', 'Excellent'] as const;

export function scoreWord(score: number): string {
  return SCORE_WORDS[score - 1] ?? '';
}

/** The `?score=` of a survey link, when it is a score of the scale; else null. */
export function parseScore(raw: string | null): number | null {
  if (raw === null || !/^\d+$/.test(raw.trim())) return null;
  const score = Number(raw.trim());
  return isScore(score) ? score : null;
}

/**
 * The request: the selected customers, or (none selected) everyone the list's filters
 * match. Exactly one of the two is sent; an empty message is left out.
 */
export function surveyRequest(selected: readonly number[], filters: CustomerFilters, message: string): SurveyCreate {
  const text = message.trim();
  const extra = text ? { message: text } : {};
  if (selected.length > 0) return { customer_ids: [...selected], ...extra };
  return { filter: clean(filters), ...extra };
}

const customers = (n: number) => (n === 1 ? 'customer' : `${formatNumber(n)} customers`);

/**
 * Who a survey goes to, before sending: "the 3 customers you selected", "the 120 customers
 * matching the current filters", "all 120 customers".
 */
export function audienceText(selected: number, total: number | undefined, filtered: boolean): string {
  if (selected > 0) return `the ${customers(selected)} you selected`;
  if (total === undefined) return filtered ? 'every customer matching the current filters' : 'every customer';
  if (filtered) return `the ${customers(total)} matching the current filters`;
  return total === 1 ? 'your only customer' : `all ${customers(total)}`;
}

/**
 * The 202 answer in words: "12 will be asked; 3 skipped because they were asked in the
 * last 30 days; 1 unsubscribed".
 */
export function describeQueued(q: SurveyQueued): string {
  const parts = [q.queued === 0 ? 'Nobody will be asked' : `${formatNumber(q.queued)} will be asked`];
  if (q.skipped_recent > 0) {
    parts.push(`${formatNumber(q.skipped_recent)} skipped because they were asked in ${COOLDOWN_TEXT}`);
  }
  if (q.skipped_unsubscribed > 0) parts.push(`${formatNumber(q.skipped_unsubscribed)} unsubscribed`);
  return parts.join('; ');
}

/** Emails of this survey still waiting to go out. */
export function pending(s: Pick<Survey, 'queued' | 'sent' | 'failed'>): number {
  return Math.max(0, s.queued - s.sent - s.failed);
}

/** Whether any survey is still sending (the list then refreshes itself). */
export function anySending(surveys: readonly Pick<Survey, 'queued' | 'sent' | 'failed'>[]): boolean {
  return surveys.some((s) => pending(s) > 0);
}

/** A survey's progress in words, for the bar's accessible name. */
export function progressText(s: Survey): string {
  if (s.queued === 0) return 'Nobody was asked';
  const parts = [`${formatNumber(s.sent)} of ${formatNumber(s.queued)} sent`];
  if (s.failed > 0) parts.push(`${formatNumber(s.failed)} failed`);
  const left = pending(s);
  if (left > 0) parts.push(`${formatNumber(left)} waiting`);
  parts.push(`${formatNumber(s.answered)} answered`);
  return parts.join(', ');
}

/** The share of `part` in `whole`, in percent for a bar's width (0 when `whole` is 0). */
export function share(part: number, whole: number): number {
  return whole > 0 ? Math.min(100, Math.max(0, (part / whole) * 100)) : 0;
}
