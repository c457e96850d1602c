import { Link } from 'react-router';
import type { Workspace } from '../api/types';
import { Alert } from '../components/Alert';
import { TWO_FACTOR_PATH } from '../lib/twoFactor';
import { workspacePath } from '../lib/workspacePaths';

/**
 * A workspace that requires two-factor authentication, for a member without it: the server
 * answers its routes with 403 `two_factor_required`. Says why and where to go.
 */
export function TwoFactorRequired({ workspace, others }: { workspace: Workspace; others: Workspace[] }) {
  // The others that would let this person in as they are.
  const open = others.filter((w) => w.id !== workspace.id && !w.settings.require_two_factor);
  return (
    <div className="page page-narrow">
      <h1>{workspace.name} requires two-factor authentication</h1>
      <Alert tone="info">
        Its owners ask every member to confirm logins with a code from an authenticator app. You are still a member: turn
        on two-factor authentication for your account, and {workspace.name} opens again.
      </Alert>
      <p>
        <Link className="btn btn-primary" to={TWO_FACTOR_PATH}>
          Set up two-factor authentication
        </Link>
      </p>
      <p className="muted small">It takes a minute: you need your password and a phone with an authenticator app.</p>
      {open.length > 0 && (
        <section className="card" aria-labelledby="other-ws-h">
          <h2 id="other-ws-h">Your other workspaces</h2>
          <ul className="ws-list">
            {open.map((w) => (
              <li key={w.id}>
                <Link to={workspacePath(w.slug)}>{w.name}</Link>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
