/**
 * The caller's notifications in one workspace: the low-score alert and the
 * weekly digest. Each call returns the envelope's `data`.
 */
import { api, data } from './client';
import type { NotificationSettings } from './types';

export const notificationsApi = {
  get: (wid: number) => data(api.GET('/api/v1/workspaces/{wid}/notifications/me', { params: { path: { wid } } })),
  save: (wid: number, body: NotificationSettings) =>
    data(api.PUT('/api/v1/workspaces/{wid}/notifications/me', { params: { path: { wid } }, body })),
  /** This week's digest so far, as it would be mailed; nothing is sent. */
  digestPreview: (wid: number) =>
    data(api.POST('/api/v1/workspaces/{wid}/notifications/digest-preview', { params: { path: { wid } } })),
};
