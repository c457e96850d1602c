import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { authApi } from '../../api/endpoints';
import { errorMessage, fieldErrors } from '../../api/errors';
import { useSetMe } from '../../auth/session';
import { Alert } from '../../components/Alert';
import { AuthCard } from '../../components/AuthCard';
import { Button } from '../../components/Button';
import { Field } from '../../components/Field';
import { safeNextPath } from '../../lib/safeNext';
import { hasErrors, validateLogin, type Errors } from '../../lib/validation';

export function LoginPage() {
  const [values, setValues] = useState({ login: '', password: '' });
  const [errors, setErrors] = useState<Errors<'login' | 'password'>>({});
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const location = useLocation();
  const flash = (location.state as { message?: string } | null)?.message;
  const setMe = useSetMe();

  const login = useMutation({
    mutationFn: authApi.login,
    onSuccess: (res) => {
      setMe(res.user);
      // Only follow paths of this site: an open redirect would be a phishing aid.
      navigate(safeNextPath(params.get('next'), window.location.origin), { replace: true });
    },
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const errs = validateLogin(values);
    setErrors(errs);
    if (hasErrors(errs)) return;
    login.mutate({ login: values.login.trim(), password: values.password });
  };

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
      {flash && !login.error && <Alert tone="success">{flash}</Alert>}
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
          autoFocus
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={values.password}
          error={errors.password ?? server.password}
          onChange={(e) => setValues({ ...values, password: e.target.value })}
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
