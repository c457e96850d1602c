/**
 * Who is logged in: the `['me']` query. `null` means nobody (the refresh failed or there
 * were no cookies). Pages read it through `useMe()`; login/logout write it.
 */
import { MutationCache, QueryCache, QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { usersApi } from '../api/endpoints';
import { toApiError } from '../api/errors';
import type { UserRead } from '../api/types';
import { wsKeys } from '../api/workspaces';

export const ME_KEY = ['me'] as const;

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
  return useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 60_000, retry: false });
}

export function useSetMe() {
  const qc = useQueryClient();
  return (user: UserRead | null) => qc.setQueryData(ME_KEY, user);
}

/**
 * A workspace answered 403 `two_factor_required` (API.md §15): it now requires two-factor,
 * or this account turned it off elsewhere. Re-read both, so <WorkspaceScope> shows why
 * instead of each page failing on its own.
 */
export function onTwoFactorRequired(qc: QueryClient, err: unknown) {
  if (toApiError(err).code !== 'two_factor_required') return;
  void qc.invalidateQueries({ queryKey: wsKeys.list });
  void qc.invalidateQueries({ queryKey: ME_KEY });
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
  api.setOnAuthFailure(() => {
    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
    qc.setQueryData(ME_KEY, null);
  });
  return qc;
}
