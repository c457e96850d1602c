import { useState, type FormEvent, type ReactNode } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { errorMessage, fieldErrors, toApiError } from '../../api/errors';
import { queryKeys } from '../../api/queryKeys';
import { twoFactorApi } from '../../api/twoFactor';
import type { TwoFactorSetup, UserRead } from '../../api/types';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { CopyButton } from '../../components/CopyButton';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { groupSecret, normalizeCode, svgDataUrl, TWO_FACTOR_ANCHOR } from '../../lib/twoFactor';
import { validatePasswordAndCode, validateTwoFactorCode } from '../../lib/validation';
import { workspacePath } from '../../lib/workspacePaths';
import { useWorkspaces } from '../../workspace/context';
import { RecoveryCodes } from './RecoveryCodes';

/** After turning two-factor on or off: who I am, and every workspace's answers, change. */
function useAfterChange() {
  const qc = useQueryClient();
  return () => {
    qc.invalidateQueries({ queryKey: queryKeys.me });
    // Members lists show two-factor; a workspace that requires it answers differently now.
    qc.invalidateQueries({ queryKey: queryKeys.workspaces });
    qc.invalidateQueries({ queryKey: queryKeys.allWorkspaceData });
  };
}

type Step = { kind: 'start' } | { kind: 'password' } | { kind: 'scan'; setup: TwoFactorSetup };

/** Off → password → scan the QR code (or type the key) → a code → the recovery codes. */
function TurnOn({ username, onEnabled }: { username: string; onEnabled: (codes: string[]) => void }) {
  const [step, setStep] = useState<Step>({ kind: 'start' });
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string>();
  const afterChange = useAfterChange();

  const setup = useMutation({
    mutationFn: () => twoFactorApi.setup(password),
    onSuccess: (s) => {
      setPassword('');
      setStep({ kind: 'scan', setup: s });
    },
    // Already on (another tab turned it on): show what is true now.
    onError: (err) => {
      if (toApiError(err).code === 'conflict') afterChange();
    },
  });
  const enable = useMutation({
    mutationFn: () => twoFactorApi.enable(normalizeCode(code)),
    onSuccess: (res) => {
      afterChange();
      onEnabled(res.recovery_codes);
    },
  });

  const cancel = () => {
    setup.reset();
    enable.reset();
    setPassword('');
    setCode('');
    setError(undefined);
    setStep({ kind: 'start' });
  };

  if (step.kind === 'start') {
    return (
      <>
        <p>
          Protect your account with a second step when you log in: after your password, Pulse asks for a 6-digit code from
          an authenticator app on your phone (such as Google Authenticator, Microsoft Authenticator, 1Password or Authy).
        </p>
        <Button onClick={() => setStep({ kind: 'password' })}>Turn on</Button>
      </>
    );
  }

  if (step.kind === 'password') {
    const server = fieldErrors(setup.error);
    const onSubmit = (e: FormEvent) => {
      e.preventDefault();
      if (!password) {
        setError('Enter your password.');
        return;
      }
      setError(undefined);
      setup.mutate();
    };
    return (
      <form onSubmit={onSubmit} noValidate aria-label="Confirm your password">
        <p>First, confirm it is you.</p>
        {setup.isError && !server.password && <Alert tone="error">{errorMessage(setup.error)}</Alert>}
        <input type="text" name="username" autoComplete="username" value={username} hidden readOnly />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={error ?? server.password}
          autoFocus
        />
        <div className="button-row">
          <Button type="submit" busy={setup.isPending}>
            Continue
          </Button>
          <Button variant="secondary" onClick={cancel}>
            Cancel
          </Button>
        </div>
      </form>
    );
  }

  const { setup: s } = step;
  const server = fieldErrors(enable.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const err = validateTwoFactorCode(code);
    setError(err);
    if (!err) enable.mutate();
  };
  return (
    <div className="two-factor-setup">
      <ol className="setup-steps">
        <li>
          <p>Scan this QR code with your authenticator app.</p>
          <img className="qr-code" src={svgDataUrl(s.qr_svg)} alt="QR code to add Pulse to an authenticator app" width={200} height={200} />
          <p className="small">
            On this phone? <a href={s.otpauth_uri}>Open it in your authenticator app</a>.
          </p>
        </li>
        <li>
          <p>Cannot scan it? Choose “enter a setup key” in the app and type this key (time-based):</p>
          <div className="secret-row">
            <Field label="Setup key" name="secret" className="secret-input" value={groupSecret(s.secret)} readOnly spellCheck={false} />
            <CopyButton text={s.secret} label="Copy key" aria-label="Copy the setup key" />
          </div>
        </li>
        <li>
          <form onSubmit={onSubmit} noValidate aria-label="Check a code">
            <p>Enter the 6-digit code the app shows for Pulse.</p>
            {enable.isError && !server.code && <Alert tone="error">{errorMessage(enable.error)}</Alert>}
            <Field
              label="6-digit code"
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={9}
              className="code-input"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              error={error ?? server.code}
            />
            <div className="button-row">
              <Button type="submit" busy={enable.isPending}>
                Turn on two-factor
              </Button>
              <Button variant="secondary" onClick={cancel}>
                Cancel
              </Button>
            </div>
          </form>
        </li>
      </ol>
    </div>
  );
}

