import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { errorMessage } from '../../api/errors';
import { queryKeys } from '../../api/queryKeys';
import { Alert } from '../../components/Alert';
import { Spinner } from '../../components/Spinner';
import { formatNumber } from '../../lib/format';
import { useWorkspace } from '../../workspace/context';
import { ResponseTimeline } from '../customers/ResponseTimeline';

/** The customer page's first page of responses: the same query, so they share the cache. */
const PER_PAGE = 20;

/** A customer's latest responses, newest first, the follow-up's own one marked. */
export function CustomerHistory({ customer, responseId }: { customer: { id: number; name: string }; responseId: number }) {
  const { wid, responses, path } = useWorkspace();
  const list = useQuery({
    queryKey: queryKeys.responsePage(wid, customer.id, 1),
    queryFn: () => responses.list(customer.id, { page: 1, per_page: PER_PAGE }),
  });
  return (
    <section aria-labelledby="history-h" className="followup-history">
      <h3 id="history-h">{customer.name}’s responses</h3>
      {list.isPending && <Spinner label="Loading the responses" />}
      {list.isError && <Alert tone="error">{errorMessage(list.error)}</Alert>}
      {list.data && list.data.items.length === 0 && <p className="muted">No responses.</p>}
      {list.data && list.data.items.length > 0 && (
        <>
          <ResponseTimeline items={list.data.items} highlight={{ id: responseId, label: 'this follow-up' }} />
          {list.data.total > PER_PAGE && (
            <p className="small">
              <Link to={path(`customers/${customer.id}`)}>All {formatNumber(list.data.total)} responses</Link>
            </p>
          )}
        </>
      )}
    </section>
  );
}
