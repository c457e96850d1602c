import { Link } from 'react-router';
import type { FollowUp } from '../../api/types';
import { Button } from '../../components/Button';
import { formatDateTime } from '../../lib/format';
import { useWorkspace } from '../../workspace/context';
import { Stars } from '../customers/SentimentBadge';

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge ${status === 'open' ? 'badge-amber' : 'badge-green'}`}>{status}</span>;
}

export function RecoveredBadge() {
  return (
    <span className="badge badge-accent" title="The customer gave a 4 or 5 afterwards.">
      recovered
    </span>
  );
}

/** One follow-up in the inbox; "Details" shows it, and the customer's history, beside the list. */
export function FollowUpCard({
  followUp: f,
  selected,
  onSelect,
}: {
  followUp: FollowUp;
  selected: boolean;
  onSelect: () => void;
}) {
  const { path } = useWorkspace();
  const opened = formatDateTime(f.created_at);
  return (
    <li className={`card followup${selected ? ' is-selected' : ''}`} data-testid="follow-up">
      <div className="followup-head">
        <h2 className="followup-title">
          <Link to={path(`customers/${f.customer.id}`)} className="customer-link">
            {f.customer.name}
          </Link>
        </h2>
        <Stars score={f.satisfaction_score} />
        <StatusBadge status={f.status} />
        {f.recovered && <RecoveredBadge />}
      </div>
      <p className="followup-review">{f.review || <span className="muted">No comment.</span>}</p>
      <p className="muted small followup-meta">
        Opened <time dateTime={f.created_at}>{opened}</time>
        {' · '}
        {f.assignee ? <>Assigned to {f.assignee.username}</> : 'Unassigned'}
        {f.closed_at && (
          <>
            {' · '}Closed <time dateTime={f.closed_at}>{formatDateTime(f.closed_at)}</time>
          </>
        )}
      </p>
      {f.note && (
        <p className="followup-note small">
          <strong>Note:</strong> {f.note}
        </p>
      )}
      <Button
        variant={selected ? 'primary' : 'secondary'}
        aria-pressed={selected}
        aria-controls={selected ? 'followup-detail' : undefined}
        aria-label={`Details for ${f.customer.name}, opened ${opened}`}
        onClick={onSelect}
      >
        Details
      </Button>
    </li>
  );
}