/** Password and a code, for turning off and for new recovery codes. */
function PasswordAndCodeDialog({
  title,
  username,
  confirmLabel,
  danger = false,
  children,
  onSubmit,
  onClose,
}: {
  title: string;
  username: string;
  confirmLabel: string;
  danger?: boolean;
  children: ReactNode;
  onSubmit: (password: string, code: string) => Promise<unknown>;
  onClose: () => void;
}) {
  const [values, setValues] = useState({ password: '', code: '' });
  const [errors, setErrors] = useState<{ password?: string; code?: string }>({});
  const run = useMutation({ mutationFn: () => onSubmit(values.password, normalizeCode(values.code)) });
  const server = fieldErrors(run.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs = validatePasswordAndCode(values);
    setErrors(errs);
    if (!errs.password && !errs.code) run.mutate();
  };
  return (
    <Dialog open title={title} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <div className="confirm-text">{children}</div>
        {run.isError && !server.password && !server.code && <Alert tone="error">{errorMessage(run.error)}</Alert>}
        <input type="text" name="username" autoComplete="username" value={username} hidden readOnly />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={values.password}
          onChange={(e) => setValues({ ...values, password: e.target.value })}
          error={errors.password ?? server.password}
          autoFocus
        />
        <Field
          label="Code from your app, or a recovery code"
          name="code"
          autoComplete="one-time-code"
          autoCapitalize="characters"
          spellCheck={false}
          value={values.code}
          onChange={(e) => setValues({ ...values, code: e.target.value })}
          error={errors.code ?? server.code}
        />
        <div className="dialog-actions">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant={danger ? 'danger' : 'primary'} busy={run.isPending}>
            {confirmLabel}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** On: new recovery codes, or turn it off. */
function TurnedOn({ username, onNewCodes, onOff }: { username: string; onNewCodes: (codes: string[]) => void; onOff: () => void }) {
  const [open, setOpen] = useState<'off' | 'codes' | null>(null);
  const workspaces = useWorkspaces();
  const afterChange = useAfterChange();
  const qc = useQueryClient();
  const requiring = (workspaces.data ?? []).filter((w) => w.settings.require_two_factor);

  return (
    <>
      <p>
        After your password, Pulse asks for a code from your authenticator app. If you lose your phone, use one of your
        recovery codes instead.
      </p>
      <div className="button-row">
        <Button variant="secondary" onClick={() => setOpen('codes')}>
          New recovery codes
        </Button>
        <Button variant="danger" onClick={() => setOpen('off')}>
          Turn off
        </Button>
      </div>
      {open === 'codes' && (
        <PasswordAndCodeDialog
          title="Make new recovery codes?"
          username={username}
          confirmLabel="Make new codes"
          onClose={() => setOpen(null)}
          onSubmit={async (password, code) => {
            const res = await twoFactorApi.recoveryCodes(password, code);
            setOpen(null);
            onNewCodes(res.recovery_codes);
          }}
        >
          <p>You get 10 new recovery codes, and your current ones stop working at once.</p>
        </PasswordAndCodeDialog>
      )}
      {open === 'off' && (
        <PasswordAndCodeDialog
          title="Turn off two-factor authentication?"
          username={username}
          confirmLabel="Turn off two-factor"
          danger
          onClose={() => setOpen(null)}
          onSubmit={async (password, code) => {
            await twoFactorApi.disable(password, code);
            setOpen(null);
            afterChange();
            qc.invalidateQueries({ queryKey: queryKeys.sessions });
            onOff();
          }}
        >
          <p>
            Logging in will need only your password again, and you will be <strong>signed out on every other device</strong>.
            Your recovery codes stop working.
          </p>
          {requiring.length > 0 && (
            <Alert tone="warning">
              {requiring.length === 1 ? 'This workspace requires' : 'These workspaces require'} two-factor authentication: you
              will not see {requiring.length === 1 ? 'it' : 'them'} until you turn it back on.{' '}
              {requiring.map((w, i) => (
                <span key={w.id}>
                  {i > 0 && ', '}
                  <Link to={workspacePath(w.slug)}>{w.name}</Link>
                </span>
              ))}
            </Alert>
          )}
        </PasswordAndCodeDialog>
      )}
    </>
  );
}

/** The account page's two-factor card. */
export function TwoFactorSection({ user }: { user: UserRead }) {
  // Recovery codes exist only in this answer: they stay on screen until "I have saved them".
  const [codes, setCodes] = useState<{ codes: string[]; then: string } | null>(null);
  const [notice, setNotice] = useState<string>();
  const on = user.two_factor_enabled;
  return (
    <section className="card" id={TWO_FACTOR_ANCHOR} aria-labelledby="two-factor-h">
      <div className="card-head card-head-start">
        <h2 id="two-factor-h">Two-factor authentication</h2>
        <span className={`badge${on ? ' badge-green' : ''}`}>{on ? 'On' : 'Off'}</span>
      </div>
      {notice && <Alert tone="success">{notice}</Alert>}
      {codes ? (
        <RecoveryCodes
          codes={codes.codes}
          account={user.username}
          onDone={() => {
            setCodes(null);
            setNotice(codes.then);
          }}
        />
      ) : on ? (
        <TurnedOn
          username={user.username}
          onNewCodes={(c) => {
            setNotice(undefined);
            setCodes({ codes: c, then: 'Your new recovery codes are ready; the old ones no longer work.' });
          }}
          onOff={() => setNotice('Two-factor authentication is off. Your other devices were signed out.')}
        />
      ) : (
        <TurnOn
          username={user.username}
          onEnabled={(c) => {
            setNotice(undefined);
            setCodes({ codes: c, then: 'Two-factor authentication is on: logging in now asks for a code from your app.' });
          }}
        />
      )}
    </section>
  );
}
