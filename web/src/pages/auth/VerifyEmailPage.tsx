import { useEffect, useRef } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { authApi } from '../../api/endpoints';
import { errorMessage } from '../../api/errors';
import { queryKeys } from '../../api/queryKeys';
import { useMe } from '../../auth/session';
import { Alert } from '../../components/Alert';
import { AuthCard } from '../../components/AuthCard';
import { Spinner } from '../../components/Spinner';

/** Landing page of the emailed verification link. */
export function VerifyEmailPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const qc = useQueryClient();
  const me = useMe();
  const verify = useMutation({
    mutationFn: authApi.verifyEmail,
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.me }),
  });
  const started = useRef(false);
  const { mutate } = verify;

  useEffect(() => {
    // Run once, even under StrictMode's double effects.
    if (!token || started.current) return;
    started.current = true;
    mutate(token);
  }, [token, mutate]);

  const loggedIn = Boolean(me.data);
  return (
    <AuthCard title="Email verification">
      {!token && <Alert tone="error">This link has no token. Open the link from the email again.</Alert>}
      {verify.isPending && <Spinner label="Verifying your email" />}
      {verify.isSuccess && (
        <>
          <Alert tone="success" title="Email verified">
            Thanks, {verify.data.user.username}. Your address is confirmed.
          </Alert>
          <p>
            {loggedIn ? (
              <Link className="btn btn-primary" to="/">
                Go to the dashboard
              </Link>
            ) : (
              <Link className="btn btn-primary" to="/login">
                Log in
              </Link>
            )}
          </p>
        </>
      )}
      {verify.isError && (
        <>
          <Alert tone="error">{errorMessage(verify.error)}</Alert>
          <p>
            {loggedIn ? (
              <>Use “Resend email” in the banner at the top of the dashboard to get a new link.</>
            ) : (
              <>
                <Link to="/login">Log in</Link> to get a new verification link.
              </>
            )}
          </p>
        </>
      )}
    </AuthCard>
  );
}
