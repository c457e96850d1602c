/**
 * The satisfaction score scale as the server's OpenAPI document bounds it (../api/limits.ts,
 * generated from it): 1 (very poor) to 5 (excellent).
 */
import { limits } from '../api/limits';

export const { minimum: SCORE_MIN, maximum: SCORE_MAX } = limits.CustomerCreate.satisfaction_score;

/** Every score, lowest first. */
export const SCORES: readonly number[] = Array.from({ length: SCORE_MAX - SCORE_MIN + 1 }, (_, i) => SCORE_MIN + i);

/** Every score, highest first (the pickers of a form). */
export const SCORES_DESC: readonly number[] = [...SCORES].reverse();

export function isScore(n: number): boolean {
  return Number.isInteger(n) && n >= SCORE_MIN && n <= SCORE_MAX;
}

/** "from 1 to 5", for messages. */
export const SCORE_RANGE = `from ${SCORE_MIN} to ${SCORE_MAX}`;
