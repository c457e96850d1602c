import { useId } from 'react';
import type { FeedbackResponse } from '../../api/types';
import { Button } from '../../components/Button';
import { formatDateTime, formatFeedbackDate } from '../../lib/format';
import { sourceLabel } from '../../lib/responses';
import { SentimentBadge, Stars } from './SentimentBadge';

export function SourceBadge({ source }: { source: string }) {
  return <span className={`badge badge-source source-${source}`}>{sourceLabel(source)}</span>;
}

/**
 * A customer's responses, newest first, as the server orders them. With `onCorrect` and
 * `onDelete` (members and above) each has its buttons; `deleteBlocked` says why delete is
 * off (a customer's only response). `highlight` marks one response (the one a follow-up is about).
 */
export function ResponseTimeline({
  items,
  onCorrect,
  onDelete,
  deleteBlocked,
  highlight,
}: {
  items: FeedbackResponse[];
  highlight?: { id: number; label: string };
  onCorrect?: (r: FeedbackResponse) => void;
  onDelete?: (r: FeedbackResponse) => void;
  deleteBlocked?: string;
}) {
  const hintId = useId();
  return (
    <>
      <ol className="timeline" aria-label="Responses">
        {items.map((r) => {
          const when = formatFeedbackDate(r.feedback_at);
          return (
            <li key={r.id} className={`timeline-item${highlight?.id === r.id ? ' is-marked' : ''}`} data-testid="response">
              <div className="timeline-head">
                <Stars score={r.satisfaction_score} />
                <time dateTime={r.feedback_at} title={formatDateTime(r.feedback_at)}>
                  {when}
                </time>
                <SourceBadge source={r.source} />
                <SentimentBadge score={r.sentiment} cls={r.sentiment_class} />
                {highlight?.id === r.id && <span className="badge badge-accent">{highlight.label}</span>}
              </div>
              <p className="timeline-review">{r.review || <span className="muted">No comment.</span>}</p>
              {(onCorrect || onDelete) && (
                <div className="timeline-actions">
                  {onCorrect && (
                    <Button variant="ghost" onClick={() => onCorrect(r)} aria-label={`Correct the response of ${when}`}>
                      Correct
                    </Button>
                  )}
                  {onDelete && (
                    <Button
                      variant="ghost"
                      className="danger-text"
                      onClick={() => onDelete(r)}
                      disabled={Boolean(deleteBlocked)}
                      aria-describedby={deleteBlocked ? hintId : undefined}
                      aria-label={`Delete the response of ${when}`}
                    >
                      Delete
                    </Button>
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {onDelete && deleteBlocked && (
        <p className="field-hint" id={hintId}>
          {deleteBlocked}
        </p>
      )}
    </>
  );
}
