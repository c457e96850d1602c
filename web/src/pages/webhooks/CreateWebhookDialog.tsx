import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { errorMessage, fieldErrors } from '../../api/errors';
import { queryKeys } from '../../api/queryKeys';
import type { WebhookCreated, WebhookEvent } from '../../api/types';
import { webhooksApi } from '../../api/webhooks';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { CopyButton } from '../../components/CopyButton';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { hasErrors, type Errors } from '../../lib/validation';
import { validateWebhook } from '../../lib/webhooks';
import { useWorkspace } from '../../workspace/context';
import { EventsFieldset } from './EventsFieldset';

/** The signing secret, shown this once, with how to check a delivery. */
function ShowSecretOnce({ created, onClose }: { created: WebhookCreated; onClose: () => void }) {
  return (
    <>
      <Alert tone="warning" title="Copy the signing secret now">
        This is the only time it is shown. Your endpoint uses it to check that a delivery really comes from Pulse. If you
        lose it, delete the webhook and create a new one.
      </Alert>
      <div className="secret-row">
        <Field
          label="Signing secret"
          name="secret"
          className="secret-input"
          value={created.secret}
          readOnly
          spellCheck={false}
          onFocus={(e) => e.currentTarget.select()}
        />
        <CopyButton text={created.secret} label="Copy secret" variant="primary" aria-label="Copy the signing secret" />
      </div>
      <p className="muted small">
        Events go to <code>{created.url}</code> as <code>POST</code> requests following the Standard Webhooks specification:
        check the <code>webhook-signature</code> header (HMAC-SHA256 over <code>{'{webhook-id}.{webhook-timestamp}.{body}'}</code>,
        keyed with the secret’s base64-decoded bytes after <code>whsec_</code>). Answer with any 2xx status.
      </p>
      <div className="dialog-actions">
        <Button onClick={onClose}>Done</Button>
      </div>
    </>
  );
}

/** URL and events; then the secret, once. */
export function CreateWebhookDialog({ onClose }: { onClose: () => void }) {
  const { wid } = useWorkspace();
  const qc = useQueryClient();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>([]);
  const [errors, setErrors] = useState<Errors<'url' | 'events'>>({});
  const create = useMutation({
    mutationFn: () => webhooksApi.create(wid, { url: url.trim(), events }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.webhooks(wid) }),
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const errs = validateWebhook({ url, events });
    setErrors(errs);
    if (!hasErrors(errs)) create.mutate();
  };

  if (create.data) {
    return (
      <Dialog open title="Your new webhook" onClose={onClose}>
        <ShowSecretOnce created={create.data} onClose={onClose} />
      </Dialog>
    );
  }

  const server = fieldErrors(create.error);
  return (
    <Dialog open title="Add webhook" onClose={onClose}>
      <form onSubmit={onSubmit} noValidate>
        {create.isError && !server.url && !server.events && <Alert tone="error">{errorMessage(create.error)}</Alert>}
        <Field
          label="URL"
          name="url"
          type="url"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          placeholder="https://example.com/hooks/pulse"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          error={errors.url ?? server.url}
          hint="A public https:// address: private and local network addresses are refused."
          autoFocus
        />
        <EventsFieldset value={events} onChange={setEvents} error={errors.events ?? server.events} />
        <div className="dialog-actions">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" busy={create.isPending}>
            Add webhook
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
