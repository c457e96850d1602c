import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { errorMessage } from '../../api/errors';
import { queryKeys } from '../../api/queryKeys';
import { Alert } from '../../components/Alert';
import { EmptyState } from '../../components/EmptyState';
import { Pagination } from '../../components/Pagination';
import { Spinner } from '../../components/Spinner';
import { formatDateTime } from '../../lib/format';
import { anySending } from '../../lib/surveys';
import { useWorkspace } from '../../workspace/context';
import { SurveyProgress } from './SurveyProgress';

const PER_PAGE = 20;
/** While emails are still going out, the list refreshes this often. */
export const SENDING_REFRESH_MS = 3000;

/** `/w/{slug}/surveys`: every survey sent from this workspace and how far it got. */
export function SurveysPage() {
  const { wid, surveys, can, path, workspace } = useWorkspace();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const list = useQuery({
    queryKey: queryKeys.surveyPage(wid, page),
    queryFn: () => surveys.list({ page, per_page: PER_PAGE }),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data && anySending(q.state.data.items) ? SENDING_REFRESH_MS : false),
  });

  return (
    <div className="page">
      <div className="page-head page-head-row">
        <div>
          <h1>Surveys</h1>
          <p className="muted">The feedback emails sent from {workspace.name}, newest first, and how many were answered.</p>
        </div>
        {can.write && (
          <div className="page-actions">
            <Link className="btn btn-primary" to={path('customers')}>
              Choose who to ask
            </Link>
          </div>
        )}
      </div>
      {list.isPending && <Spinner label="Loading the surveys" />}
      {list.isError && <Alert tone="error">{errorMessage(list.error)}</Alert>}
      {list.data && list.data.total === 0 && (
        <EmptyState title="No surveys yet">
          {can.write
            ? 'On the Customers page, tick the customers to ask (or filter the list) and choose “Ask for feedback”.'
            : 'Members and admins send surveys from the Customers page; they will be listed here.'}
        </EmptyState>
      )}
      {list.data && list.data.items.length > 0 && (
        <>
          <ul className={`survey-list${list.isPlaceholderData ? ' is-stale' : ''}`} aria-label="Surveys">
            {list.data.items.map((s) => (
              <li key={s.id} className="card survey" data-testid="survey">
                <div className="survey-head">
                  <h2 className="survey-title">
                    <time dateTime={s.created_at}>{formatDateTime(s.created_at)}</time>
                  </h2>
                  <span className="muted small">by {s.created_by?.username ?? 'a former member'}</span>
                </div>
                {s.message ? <p className="survey-message">{s.message}</p> : <p className="muted small">No message.</p>}
                <SurveyProgress survey={s} />
              </li>
            ))}
          </ul>
          <Pagination
            page={page}
            perPage={PER_PAGE}
            total={list.data.total}
            onPage={(p) => setParams((prev) => {
              const next = new URLSearchParams(prev);
              next.set('page', String(p));
              return next;
            })}
          />
        </>
      )}
    </div>
  );
}
