import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { errorMessage } from '../../api/errors';
import { queryKeys } from '../../api/queryKeys';
import type { UserRead } from '../../api/types';
import { workspacesApi } from '../../api/workspaces';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { SelectField } from '../../components/Field';
import { asRole, ROLE_LABELS } from '../../lib/roles';
import { pickWorkspace } from '../../lib/workspacePaths';
import { useWorkspaces } from '../../workspace/context';

/** Which workspace opens after logging in (and answers the API paths without a workspace). */
export function DefaultWorkspaceForm({ user }: { user: UserRead }) {
  const workspaces = useWorkspaces();
  const list = workspaces.data ?? [];
  const current = pickWorkspace(list, user.default_workspace_id);
  const [chosen, setChosen] = useState<number>();
  const value = chosen ?? current?.id;
  const qc = useQueryClient();
  const save = useMutation({
    mutationFn: (wid: number) => workspacesApi.setDefault(wid),
    onSuccess: (u) => qc.setQueryData(queryKeys.me, u),
  });

  if (list.length < 2) return null;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (value !== undefined) save.mutate(value);
  };
  return (
    <section className="card" aria-labelledby="default-ws-h">
      <h2 id="default-ws-h">Default workspace</h2>
      {save.isSuccess && <Alert tone="success">Saved: Pulse opens this workspace after you log in.</Alert>}
      {save.isError && <Alert tone="error">{errorMessage(save.error)}</Alert>}
      <form onSubmit={onSubmit} noValidate className="inline-form">
        <SelectField
          label="Open after logging in"
          name="default_workspace_id"
          className="select-auto"
          value={value ?? ''}
          onChange={(e) => setChosen(Number(e.target.value))}
          hint="Also the workspace that API scripts without a workspace in their URL work on."
        >
          {list.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name} ({ROLE_LABELS[asRole(w.role)]})
            </option>
          ))}
        </SelectField>
        <Button type="submit" variant="secondary" busy={save.isPending} disabled={value === user.default_workspace_id}>
          Save default
        </Button>
      </form>
    </section>
  );
}
