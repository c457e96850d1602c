import { useMutation, useQueryClient } from '@tanstack/react-query';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { authApi } from '../api/endpoints';
import { ME_KEY, useMe } from '../auth/session';
import { Button } from './Button';
import { VerifyBanner } from './VerifyBanner';

/** Header, navigation and the page below it, for logged-in pages. */
export function Layout() {
  const me = useMe();
  const user = me.data;
  const qc = useQueryClient();
  const navigate = useNavigate();
  const logout = useMutation({
    mutationFn: authApi.logout,
    onSettled: () => {
      // Whatever the server said, this browser is logged out now.
      qc.clear();
      qc.setQueryData(ME_KEY, null);
      navigate('/login', { replace: true, state: { message: 'You have been logged out.' } });
    },
  });

  return (
    <div className="app-shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to="/" className="brand" aria-label="Pulse dashboard">
          <span className="brand-mark" aria-hidden="true">
            ◉
          </span>{' '}
          Pulse
        </NavLink>
        <nav aria-label="Main" className="mainnav">
          <NavLink to="/" end>
            Dashboard
          </NavLink>
          <NavLink to="/customers">Customers</NavLink>
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
        <Outlet />
      </main>
    </div>
  );
}
