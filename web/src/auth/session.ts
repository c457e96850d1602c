/**
 * Who is logged in: the `['me']` query. `null` means nobody (the refresh failed or there
 * were no cookies). Pages read it through `useMe()`; login/logout write it.
 */
import { useCallback } from 'react';
import { MutationCache, QueryCache, QueryClient, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api } from '../api/client';
import { usersApi } from '../api/endpoints';
import { toApiError } from '../api/errors';
import { queryKeys } from '../api/queryKeys';
import type { UserRead } from '../api/types';

export async function fetchMe(): Promise<UserRead | null> {
  try {
    return await usersApi.me();
  } catch (err) {
    const e = toApiError(err);
    if (e.status === 401 || e.code === 'account_disabled') return null;
    throw e;
  }
}

export function useMe() {
  return useQuery({ queryKey: queryKeys.me, queryFn: fetchMe, staleTime: 60_000, retry: false });
}

export function useSetMe() {
  const qc = useQueryClient();
  return (user: UserRead | null) => qc.setQueryData(queryKeys.me, user);
}

/**
 * This browser is logged out: forget every cached answer (except under `keep`) and who was
 * logged in. The `['me']` query itself is kept and set to `null` rather than removed, so
 * what watches it (<RequireAuth>) sees the change.
 */
export function forgetSession(qc: QueryClient, keep?: QueryKey) {
  qc.removeQueries({
    predicate: (q) => q.queryKey[0] !== queryKeys.me[0] && (keep === undefined || q.queryKey[0] !== keep[0]),
  });
  qc.setQueryData(queryKeys.me, null);
}

/**
 * Ends the session in this browser and goes to /login with `message`, whatever the server
 * was told (a logout, a logout everywhere, the account's own deactivation).
 */
export function useEndSession() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  return useCallback(
    (message: string) => {
      // Every answer goes, `me` included, rather than `me` becoming null: the navigation
      // below is a transition, and a null `me` would make the page still shown redirect to
      // /login first, without the message. A removed `me` is fetched again (and comes back
      // null) while /login is already on screen.
      qc.removeQueries();
      navigate('/login', { replace: true, state: { message } });
    },
    [qc, navigate],
  );
}

/**
 * A workspace answered 403 `two_factor_required`: it now requires two-factor,
 * or this account turned it off elsewhere. Re-read both, so <WorkspaceScope> shows why
 * instead of each page failing on its own.
 */
export function onTwoFactorRequired(qc: QueryClient, err: unknown) {
  if (toApiError(err).code !== 'two_factor_required') return;
  void qc.invalidateQueries({ queryKey: queryKeys.workspaces });
  void qc.invalidateQueries({ queryKey: queryKeys.me });
}

export function createQueryClient(): QueryClient {
  const qc: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (err) => onTwoFactorRequired(qc, err) }),
    mutationCache: new MutationCache({ onError: (err) => onTwoFactorRequired(qc, err) }),
    defaultOptions: {
      queries: {
        retry: (count, err) => {
          const e = toApiError(err);
          return count < 1 && (e.status === 0 || e.status >= 500);
        },
        refetchOnWindowFocus: false,
      },
    },
  });
  // A failed refresh ends the session: forget every cached answer and the user,
  // and <RequireAuth> sends the person to /login.
  api.setOnAuthFailure(() => forgetSession(qc));
  return qc;
}
