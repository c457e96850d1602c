import type { FollowUp } from '../api/types';

/** A follow-up as the server sends it. */
export function makeFollowUp(id: number, patch: Partial<FollowUp> = {}): FollowUp {
  return {
    id,
    response_id: 100 + id,
    customer: { id: 5, name: 'Ada Lovelace', email: 'ada@example.com' },
    satisfaction_score: 1,
    review: 'The parcel arrived broken.',
    status: 'open',
    assignee: null,
    note: '',
    created_at: '2026-01-10T10:00:00Z',
    closed_at: null,
    recovered: false,
    ...patch,
  };
}
