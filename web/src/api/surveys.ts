/**
 * Asking customers for feedback (API.md §12): surveys of one workspace. Each call returns
 * the envelope's `data`.
 */
import { api } from './client';
import { clean, data } from './endpoints';
import type { Page, Survey, SurveyCreate, SurveyQueued } from './types';

export interface SurveyListParams {
  page?: number;
  per_page?: number;
}

export function surveysApiAt(base: string) {
  return {
    /** 202: the emails go out in the background; the answer says how many were queued or skipped. */
    create: (body: SurveyCreate) => data<SurveyQueued>(api.post(`${base}/surveys`, body)),
    list: (params: SurveyListParams = {}) => data<Page<Survey>>(api.get(`${base}/surveys`, { params: clean(params) })),
    get: (id: number) => data<Survey>(api.get(`${base}/surveys/${id}`)),
  };
}
export type SurveysApi = ReturnType<typeof surveysApiAt>;
