import type { Customer, FeedbackResponse } from '../api/types';

/** A customer as the server sends it. */
export function makeCustomer(id: number, name: string, patch: Partial<Customer> = {}): Customer {
  return {
    id,
    name,
    email: `${name.split(' ')[0].toLowerCase()}@example.com`,
    review: 'Fine',
    satisfaction_score: 4,
    sentiment: 0.2,
    sentiment_class: 'positive',
    feedback_at: '2026-01-10T00:00:00Z',
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-10T00:00:00Z',
    response_count: 1,
    unsubscribed: false,
    ...patch,
  };
}

export function makeResponse(id: number, customerId: number, patch: Partial<FeedbackResponse> = {}): FeedbackResponse {
  return {
    id,
    customer_id: customerId,
    satisfaction_score: 4,
    review: 'Fine',
    sentiment: 0.2,
    sentiment_class: 'positive',
    feedback_at: '2026-01-10T00:00:00Z',
    source: 'manual',
    created_at: '2026-01-10T00:00:00Z',
    updated_at: '2026-01-10T00:00:00Z',
    ...patch,
  };
}

/** A page of a list: `{items, page, per_page, total}`. */
export const pageOf = <T,>(items: T[], total = items.length, perPage = 25) => ({ items, page: 1, per_page: perPage, total });
