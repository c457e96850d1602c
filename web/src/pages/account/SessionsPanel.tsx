import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { authApi } from '../../api/endpoints';
import { errorMessage } from '../../api/errors';
import { queryKeys } from '../../api/queryKeys';
import { useEndSession } from '../../auth/session';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { Spinner } from '../../components/Spinner';
import { describeUserAgent, formatDateTime } from '../../lib/format';

export function SessionsPanel() {
  const qc = useQueryClient();
  const endSession = useEndSession();
  const sessions = useQuery({ queryKey: queryKeys.sessions, queryFn: authApi.sessions });
  const revoke = useMutation({
    mutationFn: authApi.revokeSession,
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.sessions }),
  });
  const logoutAll = useMutation({
    mutationFn: authApi.logoutAll,
    onSuccess: () => endSession('You have been logged out on every device.'),
  });

  return (
    <section className="card" aria-labelledby="sessions-h">
      <div className="card-head">
        <h2 id="sessions-h">Active sessions</h2>
        <Button variant="danger" busy={logoutAll.isPending} onClick={() => logoutAll.mutate()}>
          Log out everywhere
        </Button>
      </div>
      {logoutAll.isError && <Alert tone="error">{errorMessage(logoutAll.error)}</Alert>}
      {revoke.isError && <Alert tone="error">{errorMessage(revoke.error)}</Alert>}
      {sessions.isPending && <Spinner label="Loading sessions" />}
      {sessions.isError && <Alert tone="error">{errorMessage(sessions.error)}</Alert>}
      {sessions.data && (
        <ul className="session-list">
          {sessions.data.items.map((s) => (
            <li key={s.id} className="session">
              <div>
                <strong>{describeUserAgent(s.user_agent)}</strong>
                {s.current && <span className="badge badge-green">This device</span>}
                <div className="muted small">
                  {s.ip ?? 'unknown IP'} · signed in {formatDateTime(s.created_at)} · last active {formatDateTime(s.last_used_at)}
                </div>
              </div>
              {!s.current && (
                <Button
                  variant="secondary"
                  busy={revoke.isPending && revoke.variables === s.id}
                  onClick={() => revoke.mutate(s.id)}
                  aria-label={`Revoke session ${describeUserAgent(s.user_agent)} from ${s.ip ?? 'unknown IP'}`}
                >
                  Revoke
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
