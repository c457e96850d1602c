import { useState } from 'react';
import { Link } from 'react-router';
import { Button } from '../../components/Button';
import { useWorkspace } from '../../workspace/context';
import { CustomerDialog } from '../customers/CustomerDialog';

/**
 * The dashboard of a workspace without feedback: what to do first. Only the steps the
 * caller's role allows are offered; a viewer is told who can start.
 */
export function GettingStarted() {
  const { workspace, can, path } = useWorkspace();
  const [adding, setAdding] = useState(false);

  if (!can.write) {
    return (
      <section className="card getting-started" aria-labelledby="gs-h">
        <h2 id="gs-h">No feedback in {workspace.name} yet</h2>
        <p>
          As a viewer you can read everything here once there is something to read. Members and admins of this workspace add
          customers or import their feedback; the scores, trends and keywords appear here as soon as they do.
        </p>
      </section>
    );
  }

  return (
    <section className="card getting-started" aria-labelledby="gs-h">
      <h2 id="gs-h">Get {workspace.name} started</h2>
      <p className="muted">There is no feedback here yet. Pick a first step; the scores, trends and keywords appear as soon as there is data.</p>
      <ol className="gs-steps">
        <li className="gs-step">
          <h3>Import what you have</h3>
          <p>A CSV export from your survey tool, shop or spreadsheet: name, email, score from 1 to 5, and a review if you have one.</p>
          <Link className="btn btn-primary" to={path('customers/import')}>
            Import a CSV
          </Link>
        </li>
        <li className="gs-step">
          <h3>Add feedback by hand</h3>
          <p>Just had a call or read an email? Record one customer&rsquo;s score and what they said.</p>
          <Button variant="secondary" onClick={() => setAdding(true)}>
            Add a customer
          </Button>
        </li>
        <li className="gs-step">
          <h3>Ask your customers</h3>
          <p>
            Once they are in, email them a one-click survey (“Ask for feedback” on the list), or share a public feedback form;
            their answers land here on their own.
          </p>
          {can.editSettings && (
            <Link className="btn btn-secondary" to={path('settings')}>
              Set up the public form
            </Link>
          )}
        </li>
      </ol>
      {can.manageMembers && (
        <p className="small">
          Working with others? <Link to={path('members')}>Invite your team</Link>.
        </p>
      )}
      {adding && <CustomerDialog onClose={() => setAdding(false)} />}
    </section>
  );
}
