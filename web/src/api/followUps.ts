/**
 * Closing the loop (API.md §13): the follow-ups of one workspace, under `base`
 * (`/workspaces/{wid}`, bound in ./workspaces.ts), and their figures. Each call returns
 * the envelope's `data`.
 */
import { api } from './client';
import { clean, data } from './endpoints';
import type { FollowUp, FollowUpListParams, FollowUpStats, FollowUpUpdate, Page } from './types';

/** The dashboard's date range: the only filters the follow-up figures take. */
export interface DateRange {
  from?: string;
  to?: string;
}

export function followUpsApiAt(base: string) {
  return {
    /** Newest first. */
    list: (params: FollowUpListParams = {}) =>
      data<Page<FollowUp>>(api.get(`${base}/follow-ups`, { params: clean(params) })),
    /** Members and above; an assignee who is not a member → 422 `fields.assignee_id`. */
    update: (id: number, body: FollowUpUpdate) => data<FollowUp>(api.patch(`${base}/follow-ups/${id}`, body)),
    /** Over the follow-ups opened in the range. */
    stats: (range: DateRange = {}) =>
      data<FollowUpStats>(api.get(`${base}/analytics/follow-ups`, { params: clean({ from: range.from, to: range.to }) })),
  };
}
export type FollowUpsApi = ReturnType<typeof followUpsApiAt>;
