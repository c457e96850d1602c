import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiKeysApi } from '../../api/apiKeys';
import { errorMessage, fieldErrors } from '../../api/errors';
import { queryKeys } from '../../api/queryKeys';
import type { ApiKeyCreated } from '../../api/types';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { CopyButton } from '../../components/CopyButton';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import {
  ACCESS_DESCRIPTIONS,
  ACCESS_LABELS,
  curlExample,
  expiryFromDate,
  localToday,
  scopesFor,
  type ApiKeyAccess,
} from '../../lib/apiKeys';
import { formatDateTime } from '../../lib/format';
import { validateApiKey, type Errors } from '../../lib/validation';
import { useWorkspace } from '../../workspace/context';
import { API_KEY_NAME_MAX } from '../../lib/lengths';

/** The new key, shown this once (the server keeps only a hash), with how to use it. */
function ShowKeyOnce({ created, onClose }: { created: ApiKeyCreated; onClose: () => void }) {
  const { wid } = useWorkspace();
  const origin = typeof window === 'undefined' ? '' : window.location.origin;
  const example = curlExample(origin, wid, created.key);
  return (
    <>
      <Alert tone="warning" title="Copy the key now">
        This is the only time it is shown: Pulse keeps only a fingerprint of it. If you lose it, revoke it and create a new
        one.
      </Alert>
      <div className="secret-row">
        <Field label="API key" name="api_key" className="secret-input" value={created.key} readOnly spellCheck={false} onFocus={(e) => e.currentTarget.select()} />
        <CopyButton text={created.key} label="Copy key" variant="primary" aria-label="Copy the API key" />
      </div>
      <p className="muted small">
        {created.name} · {ACCESS_LABELS[created.scopes.includes('write') ? 'write' : 'read']} ·{' '}
        {created.expires_at ? `expires ${formatDateTime(created.expires_at)}` : 'does not expire'}
      </p>
      <h3>Try it</h3>
      <p className="small">Send the key as a bearer token; it works on this workspace’s routes only:</p>
      <figure className="code-figure" aria-label="Example request">
        <pre className="code-block">
          <code>{example}</code>
        </pre>
      </figure>
      <div className="dialog-actions">
        <Button onClick={onClose}>Done</Button>
      </div>
    </>
  );
}

/** Name, access and an optional expiry date; then the key, once. */
export function CreateApiKeyDialog({ onClose }: { onClose: () => void }) {
  const { wid, workspace } = useWorkspace();
  const qc = useQueryClient();
  const today = localToday();
  const [values, setValues] = useState<{ name: string; access: ApiKeyAccess; expires: string }>({
    name: '',
    access: 'read',
    expires: '',
  });
  const [errors, setErrors] = useState<Errors<'name' | 'expires'>>({});
  const accessName = useId();
  const create = useMutation({
    mutationFn: () =>
      apiKeysApi.create(wid, {
        name: values.name.trim(),
        scopes: scopesFor(values.access),
        expires_at: values.expires ? expiryFromDate(values.expires) : undefined,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.apiKeys(wid) }),
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const errs = validateApiKey(values, today);
    setErrors(errs);
    if (!errs.name && !errs.expires) create.mutate();
  };

  if (create.data) {
    return (
      <Dialog open title="Your new API key" onClose={onClose}>
        <ShowKeyOnce created={create.data} onClose={onClose} />
      </Dialog>
    );
  }

  const server = fieldErrors(create.error);
  return (
    <Dialog open title="Create API key" onClose={onClose}>
      <form onSubmit={onSubmit} noValidate>
        <p className="muted small">A key lets a script or another tool use {workspace.name}’s data without your password.</p>
        {create.isError && !server.name && !server.expires_at && <Alert tone="error">{errorMessage(create.error)}</Alert>}
        <Field
          label="Name"
          name="name"
          autoComplete="off"
          maxLength={API_KEY_NAME_MAX}
          value={values.name}
          onChange={(e) => setValues({ ...values, name: e.target.value })}
          error={errors.name ?? server.name}
          hint="What uses it, so you know which key to revoke later."
          autoFocus
        />
        <fieldset className="radio-group">
          <legend>Access</legend>
          {(['read', 'write'] as const).map((a) => (
            <div key={a} className="radio-option">
              <label>
                <input
                  type="radio"
                  name={accessName}
                  value={a}
                  checked={values.access === a}
                  onChange={() => setValues({ ...values, access: a })}
                  aria-describedby={`${accessName}-${a}`}
                />
                {ACCESS_LABELS[a]}
              </label>
              <p className="muted small radio-desc" id={`${accessName}-${a}`}>
                {ACCESS_DESCRIPTIONS[a]}
              </p>
            </div>
          ))}
        </fieldset>
        <Field
          label="Expires on (optional)"
          name="expires"
          type="date"
          min={today}
          value={values.expires}
          onChange={(e) => setValues({ ...values, expires: e.target.value })}
          error={errors.expires ?? server.expires_at}
          hint="The key stops working at the end of that day. Leave empty for a key that does not expire."
        />
        <div className="dialog-actions">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" busy={create.isPending}>
            Create key
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
