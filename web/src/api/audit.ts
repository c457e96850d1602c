/**
 * A workspace's audit log, for its admins: append-only, newest first.
 */
import { api, data } from './client';
import { clean } from './endpoints';
import type { AuditListParams } from './types';

export const auditApi = {
  list: (wid: number, params: AuditListParams = {}) =>
    data(api.GET('/api/v1/workspaces/{wid}/audit', { params: { path: { wid }, query: clean(params) } })),
};
