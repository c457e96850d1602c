import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { errorMessage, fieldErrors } from '../api/errors';
import { queryKeys } from '../api/queryKeys';
import type { Workspace } from '../api/types';
import { workspacesApi } from '../api/workspaces';
import { Alert } from '../components/Alert';
import { Button } from '../components/Button';
import { Dialog } from '../components/Dialog';
import { Field } from '../components/Field';
import { validateWorkspaceName } from '../lib/validation';
import { workspacePath } from '../lib/workspacePaths';
import { WORKSPACE_NAME_MAX } from '../lib/lengths';

/** "Create workspace": the caller becomes its owner and lands on its (empty) dashboard. */
export function CreateWorkspaceDialog({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const create = useMutation({
    mutationFn: workspacesApi.create,
    onSuccess: (w) => {
      qc.setQueryData<Workspace[]>(queryKeys.workspaces, (old) => (old ? [...old.filter((o) => o.id !== w.id), w] : [w]));
      qc.invalidateQueries({ queryKey: queryKeys.workspaces });
      onClose();
      navigate(workspacePath(w.slug));
    },
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const err = validateWorkspaceName(name);
    setError(err);
    if (!err) create.mutate({ name: name.trim() });
  };

  const server = fieldErrors(create.error);
  return (
    <Dialog open title="Create workspace" onClose={onClose}>
      <p className="muted">
        A workspace holds one business&rsquo;s customers and feedback. You will be its owner and can invite people to it.
      </p>
      {create.isError && !server.name && <Alert tone="error">{errorMessage(create.error)}</Alert>}
      <form onSubmit={onSubmit} noValidate>
        <Field
          label="Workspace name"
          name="name"
          autoComplete="organization"
          value={name}
          maxLength={WORKSPACE_NAME_MAX}
          onChange={(e) => setName(e.target.value)}
          error={error ?? server.name}
          hint="Your company, team or product. You can change it later."
          autoFocus
        />
        <div className="dialog-actions">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" busy={create.isPending}>
            Create workspace
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
