import { useMutation } from '@tanstack/react-query';
import { authApi } from '../api/endpoints';
import { errorMessage } from '../api/errors';
import type { UserRead } from '../api/types';
import { Button } from './Button';

/** Shown to logged-in users whose email is not verified yet. */
export function VerifyBanner({ user }: { user: UserRead }) {
  const resend = useMutation({ mutationFn: () => authApi.resendVerification(user.email) });
  return (
    <div className="banner banner-warning" role="region" aria-label="Email verification">
      <p>
        <strong>Verify your email.</strong> We sent a link to <strong>{user.email}</strong>. Customer data stays hidden until
        you open it.
      </p>
      {resend.isSuccess ? (
        <p role="status">Sent! Check your inbox (and the spam folder).</p>
      ) : (
        <Button variant="secondary" busy={resend.isPending} onClick={() => resend.mutate()}>
          Resend email
        </Button>
      )}
      {resend.isError && <p role="alert">{errorMessage(resend.error)}</p>}
    </div>
  );
}
