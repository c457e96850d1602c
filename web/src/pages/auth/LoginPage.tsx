import { useEffect, useEffectEvent, useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { authApi } from '../../api/endpoints';
import { errorMessage, fieldErrors, toApiError } from '../../api/errors';
import { isMfaChallenge, twoFactorApi } from '../../api/twoFactor';
import type { LoginResponse, MfaChallenge } from '../../api/types';
import { useSetMe } from '../../auth/session';
import { Alert } from '../../components/Alert';
import { AuthCard } from '../../components/AuthCard';
import { Button } from '../../components/Button';
import { Field } from '../../components/Field';
import { safeNextPath } from '../../lib/safeNext';
import { normalizeCode } from '../../lib/twoFactor';
import { hasErrors, validateLogin, validateTwoFactorCode, type Errors } from '../../lib/validation';

const EXPIRED = 'That took too long: for your safety, enter your password again.';

/**
 * The second step of a login with two-factor on: a code from the app, or a
 * recovery code. An expired or unknown challenge sends the person back to the password.
 */
function SecondStep({
  challenge,
  onDone,
  onRestart,
}: {
  challenge: MfaChallenge;
  onDone: (res: LoginResponse) => void;
  onRestart: (message?: string) => void;
}) {
  const [mode, setMode] = useState<'totp' | 'recovery'>('totp');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string>();
  const verify = useMutation({
    mutationFn: () => twoFactorApi.login(challenge.mfa_token, normalizeCode(code)),
    onSuccess: onDone,
    onError: (err) => {
      if (toApiError(err).code === 'unauthorized') onRestart(EXPIRED);
    },
  });

  // The challenge dies on the server after `expires_in` seconds: say so rather than let a code fail.
  const expire = useEffectEvent(() => onRestart(EXPIRED));
  useEffect(() => {
    if (!challenge.expires_in || challenge.expires_in <= 0) return;
    const t = setTimeout(expire, challenge.expires_in * 1000);
    return () => clearTimeout(t);
  }, [challenge]);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const err = validateTwoFactorCode(code, mode);
    setError(err);
    if (!err) verify.mutate();
  };

  const toggle = () => {
    setMode(mode === 'totp' ? 'recovery' : 'totp');
    setCode('');
    setError(undefined);
    verify.reset();
  };

  const server = fieldErrors(verify.error);
  return (
    <AuthCard
      title="Two-factor authentication"
      subtitle={
        mode === 'totp'
          ? 'Enter the 6-digit code your authenticator app shows for Pulse.'
          : 'Enter one of the recovery codes you saved when you turned on two-factor. Each code works once.'
      }
      footer={
        <p>
          <button type="button" className="linkish" onClick={() => onRestart()}>
            Log in as someone else
          </button>
        </p>
      }
    >
      {verify.isError && !server.code && <Alert tone="error">{errorMessage(verify.error)}</Alert>}
      <form onSubmit={onSubmit} noValidate aria-label="Two-factor code">
        {mode === 'totp' ? (
          <Field
            key="totp"
            label="6-digit code"
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={9}
            className="code-input"
            value={code}
            error={error ?? server.code}
            onChange={(e) => setCode(e.target.value)}
            autoFocus
          />
        ) : (
          <Field
            key="recovery"
            label="Recovery code"
            name="recovery_code"
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            className="code-input"
            value={code}
            error={error ?? server.code}
            onChange={(e) => setCode(e.target.value)}
            hint="Like K7QX-M2PD."
            autoFocus
          />
        )}
        <div className="form-row-end">
          <button type="button" className="linkish" onClick={toggle}>
            {mode === 'totp' ? 'Use a recovery code instead' : 'Use your authenticator app instead'}
          </button>
        </div>
        <Button type="submit" className="btn-block" busy={verify.isPending}>
          Verify
        </Button>
      </form>
    </AuthCard>
  );
}

export function LoginPage() {
  const [values, setValues] = useState({ login: '', password: '' });
  const [errors, setErrors] = useState<Errors<'login' | 'password'>>({});
  const [challenge, setChallenge] = useState<MfaChallenge | null>(null);
  const [restarted, setRestarted] = useState<string>();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const location = useLocation();
  const flash = (location.state as { message?: string } | null)?.message;
  const setMe = useSetMe();

  const finish = (res: LoginResponse) => {
    setMe(res.user);
    // Only follow paths of this site: an open redirect would be a phishing aid.
    navigate(safeNextPath(params.get('next'), window.location.origin), { replace: true });
  };

  const login = useMutation({
    mutationFn: authApi.login,
    onSuccess: (res) => {
      if (isMfaChallenge(res)) {
        // The password did its part: do not keep it around while the code is asked for.
        setValues((v) => ({ ...v, password: '' }));
        setChallenge(res);
      } else {
        finish(res);
      }
    },
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const errs = validateLogin(values);
    setErrors(errs);
    setRestarted(undefined);
    if (hasErrors(errs)) return;
    login.mutate({ login: values.login.trim(), password: values.password });
  };

  if (challenge) {
    return (
      <SecondStep
        challenge={challenge}
        onDone={finish}
        onRestart={(message) => {
          login.reset();
          setChallenge(null);
          setRestarted(message);
        }}
      />
    );
  }

  const server = fieldErrors(login.error);
  return (
    <AuthCard
      title="Log in"
      subtitle="Welcome back. See how your customers feel."
      footer={
        <>
          <p>
            New to Pulse? <Link to="/signup">Create an account</Link>
          </p>
        </>
      }
    >
      {restarted && !login.error && <Alert tone="warning">{restarted}</Alert>}
      {flash && !restarted && !login.error && <Alert tone="success">{flash}</Alert>}
      {login.isError && <Alert tone="error">{errorMessage(login.error)}</Alert>}
      <form onSubmit={onSubmit} noValidate>
        <Field
          label="Username or email"
          name="login"
          type="text"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          value={values.login}
          error={errors.login ?? server.login}
          onChange={(e) => setValues({ ...values, login: e.target.value })}
          autoFocus={!values.login}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={values.password}
          error={errors.password ?? server.password}
          onChange={(e) => setValues({ ...values, password: e.target.value })}
          autoFocus={Boolean(values.login)}
        />
        <div className="form-row-end">
          <Link to="/forgot-password">Forgot your password?</Link>
        </div>
        <Button type="submit" className="btn-block" busy={login.isPending}>
          Log in
        </Button>
      </form>
    </AuthCard>
  );
}
