import { useMutation } from '@tanstack/react-query';
import { NavLink, Outlet, useLocation } from 'react-router';
import { authApi } from '../api/endpoints';
import { useEndSession, useMe } from '../auth/session';
import { asRole, permissions } from '../lib/roles';
import { useLastDefined } from '../lib/useLastDefined';
import { pickWorkspace, slugOf, workspacePath } from '../lib/workspacePaths';
import { useWorkspaces } from '../workspace/context';
import { WorkspaceSwitcher } from '../workspace/WorkspaceSwitcher';
import { Alert } from './Alert';
import { Button } from './Button';
import { VerifyBanner } from './VerifyBanner';

/** Header (workspace switcher, navigation, user) and the page below it, for logged-in pages. */
export function Layout() {
  const me = useMe();
  const user = me.data;
  const endSession = useEndSession();
  const { pathname, state } = useLocation();
  // A message from the page before (e.g. "You left Acme.").
  const flash = (state as { message?: string } | null)?.message;
  const workspaces = useWorkspaces();
  const logout = useMutation({
    mutationFn: authApi.logout,
    // Whatever the server said, this browser is logged out now.
    onSettled: () => endSession('You have been logged out.'),
  });

  // The workspace of the URL; on pages outside one (account, admin), the last one shown.
  const urlSlug = slugOf(pathname);
  const lastSlug = useLastDefined(urlSlug);
  const list = workspaces.data ?? [];
  const inUrl = urlSlug ? list.find((w) => w.slug === urlSlug) : undefined;
  const nav = inUrl ?? list.find((w) => w.slug === lastSlug) ?? pickWorkspace(list, user?.default_workspace_id);
  const can = nav ? permissions(asRole(nav.role)) : undefined;

  return (
    <div className="app-shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to={nav ? workspacePath(nav.slug) : '/'} className="brand" aria-label="Pulse dashboard">
          <span className="brand-mark" aria-hidden="true">
            ◉
          </span>{' '}
          Pulse
        </NavLink>
        {workspaces.data && (
          <WorkspaceSwitcher
            workspaces={workspaces.data}
            current={urlSlug ? inUrl : nav}
            canCreate={Boolean(user?.is_verified)}
          />
        )}
        <nav aria-label="Main" className="mainnav">
          {nav && (
            <>
              <NavLink to={workspacePath(nav.slug)} end>
                Dashboard
              </NavLink>
              <NavLink to={workspacePath(nav.slug, 'customers')}>Customers</NavLink>
              <NavLink to={workspacePath(nav.slug, 'surveys')}>Surveys</NavLink>
              <NavLink to={workspacePath(nav.slug, 'follow-ups')}>Follow-ups</NavLink>
              <NavLink to={workspacePath(nav.slug, 'members')}>Members</NavLink>
              {can?.editSettings && <NavLink to={workspacePath(nav.slug, 'settings')}>Settings</NavLink>}
              {can?.manageApiKeys && <NavLink to={workspacePath(nav.slug, 'api-keys')}>API keys</NavLink>}
              {can?.manageWebhooks && <NavLink to={workspacePath(nav.slug, 'webhooks')}>Webhooks</NavLink>}
              {can?.viewAudit && <NavLink to={workspacePath(nav.slug, 'audit')}>Audit log</NavLink>}
            </>
          )}
          <NavLink to="/account">Account</NavLink>
          {user?.role === 'admin' && <NavLink to="/admin/users">Admin</NavLink>}
        </nav>
        <div className="topbar-user">
          {user && (
            <span className="muted user-name" title={user.email}>
              {user.username}
            </span>
          )}
          <Button variant="ghost" busy={logout.isPending} onClick={() => logout.mutate()}>
            Log out
          </Button>
        </div>
      </header>
      {user && !user.is_verified && <VerifyBanner user={user} />}
      <main id="main" className="content" tabIndex={-1}>
        {flash && <Alert tone="success">{flash}</Alert>}
        <Outlet />
      </main>
    </div>
  );
}
