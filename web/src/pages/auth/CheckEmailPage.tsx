import { useMutation } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { authApi } from '../../api/endpoints';
import { errorMessage } from '../../api/errors';
import { Alert } from '../../components/Alert';
import { AuthCard } from '../../components/AuthCard';
import { Button } from '../../components/Button';

/** After signup (or forgot-password): tell people where to look next. */
export function CheckEmailPage() {
  const [params] = useSearchParams();
  const email = params.get('email') ?? '';
  const purpose = params.get('for') === 'reset' ? 'reset' : 'verify';
  const resend = useMutation({
    mutationFn: () => (purpose === 'reset' ? authApi.forgotPassword(email) : authApi.resendVerification(email)),
  });
  return (
    <AuthCard
      title="Check your email"
      footer={
        <p>
          <Link to="/login">Back to log in</Link>
        </p>
      }
    >
      <p>
        {purpose === 'reset' ? 'If an account uses ' : 'We sent a link to '}
        <strong>{email || 'your address'}</strong>
        {purpose === 'reset'
          ? ', we sent it a link to choose a new password. The link works for 30 minutes.'
          : '. Open it to verify your address, then log in.'}
      </p>
      <p className="muted">Nothing after a few minutes? Look in your spam folder, or send it again.</p>
      {resend.isSuccess && <Alert tone="success">Sent again. It can take a minute to arrive.</Alert>}
      {resend.isError && <Alert tone="error">{errorMessage(resend.error)}</Alert>}
      {email && (
        <Button variant="secondary" busy={resend.isPending} disabled={resend.isSuccess} onClick={() => resend.mutate()}>
          Resend email
        </Button>
      )}
    </AuthCard>
  );
}
