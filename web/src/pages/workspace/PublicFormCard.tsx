import { useMutation, useQueryClient } from '@tanstack/react-query';
import { errorMessage } from '../../api/errors';
import { queryKeys } from '../../api/queryKeys';
import type { Workspace } from '../../api/types';
import { workspacesApi } from '../../api/workspaces';
import { Alert } from '../../components/Alert';
import { CopyButton } from '../../components/CopyButton';
import { publicFormUrl } from '../../lib/workspacePaths';
import { useWorkspace } from '../../workspace/context';

/**
 * Admins: the workspace's public feedback form (`settings.public_form_enabled`),
 * on or off at once, and its link to share.
 */
export function PublicFormCard() {
  const { workspace, wid } = useWorkspace();
  const qc = useQueryClient();
  const enabled = workspace.settings.public_form_enabled;
  const save = useMutation({
    mutationFn: (on: boolean) => workspacesApi.update(wid, { settings: { public_form_enabled: on } }),
    onSuccess: (w) => {
      qc.setQueryData<Workspace[]>(queryKeys.workspaces, (old) => old?.map((o) => (o.id === w.id ? { ...o, ...w } : o)));
      qc.invalidateQueries({ queryKey: queryKeys.workspaces });
    },
  });
  const on = save.isPending ? Boolean(save.variables) : enabled;
  const origin = typeof window === 'undefined' ? '' : window.location.origin;
  const url = publicFormUrl(origin, workspace.slug);

  return (
    <section className="card" aria-labelledby="public-form-h">
      <h2 id="public-form-h">Public feedback form</h2>
      <p className="muted small">
        A page anyone with the link can answer without an account: name, email, a score and a comment. Each answer adds a
        response (or a new customer). Share it on a receipt, a website or a QR code.
      </p>
      {save.isError && <Alert tone="error">{errorMessage(save.error)}</Alert>}
      <div className="field checkbox-field">
        <label>
          <input
            type="checkbox"
            name="public_form_enabled"
            checked={on}
            disabled={save.isPending}
            onChange={(e) => save.mutate(e.target.checked)}
            aria-describedby="public-form-state"
          />{' '}
          Public feedback form
        </label>
        <p className="field-hint" id="public-form-state" role="status">
          {on ? 'On: anyone with the link can send feedback.' : 'Off: the link answers “This form is not available”.'}
        </p>
      </div>
      <div className="public-link">
        <span className="small muted" id="public-form-link-label">
          Link
        </span>
        <code aria-labelledby="public-form-link-label">{url}</code>
        <CopyButton text={url} label="Copy link" aria-label="Copy the public form link" />
        {on && (
          <a href={url} target="_blank" rel="noreferrer" className="small">
            Open the form
          </a>
        )}
      </div>
    </section>
  );
}
