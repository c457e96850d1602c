import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { authApi } from '../../api/endpoints';
import { errorMessage, fieldErrors, toApiError } from '../../api/errors';
import { queryKeys } from '../../api/queryKeys';
import type { InvitationPreview, UserRead } from '../../api/types';
import { isMfaChallenge } from '../../api/twoFactor';
import { invitationsApi } from '../../api/workspaces';
import { forgetSession, useMe, useSetMe } from '../../auth/session';
import { Alert } from '../../components/Alert';
import { AuthCard } from '../../components/AuthCard';
import { Button } from '../../components/Button';
import { Field } from '../../components/Field';
import { Spinner } from '../../components/Spinner';
import { formatDateTime } from '../../lib/format';
import { asRole, ROLE_DESCRIPTIONS, withArticle } from '../../lib/roles';
import { hasErrors, validateSignup, type Errors } from '../../lib/validation';
import { workspacePath } from '../../lib/workspacePaths';

function sameEmail(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

function Summary({ preview }: { preview: InvitationPreview }) {
  const role = asRole(preview.role);
  return (
    <div className="invite-summary">
      <p>
        {preview.invited_by ? (
          <>
            <strong>{preview.invited_by.username}</strong> invited <strong>{preview.email}</strong>
          </>
        ) : (
          <>
            <strong>{preview.email}</strong> is invited
          </>
        )}{' '}
        to join <strong>{preview.workspace.name}</strong> as {withArticle(role)}.
      </p>
      <p className="muted small">
        As {withArticle(role)} you can {ROLE_DESCRIPTIONS[role]}. The invitation expires {formatDateTime(preview.expires_at)}.
      </p>
    </div>
  );
}

/** Not logged in: create the account right here (it joins the workspace, already verified). */
function SignupToAccept({ token, preview }: { token: string; preview: InvitationPreview }) {
  type Key = 'username' | 'password' | 'confirm';
  const [values, setValues] = useState<Record<Key, string>>({ username: '', password: '', confirm: '' });
  const [errors, setErrors] = useState<Errors<Key>>({});
  const setMe = useSetMe();
  const navigate = useNavigate();
  const signup = useMutation({
    mutationFn: async () => {
      await authApi.signup({ username: values.username.trim(), email: preview.email, password: values.password, invitation_token: token });
      // The invited account is verified at once: log it in and show the workspace.
      try {
        return await authApi.login({ login: values.username.trim(), password: values.password });
      } catch {
        return null;
      }
    },
    onSuccess: (login) => {
      // A new account has no two-factor yet; were it asked for, the login page does the second step.
      if (login && !isMfaChallenge(login)) {
        setMe(login.user);
        navigate('/', { replace: true, state: { message: `Welcome to ${preview.workspace.name}!` } });
      } else {
        navigate('/login', { replace: true, state: { message: 'Your account is ready. Log in to continue.' } });
      }
    },
  });

  const set = (k: Key) => (e: { target: { value: string } }) => setValues({ ...values, [k]: e.target.value });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const errs = validateSignup({ ...values, email: preview.email });
    delete errs.email;
    setErrors(errs);
    if (!hasErrors(errs)) signup.mutate();
  };

  const server = fieldErrors(signup.error);
  const code = signup.isError ? toApiError(signup.error).code : undefined;
  return (
    <section aria-labelledby="signup-h">
      <h2 id="signup-h">New to Pulse? Create your account</h2>
      {code === 'email_taken' ? (
        <Alert tone="info">
          There is already an account for {preview.email}.{' '}
          <Link to={`/login?next=${encodeURIComponent(`/invite?token=${token}`)}`}>Log in</Link> to accept the invitation.
        </Alert>
      ) : (
        signup.isError && <Alert tone="error">{errorMessage(signup.error)}</Alert>
      )}
      <form onSubmit={onSubmit} noValidate>
        <Field label="Email" name="email" type="email" value={preview.email} readOnly hint="The address the invitation was sent to." />
        <Field
          label="Username"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          value={values.username}
          onChange={set('username')}
          error={errors.username ?? server.username}
          hint="3–32 letters, digits, dots, dashes or underscores."
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          value={values.password}
          onChange={set('password')}
          error={errors.password ?? server.password}
          hint="At least 8 characters."
        />
        <Field
          label="Confirm password"
          name="confirm"
          type="password"
          autoComplete="new-password"
          value={values.confirm}
          onChange={set('confirm')}
          error={errors.confirm}
        />
        <Button type="submit" className="btn-block" busy={signup.isPending}>
          Create account and join
        </Button>
      </form>
    </section>
  );
}

