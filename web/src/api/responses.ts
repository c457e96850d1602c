/**
 * A customer's feedback history: the responses of one customer in one
 * workspace. Each call returns the envelope's `data`.
 */
import { api, data } from './client';
import { clean } from './endpoints';
import type { ResponseCreate, ResponseUpdate } from './types';

export interface ResponseListParams {
  page?: number;
  per_page?: number;
}

export function responsesApi(wid: number) {
  return {
    /** Newest `feedback_at` first. */
    list: (id: number, params: ResponseListParams = {}) =>
      data(
        api.GET('/api/v1/workspaces/{wid}/customers/{id}/responses', { params: { path: { wid, id }, query: clean(params) } }),
      ),
    create: (id: number, body: ResponseCreate) =>
      data(api.POST('/api/v1/workspaces/{wid}/customers/{id}/responses', { params: { path: { wid, id } }, body })),
    update: (id: number, body: ResponseUpdate) =>
      data(api.PATCH('/api/v1/workspaces/{wid}/responses/{id}', { params: { path: { wid, id } }, body })),
    /** A customer's only response cannot go: 409 `conflict` (delete the customer instead). */
    remove: (id: number) => data(api.DELETE('/api/v1/workspaces/{wid}/responses/{id}', { params: { path: { wid, id } } })),
  };
}
export type ResponsesApi = ReturnType<typeof responsesApi>;
