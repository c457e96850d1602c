import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { errorMessage, fieldErrors } from '../../api/errors';
import { queryKeys } from '../../api/queryKeys';
import type { Invitation, InvitationStatus, WorkspaceRole } from '../../api/types';
import { invitationsApi } from '../../api/workspaces';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Field, SelectField } from '../../components/Field';
import { Spinner } from '../../components/Spinner';
import { formatDate, formatDateTime } from '../../lib/format';
import { asRole, grantableRoles, ROLE_LABELS } from '../../lib/roles';
import { validateInvitation } from '../../lib/validation';
import { useWorkspace } from '../../workspace/context';

const STATUS_BADGE: Record<InvitationStatus, string> = {
  pending: 'badge-amber',
  accepted: 'badge-green',
  revoked: 'badge-red',
  expired: '',
};

function StatusBadge({ status }: { status: string }) {
  const cls = STATUS_BADGE[status as InvitationStatus] ?? '';
  return <span className={`badge ${cls}`}>{status}</span>;
}

function InviteForm() {
  const { wid, role } = useWorkspace();
  const roles = grantableRoles(role);
  const [email, setEmail] = useState('');
  const [inviteRole, setInviteRole] = useState<WorkspaceRole>('member');
  const [error, setError] = useState<string>();
  const [sent, setSent] = useState<Invitation>();
  const qc = useQueryClient();
  const invite = useMutation({
    mutationFn: () => invitationsApi.create(wid, { email: email.trim(), role: inviteRole }),
    onSuccess: (inv) => {
      setSent(inv);
      setEmail('');
      qc.invalidateQueries({ queryKey: queryKeys.invitations(wid) });
    },
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const errs = validateInvitation({ email });
    setError(errs.email);
    setSent(undefined);
    if (!errs.email) invite.mutate();
  };

  const server = fieldErrors(invite.error);
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Invite someone">
      {sent && (
        <Alert tone="success">
          Invitation sent to {sent.email}. The link in the email works until {formatDate(sent.expires_at)}.
        </Alert>
      )}
      {invite.isError && !server.email && <Alert tone="error">{errorMessage(invite.error)}</Alert>}
      <div className="invite-row">
        <Field
          label="Email address"
          name="email"
          type="email"
          autoComplete="off"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={error ?? server.email}
        />
        <SelectField label="Role" name="role" value={inviteRole} onChange={(e) => setInviteRole(e.target.value as WorkspaceRole)}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </SelectField>
        <Button type="submit" busy={invite.isPending}>
          Send invitation
        </Button>
      </div>
    </form>
  );
}

/** Admins: invite by email with a role; pending invitations with resend and revoke; the earlier ones. */
export function InvitationsPanel() {
  const { wid, workspace } = useWorkspace();
  const qc = useQueryClient();
  const [revoking, setRevoking] = useState<Invitation | null>(null);
  const [notice, setNotice] = useState<string>();
  const invitations = useQuery({ queryKey: queryKeys.invitations(wid), queryFn: () => invitationsApi.list(wid) });

  const resend = useMutation({
    mutationFn: (inv: Invitation) => invitationsApi.resend(wid, inv.id),
    onSuccess: (_r, inv) => {
      setNotice(`A new link was sent to ${inv.email}. The previous link no longer works.`);
      qc.invalidateQueries({ queryKey: queryKeys.invitations(wid) });
    },
    onError: () => setNotice(undefined),
  });
  const revoke = useMutation({
    mutationFn: (inv: Invitation) => invitationsApi.revoke(wid, inv.id),
    onSuccess: (_r, inv) => {
      setRevoking(null);
      setNotice(`The invitation to ${inv.email} was revoked: its link no longer works.`);
      qc.invalidateQueries({ queryKey: queryKeys.invitations(wid) });
    },
  });

  const all = invitations.data ?? [];
  const pending = all.filter((i) => i.status === 'pending');
  const earlier = all.filter((i) => i.status !== 'pending');

  return (
    <section className="card" aria-labelledby="invitations-h">
      <h2 id="invitations-h">Invitations</h2>
      <p className="muted">
        Invite people to {workspace.name} by email. They get a link to sign up (or log in) and join with the role you choose.
      </p>
      <InviteForm />

      {notice && <Alert tone="success">{notice}</Alert>}
      {resend.isError && <Alert tone="error">{errorMessage(resend.error)}</Alert>}
      {invitations.isPending && <Spinner label="Loading invitations" />}
      {invitations.isError && <Alert tone="error">{errorMessage(invitations.error)}</Alert>}

      <h3>Pending</h3>
      {invitations.data && pending.length === 0 && <p className="muted">No pending invitations.</p>}
      {pending.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label="Pending invitations">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Invited by</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {pending.map((inv) => (
                <tr key={inv.id}>
                  <td>{inv.email}</td>
                  <td>{ROLE_LABELS[asRole(inv.role)]}</td>
                  <td>{inv.invited_by?.username ?? '—'}</td>
                  <td className="small">{formatDateTime(inv.expires_at)}</td>
                  <td className="row-actions">
                    <Button
                      variant="ghost"
                      busy={resend.isPending && resend.variables?.id === inv.id}
                      disabled={resend.isPending}
                      onClick={() => resend.mutate(inv)}
                      aria-label={`Resend the invitation to ${inv.email}`}
                    >
                      Resend
                    </Button>
                    <Button
                      variant="ghost"
                      className="danger-text"
                      onClick={() => {
                        revoke.reset();
                        setRevoking(inv);
                      }}
                      aria-label={`Revoke the invitation to ${inv.email}`}
                    >
                      Revoke
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {earlier.length > 0 && (
        <details className="earlier-invitations">
          <summary>Earlier invitations ({earlier.length})</summary>
          <div className="table-wrap">
            <table className="table" aria-label="Earlier invitations">
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Status</th>
                  <th scope="col">Sent</th>
                </tr>
              </thead>
              <tbody>
                {earlier.map((inv) => (
                  <tr key={inv.id}>
                    <td>{inv.email}</td>
                    <td>{ROLE_LABELS[asRole(inv.role)]}</td>
                    <td>
                      <StatusBadge status={inv.status} />
                    </td>
                    <td className="small">{formatDate(inv.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}

      {revoking && (
        <ConfirmDialog
          title="Revoke this invitation?"
          confirmLabel="Revoke invitation"
          busy={revoke.isPending}
          error={revoke.error}
          onConfirm={() => revoke.mutate(revoking)}
          onCancel={() => setRevoking(null)}
        >
          <p>
            The link sent to <strong>{revoking.email}</strong> stops working at once. You can invite them again later.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
