import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { errorMessage } from '../../api/errors';
import { queryKeys } from '../../api/queryKeys';
import type { Webhook } from '../../api/types';
import { webhooksApi } from '../../api/webhooks';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { Pagination } from '../../components/Pagination';
import { Spinner } from '../../components/Spinner';
import { formatDateTime } from '../../lib/format';
import { anyPending, DELIVERY_BADGES, DELIVERY_REFRESH_MS } from '../../lib/webhooks';
import { useWorkspace } from '../../workspace/context';

const PER_PAGE = 20;

/** The events sent to one webhook, newest first; refreshes itself while any is pending. */
export function DeliveryLog({ webhook }: { webhook: Webhook }) {
  const { wid } = useWorkspace();
  const [page, setPage] = useState(1);
  const list = useQuery({
    queryKey: queryKeys.deliveryPage(wid, webhook.id, page),
    queryFn: () => webhooksApi.deliveries(wid, webhook.id, { page, per_page: PER_PAGE }),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data && anyPending(q.state.data.items) ? DELIVERY_REFRESH_MS : false),
  });
  const pending = list.data ? anyPending(list.data.items) : false;
  return (
    <section className="delivery-log" aria-label={`Deliveries to ${webhook.url}`}>
      <div className="card-head">
        <h3>Deliveries</h3>
        <Button variant="ghost" busy={list.isFetching && !list.isPending} onClick={() => void list.refetch()}>
          Refresh
        </Button>
      </div>
      {list.isPending && <Spinner label="Loading the deliveries" />}
      {list.isError && <Alert tone="error">{errorMessage(list.error)}</Alert>}
      <p className="muted small" role="status">
        {pending ? 'Some deliveries are pending: this list refreshes every 5 seconds.' : ''}
      </p>
      {list.data && list.data.total === 0 && <p className="muted">Nothing was sent to this webhook yet. “Send test” sends a ping.</p>}
      {list.data && list.data.items.length > 0 && (
        <>
          <div className={`table-wrap${list.isPlaceholderData ? ' is-stale' : ''}`}>
            <table className="table table-compact table-cards" aria-label="Deliveries">
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Last status code</th>
                  <th scope="col">Last error</th>
                  <th scope="col">Created</th>
                  <th scope="col">Next attempt</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((d) => (
                  <tr key={d.id} data-testid="delivery">
                    <td className="cell-name">
                      <code>{d.event}</code>
                    </td>
                    <td data-label="Status">
                      <span className={`badge ${DELIVERY_BADGES[d.status] ?? ''}`}>{d.status}</span>
                    </td>
                    <td data-label="Attempts">{d.attempts}</td>
                    <td data-label="Last status code">{d.last_status_code ?? '—'}</td>
                    <td data-label="Last error" className="cell-break">
                      {d.last_error ?? '—'}
                    </td>
                    <td data-label="Created" className="nowrap">
                      {formatDateTime(d.created_at)}
                    </td>
                    <td data-label="Next attempt" className="nowrap">
                      {d.next_attempt_at ? formatDateTime(d.next_attempt_at) : '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {list.data.total > PER_PAGE && <Pagination page={page} perPage={PER_PAGE} total={list.data.total} onPage={setPage} />}
        </>
      )}
    </section>
  );
}
