import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { authApi } from '../../api/endpoints';
import { errorMessage, fieldErrors, toApiError } from '../../api/errors';
import { Alert } from '../../components/Alert';
import { AuthCard } from '../../components/AuthCard';
import { Button } from '../../components/Button';
import { Field } from '../../components/Field';
import { hasErrors, validateSignup, type Errors } from '../../lib/validation';

type Key = 'username' | 'email' | 'password' | 'confirm';

export function SignupPage() {
  const [values, setValues] = useState<Record<Key, string>>({ username: '', email: '', password: '', confirm: '' });
  const [errors, setErrors] = useState<Errors<Key>>({});
  const navigate = useNavigate();
  const signup = useMutation({
    mutationFn: authApi.signup,
    onSuccess: (_res, vars) => navigate(`/check-email?email=${encodeURIComponent(vars.email)}`),
  });

  const set = (k: Key) => (e: { target: { value: string } }) => setValues({ ...values, [k]: e.target.value });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const errs = validateSignup(values);
    setErrors(errs);
    if (hasErrors(errs)) return;
    signup.mutate({ username: values.username.trim(), email: values.email.trim(), password: values.password });
  };

  const server = fieldErrors(signup.error);
  const err = (k: Key) => errors[k] ?? server[k];
  // SIGNUP_MODE=invite: accounts are made from an invitation's link only.
  if (signup.isError && toApiError(signup.error).code === 'signup_closed') {
    return (
      <AuthCard
        title="Sign-up is by invitation"
        footer={
          <p>
            Already have an account? <Link to="/login">Log in</Link>
          </p>
        }
      >
        <Alert tone="info" title="You need an invitation to create an account here">
          Ask an admin of the workspace you want to join to invite {values.email.trim() || 'your email address'}. The
          invitation email has a link that lets you create your account and join in one step.
        </Alert>
        <Button variant="secondary" className="btn-block" onClick={() => signup.reset()}>
          Back to the sign-up form
        </Button>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title="Create your account"
      subtitle="Start turning feedback into answers."
      footer={
        <p>
          Already have an account? <Link to="/login">Log in</Link>
        </p>
      }
    >
      {signup.isError && <Alert tone="error">{errorMessage(signup.error)}</Alert>}
      <form onSubmit={onSubmit} noValidate>
        <Field
          label="Username"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          value={values.username}
          onChange={set('username')}
          error={err('username')}
          hint="3–32 letters, digits, dots, dashes or underscores."
          autoFocus
        />
        <Field label="Email" name="email" type="email" autoComplete="email" value={values.email} onChange={set('email')} error={err('email')} />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          value={values.password}
          onChange={set('password')}
          error={err('password')}
          hint="At least 8 characters. Long and memorable beats short and complex."
        />
        <Field
          label="Confirm password"
          name="confirm"
          type="password"
          autoComplete="new-password"
          value={values.confirm}
          onChange={set('confirm')}
          error={err('confirm')}
        />
        <Button type="submit" className="btn-block" busy={signup.isPending}>
          Create account
        </Button>
      </form>
    </AuthCard>
  );
}
