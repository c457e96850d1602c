import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { errorMessage } from '../../api/errors';
import { queryKeys } from '../../api/queryKeys';
import type { Webhook } from '../../api/types';
import { webhooksApi } from '../../api/webhooks';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { Spinner } from '../../components/Spinner';
import { formatDate } from '../../lib/format';
import { useWorkspace } from '../../workspace/context';
import { CreateWebhookDialog } from './CreateWebhookDialog';
import { DeliveryLog } from './DeliveryLog';
import { EditWebhookDialog } from './EditWebhookDialog';

/** One webhook: its URL and events, its actions, and (opened) its delivery log. */
function WebhookCard({
  webhook: w,
  open,
  onToggle,
  onEdit,
  onDelete,
  onTested,
}: {
  webhook: Webhook;
  open: boolean;
  onToggle: () => void;
  onEdit: () => void;
  onDelete: () => void;
  onTested: (message: string) => void;
}) {
  const { wid } = useWorkspace();
  const qc = useQueryClient();
  const test = useMutation({
    mutationFn: () => webhooksApi.test(wid, w.id),
    onSuccess: () => {
      onTested(`A test ping is on its way to ${w.url}.`);
      qc.invalidateQueries({ queryKey: queryKeys.deliveries(wid, w.id) });
      if (!open) onToggle();
    },
    onError: () => onTested(''),
  });
  const logId = `deliveries-${w.id}`;
  return (
    <li className="card webhook" data-testid="webhook">
      <div className="webhook-head">
        <h2 className="webhook-url">
          <code>{w.url}</code>
        </h2>
        <span className={`badge ${w.active ? 'badge-green' : 'badge-amber'}`}>{w.active ? 'active' : 'paused'}</span>
      </div>
      <ul className="webhook-events" aria-label="Events">
        {w.events.map((e) => (
          <li key={e}>
            <code>{e}</code>
          </li>
        ))}
      </ul>
      <p className="muted small">Added {formatDate(w.created_at)}</p>
      {test.isError && <Alert tone="error">{errorMessage(test.error)}</Alert>}
      <div className="button-row">
        <Button variant="secondary" busy={test.isPending} onClick={() => test.mutate()} aria-label={`Send a test ping to ${w.url}`}>
          Send test
        </Button>
        <Button variant="secondary" aria-expanded={open} aria-controls={logId} onClick={onToggle} aria-label={`Deliveries to ${w.url}`}>
          Deliveries
        </Button>
        <Button variant="ghost" onClick={onEdit} aria-label={`Edit the webhook ${w.url}`}>
          Edit
        </Button>
        <Button variant="ghost" className="danger-text" onClick={onDelete} aria-label={`Delete the webhook ${w.url}`}>
          Delete
        </Button>
      </div>
      <div id={logId}>{open && <DeliveryLog webhook={w} />}</div>
    </li>
  );
}

/** `/w/{slug}/webhooks` (admins and owners): where Pulse posts events, and how that went. */
export function WebhooksPage() {
  const { wid, workspace } = useWorkspace();
  const qc = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Webhook | null>(null);
  const [deleting, setDeleting] = useState<Webhook | null>(null);
  const [openLogs, setOpenLogs] = useState<Set<number>>(new Set());
  const [notice, setNotice] = useState('');
  const hooks = useQuery({ queryKey: queryKeys.webhooks(wid), queryFn: () => webhooksApi.list(wid) });
  const remove = useMutation({
    mutationFn: (w: Webhook) => webhooksApi.remove(wid, w.id),
    onSuccess: (_r, w) => {
      setDeleting(null);
      setNotice(`The webhook for ${w.url} was deleted: it gets no more events.`);
      qc.setQueryData<Webhook[]>(queryKeys.webhooks(wid), (old) => old?.filter((x) => x.id !== w.id));
      qc.invalidateQueries({ queryKey: queryKeys.webhooks(wid) });
    },
  });

  const toggleLog = (id: number) =>
    setOpenLogs((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const list = hooks.data ?? [];
  const addButton = (
    <Button
      onClick={() => {
        setNotice('');
        setCreating(true);
      }}
    >
      Add webhook
    </Button>
  );

  return (
    <div className="page">
      <div className="page-head page-head-row">
        <div>
          <h1>Webhooks</h1>
          <p className="muted">
            Pulse posts {workspace.name}’s events (new responses, low scores, closed follow-ups, answered surveys) to these
            addresses, signed, and retries when they fail.
          </p>
        </div>
        {list.length > 0 && <div className="page-actions">{addButton}</div>}
      </div>
      <div aria-live="polite">
        {notice && <Alert tone="success">{notice}</Alert>}
      </div>
      {hooks.isPending && <Spinner label="Loading webhooks" />}
      {hooks.isError && <Alert tone="error">{errorMessage(hooks.error)}</Alert>}
      {hooks.data && list.length === 0 && (
        <EmptyState title="No webhooks yet" action={addButton}>
          Add a webhook to send events to your CRM, chat or ticketing tool as they happen.
        </EmptyState>
      )}
      {list.length > 0 && (
        <ul className="webhook-list" aria-label="Webhooks">
          {list.map((w) => (
            <WebhookCard
              key={w.id}
              webhook={w}
              open={openLogs.has(w.id)}
              onToggle={() => toggleLog(w.id)}
              onEdit={() => {
                setNotice('');
                setEditing(w);
              }}
              onDelete={() => {
                remove.reset();
                setNotice('');
                setDeleting(w);
              }}
              onTested={setNotice}
            />
          ))}
        </ul>
      )}

      {creating && <CreateWebhookDialog onClose={() => setCreating(false)} />}
      {editing && (
        <EditWebhookDialog
          webhook={editing}
          onClose={(saved) => {
            if (saved) setNotice('The webhook was saved.');
            setEditing(null);
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title="Delete this webhook?"
          confirmLabel="Delete webhook"
          busy={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate(deleting)}
          onCancel={() => setDeleting(null)}
        >
          <p>
            <code>{deleting.url}</code> gets no more events from {workspace.name}, and its delivery log is gone. This cannot
            be undone.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
