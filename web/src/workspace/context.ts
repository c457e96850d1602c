/**
 * The current workspace: the one named by the URL's `/w/{slug}`, resolved by
 * <WorkspaceScope> from the caller's workspaces. Pages below it read it with
 * `useWorkspace()`: its id, the caller's role there, what that role may do, and the API
 * bound to it.
 */
import { createContext, useContext } from 'react';
import { useQuery } from '@tanstack/react-query';
import { analyticsApi, customersApi, type AnalyticsApi, type CustomersApi } from '../api/endpoints';
import { followUpsApi, type FollowUpsApi } from '../api/followUps';
import { queryKeys } from '../api/queryKeys';
import { responsesApi, type ResponsesApi } from '../api/responses';
import { surveysApi, type SurveysApi } from '../api/surveys';
import type { Workspace, WorkspaceRole } from '../api/types';
import { workspacesApi } from '../api/workspaces';
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
    customers: customersApi(workspace.id),
    analytics: analyticsApi(workspace.id),
    responses: responsesApi(workspace.id),
    surveys: surveysApi(workspace.id),
    followUps: followUpsApi(workspace.id),
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
  return useQuery({ queryKey: queryKeys.workspaces, queryFn: workspacesApi.list, staleTime: 30_000 });
}
