import { Fragment, useMemo, type ReactNode } from 'react';
import { Link, Navigate, Outlet, useLocation, useParams } from 'react-router';
import { errorMessage } from '../api/errors';
import type { WorkspaceRole } from '../api/types';
import { useMe } from '../auth/session';
import { Alert } from '../components/Alert';
import { Spinner } from '../components/Spinner';
import { atLeast, ROLE_LABELS, withArticle } from '../lib/roles';
import { useLastDefined } from '../lib/useLastDefined';
import { pickWorkspace, workspacePath } from '../lib/workspacePaths';
import { currentWorkspace, useWorkspace, useWorkspaces, WorkspaceContext } from './context';
import { TwoFactorRequired } from './TwoFactorRequired';
import { NoWorkspace, WorkspaceNotFound } from './WorkspaceNotFound';

/**
 * The element of `/w/:slug`: finds the workspace among the caller's and provides it to the
 * pages below. A slug the caller is not a member of gets the not-found page (the server
 * answers 404 for those too, without saying whether the workspace exists).
 */
export function WorkspaceScope() {
  const { slug = '' } = useParams();
  const location = useLocation();
  const me = useMe();
  const list = useWorkspaces();
  const workspace = list.data?.find((w) => w.slug === slug);
  const current = useMemo(() => (workspace ? currentWorkspace(workspace) : null), [workspace]);
  // The workspace shown last: when its slug changes under us (an owner renamed it), follow
  // it. Another slug typed or linked is not followed: that is not-found.
  const shown = useLastDefined(workspace);

  if (list.isPending) return <Spinner label="Loading the workspace" />;
  if (list.isError) return <Alert tone="error">{errorMessage(list.error)}</Alert>;
  if (!current) {
    const moved = shown?.slug === slug ? list.data.find((w) => w.id === shown.id) : undefined;
    if (moved) {
      const rest = location.pathname.replace(/^\/w\/[^/]+\/?/, '');
      return <Navigate to={`${workspacePath(moved.slug, rest)}${location.search}`} replace />;
    }
    return <WorkspaceNotFound slug={slug} workspaces={list.data} />;
  }
  // Its every route would answer 403 `two_factor_required`: say why instead of failing page by page.
  if (current.workspace.settings.require_two_factor && me.data && !me.data.two_factor_enabled) {
    return <TwoFactorRequired workspace={current.workspace} others={list.data} />;
  }
  return (
    <WorkspaceContext.Provider value={current}>
      {/* A new workspace remounts the page: no dialog, notice or draft crosses over. */}
      <Fragment key={current.wid}>
        <Outlet />
      </Fragment>
    </WorkspaceContext.Provider>
  );
}

/**
 * The paths without a workspace (`/`, `/customers`, `/customers/import`…, the first
 * release's links) go to the same page of the account's default workspace, else its first.
 */
export function GoToWorkspace({ sub = '' }: { sub?: string }) {
  const me = useMe();
  const list = useWorkspaces();
  const location = useLocation();
  if (list.isPending) return <Spinner label="Loading your workspaces" />;
  if (list.isError) return <Alert tone="error">{errorMessage(list.error)}</Alert>;
  const target = pickWorkspace(list.data, me.data?.default_workspace_id);
  if (!target) return <NoWorkspace />;
  return <Navigate to={`${workspacePath(target.slug, sub)}${location.search}${location.hash}`} replace state={location.state} />;
}

/** A page for `min` and above; lower roles are told why they cannot use it. */
export function RequireRole({ min, what, children }: { min: WorkspaceRole; what: string; children: ReactNode }) {
  const { role, path, workspace } = useWorkspace();
  if (atLeast(role, min)) return <>{children}</>;
  return (
    <div className="page page-narrow">
      <h1>Not available to {ROLE_LABELS[role].toLowerCase()}s</h1>
      <Alert tone="info">
        You are {withArticle(role)} of {workspace.name}: {what} needs {withArticle(min)} role or higher. Ask an admin of this
        workspace if you need it.
      </Alert>
      <p>
        <Link to={path()}>Back to the dashboard</Link>
      </p>
    </div>
  );
}
