import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { authApi } from '../../api/endpoints';
import { errorMessage, fieldErrors } from '../../api/errors';
import { Alert } from '../../components/Alert';
import { AuthCard } from '../../components/AuthCard';
import { Button } from '../../components/Button';
import { Field } from '../../components/Field';
import { hasErrors, validateResetPassword, type Errors } from '../../lib/validation';

/** Landing page of the emailed reset link. */
export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [values, setValues] = useState({ password: '', confirm: '' });
  const [errors, setErrors] = useState<Errors<'password' | 'confirm'>>({});
  const navigate = useNavigate();
  const reset = useMutation({
    mutationFn: (pw: string) => authApi.resetPassword(token, pw),
    onSuccess: () =>
      navigate('/login', { replace: true, state: { message: 'Your password was changed. Log in with the new one.' } }),
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const errs = validateResetPassword(values);
    setErrors(errs);
    if (!hasErrors(errs)) reset.mutate(values.password);
  };

  const server = fieldErrors(reset.error);
  return (
    <AuthCard
      title="Choose a new password"
      footer={
        <p>
          <Link to="/forgot-password">Request a new link</Link> · <Link to="/login">Log in</Link>
        </p>
      }
    >
      {!token && <Alert tone="error">This link has no token. Open the link from the email again.</Alert>}
      {reset.isError && <Alert tone="error">{errorMessage(reset.error)}</Alert>}
      <form onSubmit={onSubmit} noValidate>
        {/* Helps password managers file the new password under the right account. */}
        <input type="text" name="username" autoComplete="username" hidden readOnly value="" />
        <Field
          label="New password"
          name="new_password"
          type="password"
          autoComplete="new-password"
          value={values.password}
          onChange={(e) => setValues({ ...values, password: e.target.value })}
          error={errors.password ?? server.new_password}
          hint="At least 8 characters."
          autoFocus
        />
        <Field
          label="Confirm new password"
          name="confirm"
          type="password"
          autoComplete="new-password"
          value={values.confirm}
          onChange={(e) => setValues({ ...values, confirm: e.target.value })}
          error={errors.confirm}
        />
        <Button type="submit" className="btn-block" busy={reset.isPending} disabled={!token}>
          Set new password
        </Button>
      </form>
    </AuthCard>
  );
}
