/**
 * Every call about workspaces and their members and invitations. Each
 * returns the envelope's `data`; the data routes of one workspace are in ./endpoints.ts
 * and the modules next to it.
 */
import { api, data } from './client';
import type { InvitationCreate, WorkspaceCreate, WorkspaceRole, WorkspaceUpdate } from './types';

export const workspacesApi = {
  list: () => data(api.GET('/api/v1/workspaces')).then((d) => d.items),
  get: (wid: number) => data(api.GET('/api/v1/workspaces/{wid}', { params: { path: { wid } } })),
  create: (body: WorkspaceCreate) => data(api.POST('/api/v1/workspaces', { body })),
  update: (wid: number, body: WorkspaceUpdate) => data(api.PATCH('/api/v1/workspaces/{wid}', { params: { path: { wid } }, body })),
  /** Deletes the workspace and all its data; `confirm` must be its name. */
  remove: (wid: number, confirm: string) =>
    data(api.DELETE('/api/v1/workspaces/{wid}', { params: { path: { wid } }, body: { confirm } })),
  /** The workspace the paths without `{wid}` act on (`PATCH /users/me`). */
  setDefault: (wid: number) => data(api.PATCH('/api/v1/users/me', { body: { default_workspace_id: wid } })),
};

export const membersApi = {
  list: (wid: number) => data(api.GET('/api/v1/workspaces/{wid}/members', { params: { path: { wid } } })).then((d) => d.items),
  setRole: (wid: number, user_id: number, role: WorkspaceRole) =>
    data(api.PATCH('/api/v1/workspaces/{wid}/members/{user_id}', { params: { path: { wid, user_id } }, body: { role } })),
  /** Removes a member, or leaves when `user_id` is the caller's. */
  remove: (wid: number, user_id: number) =>
    data(api.DELETE('/api/v1/workspaces/{wid}/members/{user_id}', { params: { path: { wid, user_id } } })),
};

export const invitationsApi = {
  list: (wid: number) =>
    data(api.GET('/api/v1/workspaces/{wid}/invitations', { params: { path: { wid } } })).then((d) => d.items),
  create: (wid: number, body: InvitationCreate) =>
    data(api.POST('/api/v1/workspaces/{wid}/invitations', { params: { path: { wid } }, body })),
  resend: (wid: number, id: number) =>
    data(api.POST('/api/v1/workspaces/{wid}/invitations/{id}/resend', { params: { path: { wid, id } } })),
  revoke: (wid: number, id: number) =>
    data(api.DELETE('/api/v1/workspaces/{wid}/invitations/{id}', { params: { path: { wid, id } } })),
  /** Anyone holding the link (no account needed). */
  preview: (token: string) => data(api.GET('/api/v1/invitations/{token}', { params: { path: { token } } })),
  accept: (token: string) => data(api.POST('/api/v1/invitations/accept', { body: { token } })),
};
