import type { ReactNode } from 'react';
import { Navigate, useLocation, useSearchParams } from 'react-router';
import { safeNextPath } from '../lib/safeNext';
import { useMe } from './session';
import { Spinner } from '../components/Spinner';
import { Alert } from '../components/Alert';
import { errorMessage } from '../api/errors';

/** Renders children for a logged-in user; otherwise goes to /login?next=… */
export function RequireAuth({ children, admin = false }: { children: ReactNode; admin?: boolean }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <Spinner label="Loading your account" />;
  if (me.isError) return <Alert tone="error">{errorMessage(me.error)}</Alert>;
  if (!me.data) {
    const next = location.pathname + location.search;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (admin && me.data.role !== 'admin') {
    return <Alert tone="error">This page is for administrators.</Alert>;
  }
  return <>{children}</>;
}

/**
 * Pages like /login make no sense when already logged in: go where `next` asks (a path of
 * this site only), as the login itself does, so that whichever runs first lands the same.
 */
export function RedirectIfAuthed({ children }: { children: ReactNode }) {
  const me = useMe();
  const [params] = useSearchParams();
  if (me.isPending) return <Spinner label="Loading" />;
  if (me.data) return <Navigate to={safeNextPath(params.get('next'), window.location.origin)} replace />;
  return <>{children}</>;
}
