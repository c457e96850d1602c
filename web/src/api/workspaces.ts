/**
 * Every call about workspaces (API.md §9–§10), and the data routes of one workspace
 * (`/workspaces/{wid}/customers/…`, `/workspaces/{wid}/analytics/…`), in one module.
 * Each returns the envelope's `data`.
 */
import { api } from './client';
import { analyticsApiAt, customersApiAt, data, type AnalyticsApi, type CustomersApi } from './endpoints';
import { followUpsApiAt, type DateRange, type FollowUpsApi } from './followUps';
import { responsesApiAt, type ResponsesApi } from './responses';
import { surveysApiAt, type SurveysApi } from './surveys';
import type {
  Invitation,
  InvitationCreate,
  InvitationPreview,
  Member,
  UserRead,
  Workspace,
  WorkspaceCreate,
  WorkspaceRole,
  WorkspaceUpdate,
} from './types';

const ws = (wid: number) => `/workspaces/${wid}`;

export const workspacesApi = {
  list: () => data<{ items: Workspace[] }>(api.get('/workspaces')).then((d) => d.items),
  get: (wid: number) => data<Workspace>(api.get(ws(wid))),
  create: (body: WorkspaceCreate) => data<Workspace>(api.post('/workspaces', body)),
  update: (wid: number, body: WorkspaceUpdate) => data<Workspace>(api.patch(ws(wid), body)),
  /** Deletes the workspace and all its data; `confirm` must be its name. */
  remove: (wid: number, confirm: string) => data<null>(api.delete(ws(wid), { data: { confirm } })),
  /** The workspace the paths without `{wid}` act on (`PATCH /users/me`). */
  setDefault: (wid: number) => data<UserRead>(api.patch('/users/me', { default_workspace_id: wid })),
};

export const membersApi = {
  list: (wid: number) => data<{ items: Member[] }>(api.get(`${ws(wid)}/members`)).then((d) => d.items),
  setRole: (wid: number, userId: number, role: WorkspaceRole) =>
    data<Member>(api.patch(`${ws(wid)}/members/${userId}`, { role })),
  /** Removes a member, or leaves when `userId` is the caller's. */
  remove: (wid: number, userId: number) => data<null>(api.delete(`${ws(wid)}/members/${userId}`)),
};

export const invitationsApi = {
  list: (wid: number) => data<{ items: Invitation[] }>(api.get(`${ws(wid)}/invitations`)).then((d) => d.items),
  create: (wid: number, body: InvitationCreate) => data<Invitation>(api.post(`${ws(wid)}/invitations`, body)),
  resend: (wid: number, id: number) => data<null>(api.post(`${ws(wid)}/invitations/${id}/resend`)),
  revoke: (wid: number, id: number) => data<null>(api.delete(`${ws(wid)}/invitations/${id}`)),
  /** Anyone holding the link (no account needed). */
  preview: (token: string) => data<InvitationPreview>(api.get(`/invitations/${encodeURIComponent(token)}`)),
  accept: (token: string) => data<Workspace>(api.post('/invitations/accept', { token })),
};

/** The customer routes of one workspace. */
export function workspaceCustomersApi(wid: number): CustomersApi {
  return customersApiAt(ws(wid));
}

/** The analytics routes of one workspace. */
export function workspaceAnalyticsApi(wid: number): AnalyticsApi {
  return analyticsApiAt(ws(wid));
}

/** A customer's responses in one workspace (API.md §11). */
export function workspaceResponsesApi(wid: number): ResponsesApi {
  return responsesApiAt(ws(wid));
}

/** The surveys of one workspace (API.md §12). */
export function workspaceSurveysApi(wid: number): SurveysApi {
  return surveysApiAt(ws(wid));
}

/** The follow-ups of one workspace and their figures (API.md §13). */
export function workspaceFollowUpsApi(wid: number): FollowUpsApi {
  return followUpsApiAt(ws(wid));
}

/**
 * Query keys. Everything of one workspace starts with `['ws', wid]`, so switching never
 * shows another workspace's cached answers and one call can forget a whole workspace.
 */
export const wsKeys = {
  list: ['workspaces'] as const,
  all: (wid: number) => ['ws', wid] as const,
  customers: (wid: number) => ['ws', wid, 'customers'] as const,
  /** One customer; under `customers`, so a change to the list refreshes it too. */
  customer: (wid: number, id: number) => ['ws', wid, 'customers', 'one', id] as const,
  responses: (wid: number, customerId: number) => ['ws', wid, 'customers', 'one', customerId, 'responses'] as const,
  surveys: (wid: number) => ['ws', wid, 'surveys'] as const,
  followUps: (wid: number) => ['ws', wid, 'follow-ups'] as const,
  /** Under `analytics`, so whatever refreshes the dashboard refreshes these figures too. */
  followUpStats: (wid: number, range: DateRange) => ['ws', wid, 'analytics', 'follow-ups', range] as const,
  analytics: (wid: number) => ['ws', wid, 'analytics'] as const,
  members: (wid: number) => ['ws', wid, 'members'] as const,
  invitations: (wid: number) => ['ws', wid, 'invitations'] as const,
  invitationPreview: (token: string) => ['invitation', token] as const,
};
