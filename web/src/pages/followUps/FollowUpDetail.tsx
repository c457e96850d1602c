import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { errorMessage, fieldErrors } from '../../api/errors';
import { queryKeys } from '../../api/queryKeys';
import type { FollowUp, FollowUpUpdate, Page } from '../../api/types';
import { membersApi } from '../../api/workspaces';
import { useMe } from '../../auth/session';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { SelectField, TextAreaField } from '../../components/Field';
import { formatDateTime } from '../../lib/format';
import { changeText, NOTE_MAX, noteCounter, noteError } from '../../lib/followUps';
import { useWorkspace } from '../../workspace/context';
import { Stars } from '../customers/SentimentBadge';
import { CustomerHistory } from './CustomerHistory';
import { RecoveredBadge, StatusBadge } from './FollowUpCard';

/** Save a change, and put the answer in every cached inbox page (the lists refresh after). */
function useUpdateFollowUp(followUp: FollowUp, onSaved: (f: FollowUp, message: string) => void) {
  const { wid, followUps } = useWorkspace();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: FollowUpUpdate) => followUps.update(followUp.id, body),
    onSuccess: (updated) => {
      qc.setQueriesData<Page<FollowUp>>({ queryKey: queryKeys.followUps(wid) }, (old) =>
        old ? { ...old, items: old.items.map((f) => (f.id === updated.id ? updated : f)) } : old,
      );
      qc.invalidateQueries({ queryKey: queryKeys.followUps(wid) });
      qc.invalidateQueries({ queryKey: queryKeys.followUpStats(wid) });
      onSaved(updated, changeText(followUp, updated));
    },
  });
}

/** Assign, note, close or reopen: members and above. */
function WorkForm({ followUp: f, onSaved }: { followUp: FollowUp; onSaved: (f: FollowUp, message: string) => void }) {
  const { wid } = useWorkspace();
  const me = useMe();
  const [note, setNote] = useState(f.note ?? '');
  const [noteProblem, setNoteProblem] = useState<string>();
  const members = useQuery({ queryKey: queryKeys.members(wid), queryFn: () => membersApi.list(wid) });
  const update = useUpdateFollowUp(f, onSaved);
  const sending = update.isPending ? update.variables : undefined;
  const server = fieldErrors(update.error);
  const myId = me.data?.id;
  const list = members.data ?? [];
  // Someone who left the workspace may still be assigned: keep them selectable as they are.
  const gone = f.assignee && !list.some((m) => m.user_id === f.assignee?.id) ? f.assignee : null;

  const saveNote = (e: FormEvent) => {
    e.preventDefault();
    const problem = noteError(note);
    setNoteProblem(problem);
    if (!problem) update.mutate({ note });
  };

  return (
    <div className="followup-work">
      {update.isError && !server.note && !server.assignee_id && <Alert tone="error">{errorMessage(update.error)}</Alert>}
      <div className="inline-form">
        <SelectField
          label="Assigned to"
          name="assignee_id"
          className="select-auto"
          value={f.assignee?.id ?? ''}
          disabled={members.isPending || sending !== undefined}
          onChange={(e) => update.mutate({ assignee_id: e.target.value ? Number(e.target.value) : null })}
          error={server.assignee_id}
        >
          <option value="">Nobody</option>
          {gone && <option value={gone.id}>{gone.username} (no longer a member)</option>}
          {list.map((m) => (
            <option key={m.user_id} value={m.user_id}>
              {m.username}
              {m.user_id === myId ? ' (you)' : ''}
            </option>
          ))}
        </SelectField>
        {myId !== undefined && f.assignee?.id !== myId && list.some((m) => m.user_id === myId) && (
          <Button
            variant="secondary"
            busy={sending?.assignee_id === myId}
            disabled={sending !== undefined}
            onClick={() => update.mutate({ assignee_id: myId })}
          >
            Assign to me
          </Button>
        )}
      </div>
      {members.isError && <Alert tone="error">{errorMessage(members.error)}</Alert>}
      <form onSubmit={saveNote} noValidate>
        <TextAreaField
          label="Note"
          name="note"
          rows={4}
          maxLength={NOTE_MAX}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          error={noteProblem ?? server.note}
          hint={noteCounter(note)}
          placeholder="What was done, what the customer said…"
        />
        <div className="button-row">
          <Button type="submit" variant="secondary" busy={sending?.note !== undefined} disabled={note === (f.note ?? '')}>
            Save note
          </Button>
          {f.status === 'open' ? (
            <Button busy={sending?.status !== undefined} onClick={() => update.mutate({ status: 'closed' })}>
              Close follow-up
            </Button>
          ) : (
            <Button variant="secondary" busy={sending?.status !== undefined} onClick={() => update.mutate({ status: 'open' })}>
              Reopen follow-up
            </Button>
          )}
        </div>
      </form>
    </div>
  );
}

/** Viewers: what was done, read-only. */
function ReadOnlyFacts({ followUp: f }: { followUp: FollowUp }) {
  return (
    <dl className="facts">
      <dt>Assigned to</dt>
      <dd>{f.assignee?.username ?? 'Nobody'}</dd>
      <dt>Note</dt>
      <dd className="followup-note">{f.note || <span className="muted">No note.</span>}</dd>
    </dl>
  );
}

/**
 * The selected follow-up: what the customer said, the work on it, and their response
 * history. Mount it with a `key` per follow-up, so a draft note never crosses over.
 */
export function FollowUpDetail({
  followUp: f,
  focusOnMount = false,
  onChanged,
  onClose,
}: {
  followUp: FollowUp;
  focusOnMount?: boolean;
  onChanged: (f: FollowUp) => void;
  onClose: () => void;
}) {
  const { path, can } = useWorkspace();
  const heading = useRef<HTMLHeadingElement>(null);
  const [notice, setNotice] = useState('');
  useEffect(() => {
    if (!focusOnMount || !heading.current) return;
    // On a phone the pane is below the list: bring it into view.
    heading.current.focus({ preventScroll: true });
    heading.current.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' });
  }, [focusOnMount]);

  return (
    <section className="card followup-detail" id="followup-detail" aria-labelledby="followup-detail-h">
      <div className="card-head">
        <h2 id="followup-detail-h" ref={heading} tabIndex={-1}>
          Follow-up for {f.customer.name}
        </h2>
        <Button variant="ghost" onClick={onClose} aria-label="Hide details">
          ×
        </Button>
      </div>
      <div className="followup-head">
        <Stars score={f.satisfaction_score} />
        <StatusBadge status={f.status} />
        {f.recovered && <RecoveredBadge />}
      </div>
      <p className="followup-review">{f.review || <span className="muted">No comment.</span>}</p>
      <p className="muted small">
        <Link to={path(`customers/${f.customer.id}`)}>{f.customer.email}</Link> · opened{' '}
        <time dateTime={f.created_at}>{formatDateTime(f.created_at)}</time>
        {f.closed_at && (
          <>
            {' '}
            · closed <time dateTime={f.closed_at}>{formatDateTime(f.closed_at)}</time>
          </>
        )}
      </p>
      <p role="status" className="followup-notice">
        {notice}
      </p>
      {can.workFollowUps ? (
        <WorkForm
          followUp={f}
          onSaved={(updated, message) => {
            setNotice(message);
            onChanged(updated);
          }}
        />
      ) : (
        <ReadOnlyFacts followUp={f} />
      )}
      <CustomerHistory customer={f.customer} responseId={f.response_id} />
    </section>
  );
}
