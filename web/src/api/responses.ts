/**
 * A customer's feedback history (API.md §11): the responses of one customer, under
 * `base` (`/workspaces/{wid}`, bound in ./workspaces.ts). Each call returns the envelope's `data`.
 */
import { api } from './client';
import { clean, data } from './endpoints';
import type { FeedbackResponse, Page, ResponseCreate, ResponseUpdate } from './types';

export interface ResponseListParams {
  page?: number;
  per_page?: number;
}

export function responsesApiAt(base: string) {
  return {
    /** Newest `feedback_at` first. */
    list: (customerId: number, params: ResponseListParams = {}) =>
      data<Page<FeedbackResponse>>(api.get(`${base}/customers/${customerId}/responses`, { params: clean(params) })),
    create: (customerId: number, body: ResponseCreate) =>
      data<FeedbackResponse>(api.post(`${base}/customers/${customerId}/responses`, body)),
    update: (id: number, body: ResponseUpdate) => data<FeedbackResponse>(api.patch(`${base}/responses/${id}`, body)),
    /** A customer's only response cannot go: 409 `conflict` (delete the customer instead). */
    remove: (id: number) => data<null>(api.delete(`${base}/responses/${id}`)),
  };
}
export type ResponsesApi = ReturnType<typeof responsesApiAt>;
