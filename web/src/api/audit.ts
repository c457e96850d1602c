/**
 * A workspace's audit log (API.md §17), for its admins: append-only, newest first.
 */
import { api } from './client';
import { clean, data } from './endpoints';
import type { AuditEntry, AuditListParams, Page } from './types';
import { wsKeys } from './workspaces';

export const auditApi = {
  list: (wid: number, params: AuditListParams = {}) =>
    data<Page<AuditEntry>>(api.get(`/workspaces/${wid}/audit`, { params: clean(params) })),
};

export const auditKeys = {
  all: (wid: number) => [...wsKeys.all(wid), 'audit'] as const,
};
