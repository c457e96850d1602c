import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { usersApi } from '../../api/endpoints';
import { errorMessage, fieldErrors } from '../../api/errors';
import { queryKeys } from '../../api/queryKeys';
import type { UpdateMe, UserRead } from '../../api/types';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { Field } from '../../components/Field';
import { hasErrors, validateProfile, type Errors } from '../../lib/validation';

export function ProfileForm({ user }: { user: UserRead }) {
  const [values, setValues] = useState({ username: user.username, email: user.email });
  const [errors, setErrors] = useState<Errors<'username' | 'email'>>({});
  const qc = useQueryClient();
  const save = useMutation({
    mutationFn: usersApi.updateMe,
    onSuccess: (u) => qc.setQueryData(queryKeys.me, u),
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const errs = validateProfile(values);
    setErrors(errs);
    if (hasErrors(errs)) return;
    const body: UpdateMe = {};
    if (values.username.trim() !== user.username) body.username = values.username.trim();
    if (values.email.trim().toLowerCase() !== user.email) body.email = values.email.trim();
    if (Object.keys(body).length === 0) return;
    save.mutate(body);
  };

  const server = fieldErrors(save.error);
  const emailChanged = save.isSuccess && save.variables?.email !== undefined;
  return (
    <section className="card" aria-labelledby="profile-h">
      <h2 id="profile-h">Profile</h2>
      {save.isSuccess && (
        <Alert tone="success">
          Profile saved.{emailChanged && ' We sent a verification link to your new address.'}
        </Alert>
      )}
      {save.isError && <Alert tone="error">{errorMessage(save.error)}</Alert>}
      <form onSubmit={onSubmit} noValidate>
        <Field
          label="Username"
          name="username"
          autoComplete="username"
          value={values.username}
          onChange={(e) => setValues({ ...values, username: e.target.value })}
          error={errors.username ?? server.username}
        />
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          value={values.email}
          onChange={(e) => setValues({ ...values, email: e.target.value })}
          error={errors.email ?? server.email}
          hint="Changing it sends a new verification link."
        />
        <p className="muted small">
          Role: <strong>{user.role}</strong> · Email {user.is_verified ? 'verified' : 'not verified'}
        </p>
        <Button type="submit" busy={save.isPending}>
          Save profile
        </Button>
      </form>
    </section>
  );
}