/** Logged in: accept with this account, if it is the invited one. */
function AcceptAsMe({ token, preview, user }: { token: string; preview: InvitationPreview; user: UserRead }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const accept = useMutation({
    mutationFn: () => invitationsApi.accept(token),
    onSuccess: (w) => {
      qc.invalidateQueries({ queryKey: queryKeys.workspaces });
      qc.invalidateQueries({ queryKey: queryKeys.me });
      navigate(workspacePath(w.slug), { replace: true, state: { message: `You joined ${w.name}.` } });
    },
  });
  const logout = useMutation({
    mutationFn: authApi.logout,
    // Forget the other account's data, but keep the invitation on screen.
    onSettled: () => forgetSession(qc, queryKeys.invitationPreview(token)),
  });

  if (!sameEmail(user.email, preview.email)) {
    return (
      <>
        <Alert tone="warning" title="This invitation is for another address">
          You are logged in as {user.username} ({user.email}), but the invitation was sent to {preview.email}. Log out, then
          sign up or log in with {preview.email}.
        </Alert>
        <Button variant="secondary" className="btn-block" busy={logout.isPending} onClick={() => logout.mutate()}>
          Log out and continue
        </Button>
      </>
    );
  }

  const code = accept.isError ? toApiError(accept.error).code : undefined;
  return (
    <>
      {code === 'already_member' ? (
        <Alert tone="info">
          You are already a member of {preview.workspace.name}. <Link to="/">Go to your workspaces</Link>.
        </Alert>
      ) : (
        accept.isError && <Alert tone="error">{errorMessage(accept.error)}</Alert>
      )}
      <p>
        You are logged in as <strong>{user.username}</strong>.
      </p>
      <Button className="btn-block" busy={accept.isPending} disabled={code === 'already_member'} onClick={() => accept.mutate()}>
        Join {preview.workspace.name}
      </Button>
    </>
  );
}

/** `/invite?token=…`, the link of an invitation email: preview, then sign up or log in, and accept. */
export function InvitePage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const me = useMe();
  const preview = useQuery({
    queryKey: queryKeys.invitationPreview(token),
    queryFn: () => invitationsApi.preview(token),
    enabled: token !== '',
    retry: false,
  });
  const next = encodeURIComponent(`/invite?token=${token}`);

  let body;
  if (!token) body = <Alert tone="error">This link has no invitation token. Open the link from the email again.</Alert>;
  else if (preview.isPending || me.isPending) body = <Spinner label="Opening the invitation" />;
  else if (preview.isError)
    body =
      toApiError(preview.error).code === 'invalid_token' ? (
        <Alert tone="error" title="This invitation cannot be used">
          The link is invalid, has expired, was revoked or has already been used. Ask the person who invited you for a new
          invitation.
        </Alert>
      ) : (
        <Alert tone="error">{errorMessage(preview.error)}</Alert>
      );
  else
    body = (
      <>
        <Summary preview={preview.data} />
        {me.data ? (
          <AcceptAsMe token={token} preview={preview.data} user={me.data} />
        ) : (
          <>
            <SignupToAccept token={token} preview={preview.data} />
            <p className="invite-login">
              Already have an account with {preview.data.email}? <Link to={`/login?next=${next}`}>Log in to accept</Link>
            </p>
          </>
        )}
      </>
    );

  return (
    <AuthCard title={preview.data ? `Join ${preview.data.workspace.name}` : 'Invitation'}>
      {body}
    </AuthCard>
  );
}
