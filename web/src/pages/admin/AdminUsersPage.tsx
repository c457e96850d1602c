import { useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { usersApi } from '../../api/endpoints';
import { errorMessage, toApiError } from '../../api/errors';
import type { AdminUpdateUser, UserRead } from '../../api/types';
import { useMe } from '../../auth/session';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { EmptyState } from '../../components/EmptyState';
import { Pagination } from '../../components/Pagination';
import { Spinner } from '../../components/Spinner';
import { formatDateTime } from '../../lib/format';
import { useDebounced } from '../../lib/useDebounced';

const PER_PAGE = 25;

export function AdminUsersPage() {
  const [search, setSearch] = useState('');
  const [role, setRole] = useState('');
  const [page, setPage] = useState(1);
  const q = useDebounced(search.trim());
  const qc = useQueryClient();
  const me = useMe();

  const users = useQuery({
    queryKey: ['users', { q, role, page }],
    queryFn: () => usersApi.list({ q, role, page, per_page: PER_PAGE }),
    placeholderData: keepPreviousData,
  });

  const [notice, setNotice] = useState<string>();
  const update = useMutation({
    mutationFn: ({ id, body }: { id: number; body: AdminUpdateUser; label: string }) => usersApi.update(id, body),
    onSuccess: (_u, vars) => {
      setNotice(vars.label);
      qc.invalidateQueries({ queryKey: ['users'] });
    },
    onError: () => setNotice(undefined),
  });

  const act = (user: UserRead, body: AdminUpdateUser, label: string) => update.mutate({ id: user.id, body, label });
  const conflict = update.isError && toApiError(update.error).code === 'conflict';

  return (
    <div className="page">
      <div className="page-head">
        <h1>Users</h1>
        <p className="muted">Manage who can use Pulse and what they may do.</p>
      </div>
      <div className="toolbar">
        <div className="field field-inline">
          <label htmlFor="user-search">Search users</label>
          <input
            id="user-search"
            type="search"
            placeholder="Username or email"
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setPage(1);
            }}
          />
        </div>
        <div className="field field-inline">
          <label htmlFor="user-role">Role</label>
          <select
            id="user-role"
            value={role}
            onChange={(e) => {
              setRole(e.target.value);
              setPage(1);
            }}
          >
            <option value="">All roles</option>
            <option value="admin">Admins</option>
            <option value="user">Users</option>
          </select>
        </div>
      </div>

      {update.isError &&
        (conflict ? (
          <Alert tone="error" title="Pulse needs at least one active admin">
            {toApiError(update.error).message} Promote another user to admin first.
          </Alert>
        ) : (
          <Alert tone="error">{errorMessage(update.error)}</Alert>
        ))}
      {update.isSuccess && notice && <Alert tone="success">{notice}</Alert>}

      {users.isPending && <Spinner label="Loading users" />}
      {users.isError && <Alert tone="error">{errorMessage(users.error)}</Alert>}
      {users.data && users.data.items.length === 0 && <EmptyState title="No users match">Try another search.</EmptyState>}
      {users.data && users.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Last login</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((u) => (
                <tr key={u.id} data-testid={`user-row-${u.username}`}>
                  <td>
                    <strong>{u.username}</strong>
                    {u.id === me.data?.id && <span className="badge">you</span>}
                    <div className="muted small">{u.email}</div>
                  </td>
                  <td>
                    <label className="sr-only" htmlFor={`role-${u.id}`}>
                      Role of {u.username}
                    </label>
                    <select
                      id={`role-${u.id}`}
                      value={u.role}
                      disabled={update.isPending}
                      onChange={(e) => act(u, { role: e.target.value }, `${u.username} is now ${e.target.value === 'admin' ? 'an admin' : 'a user'}.`)}
                    >
                      <option value="user">user</option>
                      <option value="admin">admin</option>
                    </select>
                  </td>
                  <td>
                    <span className={`badge ${u.is_active ? 'badge-green' : 'badge-red'}`}>{u.is_active ? 'active' : 'deactivated'}</span>
                    <span className={`badge ${u.is_verified ? '' : 'badge-amber'}`}>{u.is_verified ? 'verified' : 'unverified'}</span>
                  </td>
                  <td className="small">{formatDateTime(u.last_login)}</td>
                  <td className="row-actions">
                    <Button
                      variant={u.is_active ? 'danger' : 'secondary'}
                      disabled={update.isPending}
                      onClick={() =>
                        act(u, { is_active: !u.is_active }, `${u.username} was ${u.is_active ? 'deactivated' : 'activated'}.`)
                      }
                      aria-label={`${u.is_active ? 'Deactivate' : 'Activate'} ${u.username}`}
                    >
                      {u.is_active ? 'Deactivate' : 'Activate'}
                    </Button>
                    <Button
                      variant="ghost"
                      disabled={update.isPending}
                      onClick={() => act(u, { unlock: true }, `${u.username}'s login lock was lifted.`)}
                      aria-label={`Unlock ${u.username}`}
                    >
                      Unlock
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {users.data && users.data.total > PER_PAGE && (
        <Pagination page={page} perPage={PER_PAGE} total={users.data.total} onPage={setPage} />
      )}
    </div>
  );
}
