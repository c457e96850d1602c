/**
 * Closing the loop: the follow-ups of one workspace and their figures. Each
 * call returns the envelope's `data`.
 */
import { api, data } from './client';
import { clean } from './endpoints';
import type { FollowUpListParams, FollowUpUpdate } from './types';

/** The dashboard's date range: the only filters the follow-up figures take. */
export interface DateRange {
  from?: string;
  to?: string;
}

export function followUpsApi(wid: number) {
  return {
    /** Newest first. */
    list: ({ assignee, ...params }: FollowUpListParams = {}) =>
      data(
        api.GET('/api/v1/workspaces/{wid}/follow-ups', {
          params: { path: { wid }, query: clean({ ...params, assignee: assignee?.toString() }) },
        }),
      ),
    /** Members and above; an assignee who is not a member → 422 `fields.assignee_id`. */
    update: (id: number, body: FollowUpUpdate) =>
      data(api.PATCH('/api/v1/workspaces/{wid}/follow-ups/{id}', { params: { path: { wid, id } }, body })),
    /** Over the follow-ups opened in the range. */
    stats: (range: DateRange = {}) =>
      data(
        api.GET('/api/v1/workspaces/{wid}/analytics/follow-ups', {
          params: { path: { wid }, query: clean({ from: range.from, to: range.to }) },
        }),
      ),
  };
}
export type FollowUpsApi = ReturnType<typeof followUpsApi>;
