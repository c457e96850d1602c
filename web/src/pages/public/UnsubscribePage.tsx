import { useMutation } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { errorMessage, toApiError } from '../../api/errors';
import { publicApi } from '../../api/public';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { PublicNotice, PublicShell, StepHeading } from './PublicShell';

/**
 * `/unsubscribe/{token}`: one button. Opening the page changes nothing (mail scanners open
 * every link); only the button unsubscribes. Mail programs use the one-click header instead.
 */
export function UnsubscribePage() {
  const { token = '' } = useParams();
  const unsubscribe = useMutation({ mutationFn: () => publicApi.unsubscribe(token) });

  if (token === '' || (unsubscribe.isError && toApiError(unsubscribe.error).status === 404)) {
    return <PublicNotice title="This link has expired or is not valid">Links in feedback emails work for a limited time.</PublicNotice>;
  }

  return (
    <PublicShell title="Unsubscribe from feedback emails">
      <p className="sr-only" role="status" aria-live="polite">
        {unsubscribe.isSuccess ? 'You are unsubscribed.' : ''}
      </p>
      {unsubscribe.isSuccess ? (
        <>
          <StepHeading focus>You are unsubscribed</StepHeading>
          <p>You will not get emails asking for your feedback any more.</p>
        </>
      ) : (
        <>
          <StepHeading>Unsubscribe from feedback emails</StepHeading>
          <p>Stop the emails that ask how your experience was. Nothing else changes.</p>
          {unsubscribe.isError && <Alert tone="error">{errorMessage(unsubscribe.error)}</Alert>}
          <div className="public-actions">
            <Button variant="primary" className="btn-large" busy={unsubscribe.isPending} onClick={() => unsubscribe.mutate()}>
              Unsubscribe
            </Button>
          </div>
        </>
      )}
    </PublicShell>
  );
}
