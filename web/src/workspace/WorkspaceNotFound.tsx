import { useState } from 'react';
import { Link } from 'react-router';
import type { Workspace } from '../api/types';
import { useMe } from '../auth/session';
import { Button } from '../components/Button';
import { EmptyState } from '../components/EmptyState';
import { ROLE_LABELS, asRole } from '../lib/roles';
import { workspacePath } from '../lib/workspacePaths';
import { CreateWorkspaceDialog } from './CreateWorkspaceDialog';

function WorkspaceLinks({ workspaces }: { workspaces: Workspace[] }) {
  return (
    <ul className="ws-list" aria-label="Your workspaces">
      {workspaces.map((w) => (
        <li key={w.id}>
          <Link to={workspacePath(w.slug)}>{w.name}</Link> <span className="badge">{ROLE_LABELS[asRole(w.role)]}</span>
        </li>
      ))}
    </ul>
  );
}

function CreateButton({ variant = 'primary' }: { variant?: 'primary' | 'secondary' }) {
  const me = useMe();
  const [open, setOpen] = useState(false);
  // Creating a workspace needs a verified email: the banner says how.
  if (me.data && !me.data.is_verified) return null;
  return (
    <>
      <Button variant={variant} onClick={() => setOpen(true)}>
        Create workspace
      </Button>
      {open && <CreateWorkspaceDialog onClose={() => setOpen(false)} />}
    </>
  );
}

/** `/w/{slug}` of a workspace that does not exist or that the caller is not a member of. */
export function WorkspaceNotFound({ slug, workspaces }: { slug: string; workspaces: Workspace[] }) {
  return (
    <div className="page page-narrow">
      <h1>Workspace not found</h1>
      <p>
        There is no workspace at <code>{workspacePath(slug)}</code> that you are a member of. It may have been renamed or
        deleted, or you have not been invited to it yet: ask one of its admins for an invitation.
      </p>
      {workspaces.length > 0 ? (
        <section className="card" aria-labelledby="your-ws-h">
          <h2 id="your-ws-h">Your workspaces</h2>
          <WorkspaceLinks workspaces={workspaces} />
        </section>
      ) : (
        <CreateButton />
      )}
    </div>
  );
}

/** For an account that belongs to no workspace (it left or was removed from all of them). */
export function NoWorkspace() {
  return (
    <div className="page page-narrow">
      <EmptyState title="You are not in any workspace yet" action={<CreateButton />}>
        Create a workspace for your business, or ask an admin of an existing one to invite you: the invitation email has a
        link to join.
      </EmptyState>
    </div>
  );
}
