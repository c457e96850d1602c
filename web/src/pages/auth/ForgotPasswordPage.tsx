import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { authApi } from '../../api/endpoints';
import { errorMessage, fieldErrors } from '../../api/errors';
import { Alert } from '../../components/Alert';
import { AuthCard } from '../../components/AuthCard';
import { Button } from '../../components/Button';
import { Field } from '../../components/Field';
import { validateEmail } from '../../lib/validation';

export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string>();
  const navigate = useNavigate();
  const forgot = useMutation({
    mutationFn: authApi.forgotPassword,
    onSuccess: (_r, sent) => navigate(`/check-email?for=reset&email=${encodeURIComponent(sent)}`),
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const err = validateEmail(email);
    setError(err);
    if (!err) forgot.mutate(email.trim());
  };

  return (
    <AuthCard
      title="Forgot your password?"
      subtitle="Enter your account's email and we'll send you a link to choose a new one."
      footer={
        <p>
          Remembered it? <Link to="/login">Log in</Link>
        </p>
      }
    >
      {forgot.isError && <Alert tone="error">{errorMessage(forgot.error)}</Alert>}
      <form onSubmit={onSubmit} noValidate>
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={error ?? fieldErrors(forgot.error).email}
          autoFocus
        />
        <Button type="submit" className="btn-block" busy={forgot.isPending}>
          Send reset link
        </Button>
      </form>
    </AuthCard>
  );
}
