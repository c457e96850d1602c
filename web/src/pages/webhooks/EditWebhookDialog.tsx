import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { errorMessage, fieldErrors } from '../../api/errors';
import { queryKeys } from '../../api/queryKeys';
import type { Webhook, WebhookEvent } from '../../api/types';
import { webhooksApi } from '../../api/webhooks';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { hasErrors, type Errors } from '../../lib/validation';
import { knownEvents, validateWebhook, webhookChanges } from '../../lib/webhooks';
import { useWorkspace } from '../../workspace/context';
import { EventsFieldset } from './EventsFieldset';

/** Change a webhook's URL, events, or pause it; only what changed is sent. */
export function EditWebhookDialog({ webhook, onClose }: { webhook: Webhook; onClose: (saved: boolean) => void }) {
  const { wid } = useWorkspace();
  const qc = useQueryClient();
  const [url, setUrl] = useState(webhook.url);
  const [events, setEvents] = useState<WebhookEvent[]>(knownEvents(webhook.events));
  const [active, setActive] = useState(webhook.active);
  const [errors, setErrors] = useState<Errors<'url' | 'events'>>({});
  const save = useMutation({
    mutationFn: () => webhooksApi.update(wid, webhook.id, webhookChanges(webhook, { url, events, active })),
    onSuccess: (updated) => {
      qc.setQueryData<Webhook[]>(queryKeys.webhooks(wid), (old) => old?.map((w) => (w.id === updated.id ? updated : w)));
      qc.invalidateQueries({ queryKey: queryKeys.webhooks(wid) });
      onClose(true);
    },
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const errs = validateWebhook({ url, events });
    setErrors(errs);
    if (hasErrors(errs)) return;
    if (Object.keys(webhookChanges(webhook, { url, events, active })).length === 0) onClose(false);
    else save.mutate();
  };

  const server = fieldErrors(save.error);
  return (
    <Dialog open title="Edit webhook" onClose={() => onClose(false)}>
      <form onSubmit={onSubmit} noValidate>
        {save.isError && !server.url && !server.events && <Alert tone="error">{errorMessage(save.error)}</Alert>}
        <Field
          label="URL"
          name="url"
          type="url"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          error={errors.url ?? server.url}
        />
        <EventsFieldset value={events} onChange={setEvents} error={errors.events ?? server.events} />
        <div className="field checkbox-field">
          <label>
            <input type="checkbox" name="active" checked={active} onChange={(e) => setActive(e.target.checked)} aria-describedby="wh-active-hint" />{' '}
            Active
          </label>
          <p className="field-hint" id="wh-active-hint">
            A paused webhook gets no events until it is active again.
          </p>
        </div>
        <div className="dialog-actions">
          <Button variant="secondary" onClick={() => onClose(false)}>
            Cancel
          </Button>
          <Button type="submit" busy={save.isPending}>
            Save webhook
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
