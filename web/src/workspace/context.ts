/**
 * The current workspace: the one named by the URL's `/w/{slug}`, resolved by
 * <WorkspaceScope> from the caller's workspaces. Pages below it read it with
 * `useWorkspace()`: its id, the caller's role there, what that role may do, and the API
 * bound to it.
 */
import { createContext, useContext } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { AnalyticsApi, CustomersApi } from '../api/endpoints';
import type { FollowUpsApi } from '../api/followUps';
import type { ResponsesApi } from '../api/responses';
import type { SurveysApi } from '../api/surveys';
import type { Workspace, WorkspaceRole } from '../api/types';
import {
  workspaceAnalyticsApi,
  workspaceCustomersApi,
  workspaceFollowUpsApi,
  workspaceResponsesApi,
  workspacesApi,
  workspaceSurveysApi,
  wsKeys,
} from '../api/workspaces';
import { asRole, permissions, type Permissions } from '../lib/roles';
import { workspacePath } from '../lib/workspacePaths';

export interface CurrentWorkspace {
  workspace: Workspace;
  wid: number;
  role: WorkspaceRole;
  can: Permissions;
  customers: CustomersApi;
  analytics: AnalyticsApi;
  responses: ResponsesApi;
  surveys: SurveysApi;
  followUps: FollowUpsApi;
  /** A path inside this workspace: `path('customers')` → `/w/{slug}/customers`. */
  path: (sub?: string) => string;
}

export function currentWorkspace(workspace: Workspace): CurrentWorkspace {
  const role = asRole(workspace.role);
  return {
    workspace,
    wid: workspace.id,
    role,
    can: permissions(role),
    customers: workspaceCustomersApi(workspace.id),
    analytics: workspaceAnalyticsApi(workspace.id),
    responses: workspaceResponsesApi(workspace.id),
    surveys: workspaceSurveysApi(workspace.id),
    followUps: workspaceFollowUpsApi(workspace.id),
    path: (sub = '') => workspacePath(workspace.slug, sub),
  };
}

export const WorkspaceContext = createContext<CurrentWorkspace | null>(null);

export function useWorkspace(): CurrentWorkspace {
  const current = useContext(WorkspaceContext);
  if (!current) throw new Error('useWorkspace() is only for pages under /w/{slug}');
  return current;
}

/** The caller's workspaces (`GET /workspaces`). */
export function useWorkspaces() {
  return useQuery({ queryKey: wsKeys.list, queryFn: workspacesApi.list, staleTime: 30_000 });
}
