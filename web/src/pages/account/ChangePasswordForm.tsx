import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { authApi } from '../../api/endpoints';
import { errorMessage, fieldErrors } from '../../api/errors';
import { queryKeys } from '../../api/queryKeys';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { Field } from '../../components/Field';
import { hasErrors, validateChangePassword, type Errors } from '../../lib/validation';

type Key = 'current' | 'password' | 'confirm';

export function ChangePasswordForm({ username }: { username: string }) {
  const empty = { current: '', password: '', confirm: '' };
  const [values, setValues] = useState<Record<Key, string>>(empty);
  const [errors, setErrors] = useState<Errors<Key>>({});
  const qc = useQueryClient();
  const change = useMutation({
    mutationFn: authApi.changePassword,
    onSuccess: () => {
      setValues(empty);
      qc.invalidateQueries({ queryKey: queryKeys.sessions });
    },
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const errs = validateChangePassword(values);
    setErrors(errs);
    if (!hasErrors(errs)) change.mutate({ current_password: values.current, new_password: values.password });
  };

  const server = fieldErrors(change.error);
  const set = (k: Key) => (e: { target: { value: string } }) => setValues({ ...values, [k]: e.target.value });
  return (
    <section className="card" aria-labelledby="password-h">
      <h2 id="password-h">Change password</h2>
      {change.isSuccess && <Alert tone="success">Password changed. Your other sessions were logged out.</Alert>}
      {change.isError && <Alert tone="error">{errorMessage(change.error)}</Alert>}
      <form onSubmit={onSubmit} noValidate>
        <input type="text" name="username" autoComplete="username" value={username} hidden readOnly />
        <Field
          label="Current password"
          name="current_password"
          type="password"
          autoComplete="current-password"
          value={values.current}
          onChange={set('current')}
          error={errors.current ?? server.current_password}
        />
        <Field
          label="New password"
          name="new_password"
          type="password"
          autoComplete="new-password"
          value={values.password}
          onChange={set('password')}
          error={errors.password ?? server.new_password}
          hint="At least 8 characters."
        />
        <Field
          label="Confirm new password"
          name="confirm"
          type="password"
          autoComplete="new-password"
          value={values.confirm}
          onChange={set('confirm')}
          error={errors.confirm}
        />
        <Button type="submit" busy={change.isPending}>
          Change password
        </Button>
      </form>
    </section>
  );
}
