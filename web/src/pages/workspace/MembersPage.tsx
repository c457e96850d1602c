import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { errorMessage } from '../../api/errors';
import { queryKeys } from '../../api/queryKeys';
import type { Member, Workspace, WorkspaceRole } from '../../api/types';
import { membersApi } from '../../api/workspaces';
import { useMe } from '../../auth/session';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Spinner } from '../../components/Spinner';
import { formatDate } from '../../lib/format';
import {
  asRole,
  canChangeRole,
  canRemove,
  grantableRoles,
  lastOwnerReason,
  ROLE_DESCRIPTIONS,
  ROLE_LABELS,
  roleChangeCopy,
  WORKSPACE_ROLES,
  withArticle,
} from '../../lib/roles';
import { useWorkspace } from '../../workspace/context';
import { InvitationsPanel } from './InvitationsPanel';

type Action =
  | { kind: 'role'; member: Member; role: WorkspaceRole }
  | { kind: 'remove'; member: Member }
  | { kind: 'leave'; member: Member };

function RoleGuide() {
  return (
    <details className="role-guide">
      <summary>What each role may do</summary>
      <dl>
        {WORKSPACE_ROLES.map((r) => (
          <div key={r}>
            <dt>{ROLE_LABELS[r]}</dt>
            <dd>Can {ROLE_DESCRIPTIONS[r]}.</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

/** `/w/{slug}/members`: who is in the workspace, their roles, and (for admins) invitations. */
export function MembersPage() {
  const { wid, workspace, role: myRole, can } = useWorkspace();
  const me = useMe();
  const myId = me.data?.id;
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [pending, setPending] = useState<Action | null>(null);
  const [notice, setNotice] = useState<string>();

  const members = useQuery({ queryKey: queryKeys.members(wid), queryFn: () => membersApi.list(wid) });

  const act = useMutation({
    mutationFn: (a: Action) =>
      a.kind === 'role' ? membersApi.setRole(wid, a.member.user_id, a.role) : membersApi.remove(wid, a.member.user_id),
    onSuccess: (_res, a) => {
      setPending(null);
      if (a.kind === 'leave') {
        // Forget the workspace before going anywhere, so nothing sends us back into it.
        qc.setQueryData<Workspace[]>(queryKeys.workspaces, (old) => old?.filter((w) => w.id !== wid));
        qc.removeQueries({ queryKey: queryKeys.workspace(wid) });
        qc.invalidateQueries({ queryKey: queryKeys.workspaces });
        qc.invalidateQueries({ queryKey: queryKeys.me });
        navigate('/', { replace: true, state: { message: `You left ${workspace.name}.` } });
        return;
      }
      setNotice(
        a.kind === 'role'
          ? `${a.member.user_id === myId ? 'You are' : `${a.member.username} is`} now ${withArticle(a.role)}.`
          : `${a.member.username} was removed from ${workspace.name}.`,
      );
      qc.invalidateQueries({ queryKey: queryKeys.members(wid) });
      // My own role changed: what this page (and the header) offers changes with it.
      if (a.member.user_id === myId) qc.invalidateQueries({ queryKey: queryKeys.workspaces });
    },
  });

  const list = members.data ?? [];
  const mine = list.find((m) => m.user_id === myId);

  const open = (a: Action) => {
    act.reset();
    setNotice(undefined);
    setPending(a);
  };

  return (
    <div className="page">
      <div className="page-head">
        <h1>Members</h1>
        <p className="muted">Everyone who can see {workspace.name}, and what each of them may do.</p>
        <RoleGuide />
      </div>

      {notice && <Alert tone="success">{notice}</Alert>}
      {members.isPending && <Spinner label="Loading members" />}
      {members.isError && <Alert tone="error">{errorMessage(members.error)}</Alert>}
      {members.data && (
        <div className="table-wrap">
          <table className="table" aria-label="Members">
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Role</th>
                <th scope="col">Two-factor</th>
                <th scope="col">Joined</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((m) => {
                const self = m.user_id === myId;
                const role = asRole(m.role);
                const changeable = canChangeRole(myRole, m);
                return (
                  <tr key={m.user_id} data-testid={`member-row-${m.username}`}>
                    <td>
                      <strong>{m.username}</strong>
                      {self && <span className="badge">you</span>}
                      <div className="muted small">{m.email}</div>
                    </td>
                    <td>
                      {changeable ? (
                        <>
                          <label className="sr-only" htmlFor={`member-role-${m.user_id}`}>
                            Role of {m.username}
                          </label>
                          <select
                            id={`member-role-${m.user_id}`}
                            value={role}
                            disabled={act.isPending}
                            onChange={(e) => open({ kind: 'role', member: m, role: e.target.value as WorkspaceRole })}
                          >
                            {grantableRoles(myRole).map((r) => (
                              <option key={r} value={r}>
                                {ROLE_LABELS[r]}
                              </option>
                            ))}
                          </select>
                        </>
                      ) : (
                        <span className={`badge${role === 'owner' ? ' badge-accent' : ''}`}>{ROLE_LABELS[role]}</span>
                      )}
                    </td>
                    <td>
                      <span className={`badge${m.two_factor_enabled ? ' badge-green' : ''}`}>{m.two_factor_enabled ? 'on' : 'off'}</span>
                    </td>
                    <td className="small nowrap">{formatDate(m.joined_at)}</td>
                    <td className="row-actions">
                      {self ? (
                        <Button variant="ghost" className="danger-text" onClick={() => open({ kind: 'leave', member: m })}>
                          Leave workspace
                        </Button>
                      ) : (
                        canRemove(myRole, m) && (
                          <Button
                            variant="ghost"
                            className="danger-text"
                            onClick={() => open({ kind: 'remove', member: m })}
                            aria-label={`Remove ${m.username}`}
                          >
                            Remove
                          </Button>
                        )
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      {can.manageMembers && <InvitationsPanel />}

      {pending?.kind === 'role' && (() => {
        const self = pending.member.user_id === myId;
        const from = asRole(pending.member.role);
        const copy = roleChangeCopy({ username: pending.member.username, self, from, to: pending.role, workspace: workspace.name });
        const blocked = self && from === 'owner' && pending.role !== 'owner' && mine ? lastOwnerReason(mine, list) : undefined;
        return (
          <ConfirmDialog
            title={copy.title}
            confirmLabel={copy.confirmLabel}
            danger={copy.danger}
            busy={act.isPending}
            error={act.error}
            blocked={blocked}
            onConfirm={() => act.mutate(pending)}
            onCancel={() => setPending(null)}
          >
            <p>{copy.body}</p>
          </ConfirmDialog>
        );
      })()}
      {pending?.kind === 'remove' && (
        <ConfirmDialog
          title={`Remove ${pending.member.username}?`}
          confirmLabel="Remove member"
          busy={act.isPending}
          error={act.error}
          onConfirm={() => act.mutate(pending)}
          onCancel={() => setPending(null)}
        >
          <p>
            <strong>{pending.member.username}</strong> ({pending.member.email}) loses access to {workspace.name} at once. Their
            Pulse account stays, and you can invite them again later.
          </p>
        </ConfirmDialog>
      )}
      {pending?.kind === 'leave' && (
        <ConfirmDialog
          title={`Leave ${workspace.name}?`}
          confirmLabel="Leave workspace"
          busy={act.isPending}
          error={act.error}
          blocked={lastOwnerReason(pending.member, list)}
          onConfirm={() => act.mutate(pending)}
          onCancel={() => setPending(null)}
        >
          <p>
            You lose access to its customers and analytics at once. To come back, an admin of {workspace.name} has to invite
            you again.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
