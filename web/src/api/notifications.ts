/**
 * The caller's notifications in one workspace (API.md §14): the low-score alert and the
 * weekly digest. Each call returns the envelope's `data`.
 */
import { api } from './client';
import { data } from './endpoints';
import type { DigestPreview, NotificationSettings } from './types';
import { wsKeys } from './workspaces';

const base = (wid: number) => `/workspaces/${wid}/notifications`;

export const notificationsApi = {
  get: (wid: number) => data<NotificationSettings>(api.get(`${base(wid)}/me`)),
  save: (wid: number, body: NotificationSettings) => data<NotificationSettings>(api.put(`${base(wid)}/me`, body)),
  /** This week's digest so far, as it would be mailed; nothing is sent. */
  digestPreview: (wid: number) => data<DigestPreview>(api.post(`${base(wid)}/digest-preview`)),
};

export const notificationKeys = {
  mine: (wid: number) => [...wsKeys.all(wid), 'notifications', 'me'] as const,
};
