import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { errorMessage, fieldErrors } from '../../api/errors';
import { queryKeys } from '../../api/queryKeys';
import type { Workspace, WorkspaceUpdate } from '../../api/types';
import { membersApi, workspacesApi } from '../../api/workspaces';
import { useMe } from '../../auth/session';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Field, SelectField } from '../../components/Field';
import { TWO_FACTOR_PATH } from '../../lib/twoFactor';
import { hasErrors, validateSlug, validateWorkspaceName, type Errors } from '../../lib/validation';
import { workspaceUrl } from '../../lib/workspacePaths';
import { useWorkspace } from '../../workspace/context';
import { PublicFormCard } from './PublicFormCard';
import { SLUG_MAX, WORKSPACE_NAME_MAX } from '../../lib/lengths';

/** Put the server's answer into the list every page reads the workspace from. */
function useStoreWorkspace() {
  const qc = useQueryClient();
  return (w: Workspace) => {
    qc.setQueryData<Workspace[]>(queryKeys.workspaces, (old) => old?.map((o) => (o.id === w.id ? { ...o, ...w } : o)));
    qc.invalidateQueries({ queryKey: queryKeys.workspaces });
  };
}

/** Name and address: owners change them; admins see them. */
function GeneralCard() {
  const { workspace, wid, can } = useWorkspace();
  const [values, setValues] = useState({ name: workspace.name, slug: workspace.slug });
  const [errors, setErrors] = useState<Errors<'name' | 'slug'>>({});
  const [confirming, setConfirming] = useState<WorkspaceUpdate | null>(null);
  const store = useStoreWorkspace();
  const save = useMutation({
    mutationFn: (body: WorkspaceUpdate) => workspacesApi.update(wid, body),
    // A new slug moves the page to the new address (<WorkspaceScope> follows the workspace).
    onSuccess: (w) => {
      setConfirming(null);
      store(w);
    },
    onError: () => setConfirming(null),
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const errs = { name: validateWorkspaceName(values.name), slug: validateSlug(values.slug) };
    setErrors(errs);
    if (hasErrors(errs)) return;
    const body: WorkspaceUpdate = {};
    if (values.name.trim() !== workspace.name) body.name = values.name.trim();
    if (values.slug !== workspace.slug) body.slug = values.slug;
    // A new address breaks every link to the old one: ask first.
    if (body.slug !== undefined) setConfirming(body);
    else if (body.name !== undefined) save.mutate(body);
  };

  const server = fieldErrors(save.error);
  const origin = typeof window === 'undefined' ? '' : window.location.origin;

  if (!can.rename) {
    return (
      <section className="card" aria-labelledby="general-h">
        <h2 id="general-h">Name and address</h2>
        <dl className="facts">
          <dt>Name</dt>
          <dd>{workspace.name}</dd>
          <dt>Address</dt>
          <dd>
            <code>{workspaceUrl(origin, workspace.slug)}</code>
          </dd>
        </dl>
        <p className="muted small">Only owners can rename the workspace or change its address.</p>
      </section>
    );
  }

  return (
    <section className="card" aria-labelledby="general-h">
      <h2 id="general-h">Name and address</h2>
      {save.isSuccess && <Alert tone="success">Saved.</Alert>}
      {save.isError && !server.name && !server.slug && <Alert tone="error">{errorMessage(save.error)}</Alert>}
      <form onSubmit={onSubmit} noValidate>
        <Field
          label="Workspace name"
          name="name"
          value={values.name}
          maxLength={WORKSPACE_NAME_MAX}
          onChange={(e) => setValues({ ...values, name: e.target.value })}
          error={errors.name ?? server.name}
        />
        <Field
          label="Address"
          name="slug"
          autoCapitalize="none"
          spellCheck={false}
          value={values.slug}
          maxLength={SLUG_MAX}
          onChange={(e) => setValues({ ...values, slug: e.target.value.toLowerCase() })}
          error={errors.slug ?? server.slug}
          hint={
            <>
              {workspaceUrl(origin, values.slug || '…')} — 3 to 48 lowercase letters, digits or dashes. Links with the old
              address stop working.
            </>
          }
        />
        <Button type="submit" busy={save.isPending}>
          Save name and address
        </Button>
      </form>
      {confirming && (
        <ConfirmDialog
          title="Change the address?"
          confirmLabel="Change address"
          danger={false}
          busy={save.isPending}
          onConfirm={() => save.mutate(confirming)}
          onCancel={() => setConfirming(null)}
        >
          <p>
            {workspace.name} moves to <code>{workspaceUrl(origin, confirming.slug ?? '')}</code>. Bookmarks and shared links
            to <code>{workspaceUrl(origin, workspace.slug)}</code> stop working.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

/** Admins: follow-up threshold and the two-factor requirement. */
function PreferencesCard() {
  const { workspace, wid } = useWorkspace();
  const me = useMe();
  const [threshold, setThreshold] = useState(workspace.settings.low_score_threshold);
  const [require2fa, setRequire2fa] = useState(workspace.settings.require_two_factor);
  const [confirming, setConfirming] = useState(false);
  const store = useStoreWorkspace();
  const members = useQuery({ queryKey: queryKeys.members(wid), queryFn: () => membersApi.list(wid) });
  const save = useMutation({
    mutationFn: () =>
      workspacesApi.update(wid, { settings: { low_score_threshold: threshold, require_two_factor: require2fa } }),
    onSuccess: (w) => {
      setConfirming(false);
      store(w);
    },
  });

  const self = members.data?.find((m) => m.user_id === me.data?.id);
  const without2fa = (members.data ?? []).filter((m) => !m.two_factor_enabled);
  // Turning the requirement on without two-factor yourself would lock you out of this page too.
  const mine = Boolean(me.data?.two_factor_enabled || self?.two_factor_enabled);
  const mayRequire = workspace.settings.require_two_factor || mine;
  const turningOn = require2fa && !workspace.settings.require_two_factor;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (turningOn) setConfirming(true);
    else save.mutate();
  };

  return (
    <section className="card" aria-labelledby="prefs-h">
      <h2 id="prefs-h">Follow-ups and security</h2>
      {save.isSuccess && <Alert tone="success">Settings saved.</Alert>}
      {save.isError && !confirming && <Alert tone="error">{errorMessage(save.error)}</Alert>}
      <form onSubmit={onSubmit} noValidate>
        <SelectField
          label="Low score"
          name="low_score_threshold"
          className="select-auto"
          value={threshold}
          onChange={(e) => setThreshold(Number(e.target.value))}
          hint="Feedback at or below this score opens a follow-up, so someone gets back to the customer."
        >
          {[1, 2, 3, 4].map((n) => (
            <option key={n} value={n}>
              {n === 1 ? '1 only' : `${n} or lower`}
            </option>
          ))}
        </SelectField>
        <div className="field checkbox-field">
          <label>
            <input
              type="checkbox"
              name="require_two_factor"
              checked={require2fa}
              disabled={!mayRequire && !require2fa}
              onChange={(e) => setRequire2fa(e.target.checked)}
              aria-describedby="require-2fa-hint"
            />{' '}
            Require two-factor authentication
          </label>
          <p className="field-hint" id="require-2fa-hint">
            {mayRequire
              ? 'Members without two-factor authentication cannot see this workspace until they turn it on.'
              : 'Turn on two-factor authentication for your own account first: otherwise this would lock you out too.'}
          </p>
          {!mayRequire && (
            <p className="small">
              <Link to={TWO_FACTOR_PATH}>Set up two-factor authentication for your account</Link>
            </p>
          )}
        </div>
        {members.isError && <Alert tone="error">{errorMessage(members.error)}</Alert>}
        {members.data && (
          <div className="two-factor-members" aria-live="polite">
            {without2fa.length === 0 ? (
              <p className="small muted">Every member uses two-factor authentication.</p>
            ) : (
              <>
                <p className="small">
                  {without2fa.length === 1 ? '1 member does' : `${without2fa.length} members do`} not use two-factor
                  authentication
                  {workspace.settings.require_two_factor
                    ? ': they cannot see this workspace until they turn it on.'
                    : require2fa
                      ? ': once you save, they cannot see this workspace until they turn it on.'
                      : '.'}
                </p>
                <ul className="small member-list" aria-label="Members without two-factor authentication">
                  {without2fa.map((m) => (
                    <li key={m.user_id}>
                      {m.username} <span className="muted">({m.email})</span>
                      {m.user_id === me.data?.id && <span className="badge">you</span>}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </div>
        )}
        <Button type="submit" busy={save.isPending && !confirming}>
          Save settings
        </Button>
      </form>
      {confirming && (
        <ConfirmDialog
          title="Require two-factor authentication?"
          confirmLabel="Require two-factor"
          busy={save.isPending}
          error={save.error}
          onConfirm={() => save.mutate()}
          onCancel={() => setConfirming(false)}
        >
          {without2fa.length === 0 ? (
            <p>Every member already uses two-factor authentication: nobody loses access.</p>
          ) : (
            <>
              <p>
                {without2fa.length === 1 ? 'This member does' : `These ${without2fa.length} members do`} not use two-factor
                authentication yet and will not see {workspace.name} until they turn it on:
              </p>
              <ul>
                {without2fa.map((m) => (
                  <li key={m.user_id}>
                    {m.username} ({m.email})
                  </li>
                ))}
              </ul>
            </>
          )}
        </ConfirmDialog>
      )}
    </section>
  );
}

/** Owners: delete the workspace, its name typed to confirm. */
function DangerCard() {
  const { workspace, wid } = useWorkspace();
  const [open, setOpen] = useState(false);
  const qc = useQueryClient();
  const navigate = useNavigate();
  const remove = useMutation({
    mutationFn: () => workspacesApi.remove(wid, workspace.name),
    onSuccess: () => {
      qc.setQueryData<Workspace[]>(queryKeys.workspaces, (old) => old?.filter((w) => w.id !== wid));
      qc.removeQueries({ queryKey: queryKeys.workspace(wid) });
      qc.invalidateQueries({ queryKey: queryKeys.workspaces });
      qc.invalidateQueries({ queryKey: queryKeys.me });
      navigate('/', { replace: true, state: { message: `${workspace.name} was deleted.` } });
    },
  });
  return (
    <section className="card card-danger" aria-labelledby="danger-h">
      <h2 id="danger-h">Delete this workspace</h2>
      <p>
        Deletes {workspace.name} with all its customers and feedback, for every member. This cannot be undone: export what you
        want to keep first.
      </p>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Delete workspace
      </Button>
      {open && (
        <ConfirmDialog
          title={`Delete ${workspace.name}?`}
          confirmLabel="Delete workspace"
          busy={remove.isPending}
          error={remove.error}
          typeToConfirm={workspace.name}
          onConfirm={() => remove.mutate()}
          onCancel={() => {
            remove.reset();
            setOpen(false);
          }}
        >
          <p>All its customers, feedback and invitations are deleted, and every member loses access. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

/** `/w/{slug}/settings` (admins and owners). */
export function WorkspaceSettingsPage() {
  const { workspace, can } = useWorkspace();
  return (
    <div className="page page-narrow">
      <div className="page-head">
        <h1>Workspace settings</h1>
        <p className="muted">{workspace.name}</p>
      </div>
      <GeneralCard />
      {can.editSettings && <PreferencesCard />}
      {can.editSettings && <PublicFormCard />}
      {can.deleteWorkspace && <DangerCard />}
    </div>
  );
}
