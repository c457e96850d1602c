import { useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { usersApi } from '../../api/endpoints';
import { errorMessage, toApiError } from '../../api/errors';
import { queryKeys } from '../../api/queryKeys';
import type { AdminUpdateUser, UserRead } from '../../api/types';
import { useEndSession, useMe } from '../../auth/session';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
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
    queryKey: queryKeys.userList({ q, role, page }),
    queryFn: () => usersApi.list({ q, role, page, per_page: PER_PAGE }),
    placeholderData: keepPreviousData,
  });

  const [notice, setNotice] = useState<string>();
  const navigate = useNavigate();
  const endSession = useEndSession();
  const update = useMutation({
    mutationFn: ({ id, body }: { id: number; body: AdminUpdateUser; label: string }) => usersApi.update(id, body),
    onSuccess: (_u, vars) => {
      setNotice(vars.label);
      qc.invalidateQueries({ queryKey: queryKeys.users });
      if (vars.id !== me.data?.id) return;
      if (vars.body.is_active === false) {
        // Deactivation ends every session of the account, this one included.
        endSession('Your account was deactivated.');
      } else if (vars.body.role !== undefined && vars.body.role !== 'admin') {
        qc.invalidateQueries({ queryKey: queryKeys.me });
        navigate('/', { replace: true, state: { message: 'You are no longer an administrator of Pulse.' } });
      }
    },
    onError: () => setNotice(undefined),
  });

  /** A change that takes your own admin rights or access away waits for a confirmation. */
  const [confirmSelf, setConfirmSelf] = useState<{ user: UserRead; body: AdminUpdateUser; label: string } | null>(null);
  const act = (user: UserRead, body: AdminUpdateUser, label: string) => {
    const self = user.id === me.data?.id;
    const losesAdmin = body.is_active === false || (body.role !== undefined && body.role !== 'admin');
    if (self && losesAdmin) setConfirmSelf({ user, body, label });
    else update.mutate({ id: user.id, body, label });
  };
  const selfDeactivation = confirmSelf?.body.is_active === false;
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
      {confirmSelf && (
        <ConfirmDialog
          title={selfDeactivation ? 'Deactivate your own account?' : 'Stop being an administrator?'}
          confirmLabel={selfDeactivation ? 'Deactivate my account' : 'Make me a user'}
          busy={update.isPending}
          onConfirm={() =>
            update.mutate(
              { id: confirmSelf.user.id, body: confirmSelf.body, label: confirmSelf.label },
              { onSettled: () => setConfirmSelf(null) },
            )
          }
          onCancel={() => setConfirmSelf(null)}
        >
          {selfDeactivation ? (
            <p>
              You will be logged out at once, everywhere, and will not be able to log in again until another administrator
              reactivates <strong>{confirmSelf.user.username}</strong>.
            </p>
          ) : (
            <p>
              You will lose access to this page and to managing accounts at once. Only another administrator can make you an
              admin again.
            </p>
          )}
        </ConfirmDialog>
      )}
    </div>
  );
}
