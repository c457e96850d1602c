/**
 * Who is logged in: the `['me']` query. `null` means nobody (the refresh failed or there
 * were no cookies). Pages read it through `useMe()`; login/logout write it.
 */
import { QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { usersApi } from '../api/endpoints';
import { toApiError } from '../api/errors';
import type { UserRead } from '../api/types';

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

export function createQueryClient(): QueryClient {
  const qc = new QueryClient({
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
