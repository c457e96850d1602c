/**
 * Asking customers for feedback: surveys of one workspace. Each call returns
 * the envelope's `data`.
 */
import { api, data } from './client';
import { clean } from './endpoints';
import type { SurveyCreate } from './types';

export interface SurveyListParams {
  page?: number;
  per_page?: number;
}

export function surveysApi(wid: number) {
  return {
    /** 202: the emails go out in the background; the answer says how many were queued or skipped. */
    create: ({ customer_ids, filter, message }: SurveyCreate) =>
      data(
        api.POST('/api/v1/workspaces/{wid}/surveys', {
          params: { path: { wid } },
          // The document types `filter` as a free-form object: its keys are not checked.
          body: { customer_ids, filter: filter as Record<string, never> | undefined, message },
        }),
      ),
    list: (params: SurveyListParams = {}) =>
      data(api.GET('/api/v1/workspaces/{wid}/surveys', { params: { path: { wid }, query: clean(params) } })),
    get: (id: number) => data(api.GET('/api/v1/workspaces/{wid}/surveys/{id}', { params: { path: { wid, id } } })),
  };
}
export type SurveysApi = ReturnType<typeof surveysApi>;
