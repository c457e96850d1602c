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
