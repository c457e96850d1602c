import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { errorMessage, fieldErrors } from '../../api/errors';
import { queryKeys } from '../../api/queryKeys';
import type { CustomerFilters, SurveyQueued } from '../../api/types';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { hasActiveFilters } from '../../lib/filters';
import { formatNumber } from '../../lib/format';
import { SCORE_MAX, SCORE_MIN, SCORES } from '../../lib/scores';
import { audienceText, COOLDOWN_TEXT, describeQueued, surveyRequest, surveySubject, SURVEY_MESSAGE_MAX } from '../../lib/surveys';
import { useWorkspace } from '../../workspace/context';

/** What the customers will get: subject, message, the five score links and the unsubscribe line. */
export function EmailPreview({ workspaceName, message }: { workspaceName: string; message: string }) {
  const text = message.trim();
  return (
    <section className="email-preview" aria-label="Email preview">
      <p className="email-subject">
        <span className="muted small">Subject</span> <strong>{surveySubject(workspaceName)}</strong>
      </p>
      <div className="email-body">
        <p>Hi [customer name],</p>
        {text && <p className="email-message">{text}</p>}
        <p>{surveySubject(workspaceName)} Choose a score:</p>
        <ul className="email-scores" aria-label={`Score links ${SCORE_MIN} to ${SCORE_MAX}`}>
          {SCORES.map((n) => (
            <li key={n} className={`email-score score-bg-${n}`}>
              {n}
            </li>
          ))}
        </ul>
        <p className="muted small">
          {SCORE_MIN} is very poor, {SCORE_MAX} is excellent. A tap opens a page to confirm your score and add a comment.
        </p>
        <p className="muted small email-footer">
          Don’t want these emails? <span className="linkish-text">Unsubscribe</span>.
        </p>
      </div>
    </section>
  );
}

/**
 * "Ask for feedback": the selected customers (`selectedIds`), or with none selected,
 * everyone the list's current filters match. Shows the email before it goes, then what the
 * server did with it. Mounted while open.
 */
export function AskFeedbackDialog({
  selectedIds,
  filters,
  total,
  onClose,
}: {
  selectedIds: readonly number[];
  filters: CustomerFilters;
  /** How many customers the filters match (the list's total), when known. */
  total?: number;
  onClose: (sent?: SurveyQueued) => void;
}) {
  const { wid, surveys, workspace, path } = useWorkspace();
  const [message, setMessage] = useState('');
  const counterId = useId();
  const qc = useQueryClient();
  const send = useMutation({
    mutationFn: () => surveys.create(surveyRequest(selectedIds, filters, message)),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.surveys(wid) }),
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (message.length > SURVEY_MESSAGE_MAX) return;
    send.mutate();
  };

  const server = fieldErrors(send.error);
  const audience = audienceText(selectedIds.length, total, hasActiveFilters(filters));

  if (send.isSuccess) {
    const q = send.data;
    return (
      <Dialog open title="Ask for feedback" onClose={() => onClose(q)}>
        <Alert tone={q.queued > 0 ? 'success' : 'info'} title={q.queued > 0 ? 'The survey is on its way' : 'Nobody to ask'}>
          <span data-testid="survey-result">{describeQueued(q)}.</span>
        </Alert>
        <p className="small">
          The emails go out in the background. <Link to={path('surveys')} onClick={() => onClose(q)}>Follow the progress</Link>
        </p>
        <div className="dialog-actions">
          <Button onClick={() => onClose(q)} autoFocus>
            Done
          </Button>
        </div>
      </Dialog>
    );
  }

  const messageError =
    message.length > SURVEY_MESSAGE_MAX ? `Keep the message under ${formatNumber(SURVEY_MESSAGE_MAX)} characters.` : server.message;
  const idsError = server.customer_ids ?? server.filter;
  return (
    <Dialog open wide title="Ask for feedback" onClose={() => onClose()}>
      <p>
        Email <strong>{audience}</strong> a one-click survey. Customers asked in {COOLDOWN_TEXT}, and those who unsubscribed, are
        skipped.
      </p>
      {send.isError && <Alert tone="error">{idsError ?? errorMessage(send.error)}</Alert>}
      <form onSubmit={onSubmit} noValidate>
        <div className={`field${messageError ? ' field-invalid' : ''}`}>
          <label htmlFor={`${counterId}-message`}>Message (optional)</label>
          <textarea
            id={`${counterId}-message`}
            name="message"
            rows={3}
            maxLength={SURVEY_MESSAGE_MAX}
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            aria-invalid={messageError ? true : undefined}
            aria-describedby={counterId}
            placeholder="A line from you, shown above the scores."
          />
          <p className={messageError ? 'field-error' : 'field-hint'} id={counterId}>
            {messageError ? `${messageError} ` : ''}
            {formatNumber(message.length)} / {formatNumber(SURVEY_MESSAGE_MAX)} characters
          </p>
        </div>
        <EmailPreview workspaceName={workspace.name} message={message} />
        <div className="dialog-actions">
          <Button variant="secondary" onClick={() => onClose()}>
            Cancel
          </Button>
          <Button type="submit" busy={send.isPending}>
            Send survey
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
