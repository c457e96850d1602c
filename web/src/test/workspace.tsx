import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { queryKeys } from '../api/queryKeys';
import type { Member, UserRead, Workspace, WorkspaceRole } from '../api/types';
import { currentWorkspace, WorkspaceContext } from '../workspace/context';

export function makeWorkspace(patch: Partial<Workspace> = {}): Workspace {
  return {
    id: 7,
    name: 'Acme',
    slug: 'acme',
    role: 'owner',
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    settings: { public_form_enabled: false, low_score_threshold: 2, require_two_factor: false },
    ...patch,
  };
}

export function makeUser(patch: Partial<UserRead> = {}): UserRead {
  return {
    id: 1,
    username: 'ada',
    email: 'ada@example.com',
    role: 'user',
    is_active: true,
    is_verified: true,
    two_factor_enabled: false,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    default_workspace_id: 7,
    ...patch,
  };
}

export function makeMember(username: string, role: WorkspaceRole, userId: number, patch: Partial<Member> = {}): Member {
  return {
    user_id: userId,
    username,
    email: `${username}@example.com`,
    role,
    two_factor_enabled: false,
    joined_at: '2026-01-02T00:00:00Z',
    ...patch,
  };
}

export function testQueryClient(me?: UserRead | null): QueryClient {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  if (me !== undefined) qc.setQueryData(queryKeys.me, me);
  return qc;
}

/** The current path and query, for asserting where a page went. */
export function Where() {
  const l = useLocation();
  return <output data-testid="where">{l.pathname + l.search}</output>;
}

/** Render a page inside one workspace (as <WorkspaceScope> would), at `entry`. */
export function renderInWorkspace(
  ui: ReactNode,
  { workspace = makeWorkspace(), me = makeUser(), entry = '/w/acme' }: { workspace?: Workspace; me?: UserRead | null; entry?: string } = {},
) {
  const qc = testQueryClient(me);
  render(
    <QueryClientProvider client={qc}>
      <MemoryRouter initialEntries={[entry]}>
        <WorkspaceContext.Provider value={currentWorkspace(workspace)}>
          <Routes>
            <Route path="*" element={ui} />
          </Routes>
          <Where />
        </WorkspaceContext.Provider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return qc;
}
