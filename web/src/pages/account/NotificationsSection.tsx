import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { errorMessage } from '../../api/errors';
import { notificationsApi } from '../../api/notifications';
import { queryKeys } from '../../api/queryKeys';
import type { NotificationSettings, UserRead, Workspace } from '../../api/types';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { SelectField } from '../../components/Field';
import { Spinner } from '../../components/Spinner';
import { pickWorkspace } from '../../lib/workspacePaths';
import { useWorkspaces } from '../../workspace/context';
import { DigestPreviewDialog } from './DigestPreviewDialog';

const SWITCHES: { key: keyof NotificationSettings; label: string; hint: string }[] = [
  {
    key: 'low_score_email',
    label: 'Email me when a low score comes in',
    hint: 'Within a minute of a follow-up opening: the customer, their score and review, and a link to it.',
  },
  {
    key: 'weekly_digest',
    label: 'Weekly digest (Mondays 08:00 UTC)',
    hint: 'Last week’s responses, average and CSAT with their change, open follow-ups and the three lowest reviews.',
  },
];

/** The two switches and the digest preview of one workspace. Each switch saves at once. */
function WorkspaceNotifications({ workspace }: { workspace: Workspace }) {
  const wid = workspace.id;
  const qc = useQueryClient();
  const [saved, setSaved] = useState('');
  const settings = useQuery({ queryKey: queryKeys.notifications(wid), queryFn: () => notificationsApi.get(wid) });
  const save = useMutation({
    mutationFn: (body: NotificationSettings) => notificationsApi.save(wid, body),
    onMutate: () => setSaved(''),
    onSuccess: (answer) => {
      qc.setQueryData(queryKeys.notifications(wid), answer);
      setSaved(`Saved for ${workspace.name}.`);
    },
  });
  const preview = useMutation({ mutationFn: () => notificationsApi.digestPreview(wid) });
  // While saving, the switches show what was asked for; after a failure, what the server has.
  const shown = save.isPending ? save.variables : settings.data;

  return (
    <div className="notifications">
      {settings.isPending && <Spinner label="Loading your notification settings" />}
      {settings.isError && <Alert tone="error">{errorMessage(settings.error)}</Alert>}
      {shown && (
        <fieldset className="switches" disabled={save.isPending}>
          <legend className="sr-only">Notifications from {workspace.name}</legend>
          {SWITCHES.map((s) => (
            <div key={s.key} className="field checkbox-field">
              <label>
                <input
                  type="checkbox"
                  role="switch"
                  className="switch"
                  name={s.key}
                  checked={shown[s.key]}
                  onChange={(e) => save.mutate({ ...shown, [s.key]: e.target.checked })}
                  aria-describedby={`${s.key}-${wid}-hint`}
                />
                {s.label}
              </label>
              <p className="field-hint" id={`${s.key}-${wid}-hint`}>
                {s.hint}
              </p>
            </div>
          ))}
        </fieldset>
      )}
      <p className="small" role="status">
        {saved}
      </p>
      {save.isError && <Alert tone="error">{errorMessage(save.error)}</Alert>}
      <Button variant="secondary" busy={preview.isPending} onClick={() => preview.mutate()}>
        Preview this week’s digest
      </Button>
      {preview.isError && <Alert tone="error">{errorMessage(preview.error)}</Alert>}
      {preview.data && <DigestPreviewDialog preview={preview.data} onClose={() => preview.reset()} />}
    </div>
  );
}

/** Account page: low-score alerts and the weekly digest, chosen per workspace. */
export function NotificationsSection({ user }: { user: UserRead }) {
  const workspaces = useWorkspaces();
  const list = workspaces.data ?? [];
  const [chosen, setChosen] = useState<number>();
  const current = list.find((w) => w.id === chosen) ?? pickWorkspace(list, user.default_workspace_id);
  if (workspaces.isPending || list.length === 0 || !current) return null;
  return (
    <section className="card" id="notifications" aria-labelledby="notifications-h">
      <h2 id="notifications-h">Notifications</h2>
      {list.length > 1 ? (
        <SelectField
          label="Workspace"
          name="notifications_workspace"
          className="select-auto"
          value={current.id}
          onChange={(e) => setChosen(Number(e.target.value))}
          hint="Each workspace has its own settings."
        >
          {list.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </SelectField>
      ) : (
        <p className="muted small">For {current.name}.</p>
      )}
      <WorkspaceNotifications key={current.id} workspace={current} />
    </section>
  );
}
