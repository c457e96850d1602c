import { useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { errorMessage, toApiError } from '../../api/errors';
import { queryKeys } from '../../api/queryKeys';
import type { Customer, FeedbackResponse } from '../../api/types';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Pagination } from '../../components/Pagination';
import { Spinner } from '../../components/Spinner';
import { formatDate, formatFeedbackDate, formatNumber } from '../../lib/format';
import { onlyResponseReason } from '../../lib/responses';
import { useWorkspace } from '../../workspace/context';
import { CustomerDialog } from './CustomerDialog';
import { DeleteCustomerDialog } from './DeleteCustomerDialog';
import { ResponseDialog } from './ResponseDialog';
import { ResponseTimeline } from './ResponseTimeline';
import { Stars } from './SentimentBadge';

const PER_PAGE = 20;

function BackLink() {
  const { path } = useWorkspace();
  return (
    <p className="back-link">
      <Link to={path('customers')}>← Back to the list</Link>
    </p>
  );
}

function Details({ customer }: { customer: Customer }) {
  return (
    <section className="card" aria-labelledby="details-h">
      <h2 id="details-h">Details</h2>
      <dl className="facts">
        <dt>Email</dt>
        <dd>{customer.email}</dd>
        <dt>Latest score</dt>
        <dd>
          <Stars score={customer.satisfaction_score} /> <span className="muted small">on {formatFeedbackDate(customer.feedback_at)}</span>
        </dd>
        <dt>Responses</dt>
        <dd>{formatNumber(customer.response_count)}</dd>
        <dt>Customer since</dt>
        <dd>{formatDate(customer.created_at)}</dd>
        <dt>Feedback emails</dt>
        <dd data-testid="subscription">
          {customer.unsubscribed ? (
            <>
              <span className="badge badge-amber">unsubscribed</span>{' '}
              <span className="small">{customer.name} asked not to get feedback emails: surveys skip them.</span>
            </>
          ) : (
            <span className="small">Subscribed: surveys may ask them for feedback.</span>
          )}
        </dd>
      </dl>
    </section>
  );
}

/** The responses of one customer, newest first, with add / correct / delete for members. */
function Responses({ customer }: { customer: Customer }) {
  const { wid, responses, can } = useWorkspace();
  const qc = useQueryClient();
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<FeedbackResponse | 'new' | null>(null);
  const [deleting, setDeleting] = useState<FeedbackResponse | null>(null);
  const [notice, setNotice] = useState<string>();
  const list = useQuery({
    queryKey: queryKeys.responsePage(wid, customer.id, page),
    queryFn: () => responses.list(customer.id, { page, per_page: PER_PAGE }),
    placeholderData: keepPreviousData,
  });
  const remove = useMutation({
    mutationFn: (r: FeedbackResponse) => responses.remove(r.id),
    onSuccess: () => {
      setDeleting(null);
      setNotice('The response was deleted.');
      qc.invalidateQueries({ queryKey: queryKeys.customers(wid) });
      qc.invalidateQueries({ queryKey: queryKeys.analytics(wid) });
    },
  });

  const total = list.data?.total ?? customer.response_count;
  const blocked = onlyResponseReason(total, customer.name);

  return (
    <section className="card" aria-labelledby="responses-h">
      <div className="card-head">
        <h2 id="responses-h">
          Responses <span className="muted">({formatNumber(total)})</span>
        </h2>
        {can.write && <Button onClick={() => setEditing('new')}>Add a response</Button>}
      </div>
      {notice && <Alert tone="success">{notice}</Alert>}
      {list.isPending && <Spinner label="Loading the responses" />}
      {list.isError && <Alert tone="error">{errorMessage(list.error)}</Alert>}
      {list.data && list.data.items.length === 0 && <p className="muted">No responses on this page.</p>}
      {list.data && list.data.items.length > 0 && (
        <div className={list.isPlaceholderData ? 'is-stale' : undefined}>
          <ResponseTimeline
            items={list.data.items}
            onCorrect={can.write ? (r) => setEditing(r) : undefined}
            onDelete={
              can.write
                ? (r) => {
                    remove.reset();
                    setDeleting(r);
                  }
                : undefined
            }
            deleteBlocked={blocked}
          />
          {list.data.total > PER_PAGE && <Pagination page={page} perPage={PER_PAGE} total={list.data.total} onPage={setPage} />}
        </div>
      )}

      {editing && (
        <ResponseDialog
          customer={customer}
          response={editing === 'new' ? undefined : editing}
          onClose={(saved) => {
            if (saved) setNotice(editing === 'new' ? 'The response was added.' : 'The response was corrected.');
            if (saved && editing === 'new') setPage(1);
            setEditing(null);
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title="Delete this response?"
          confirmLabel="Delete response"
          busy={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate(deleting)}
          onCancel={() => setDeleting(null)}
        >
          <p>
            The {deleting.satisfaction_score}/5 response of {formatFeedbackDate(deleting.feedback_at)} is removed from{' '}
            {customer.name}’s history and from the analytics. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

/** `/w/{slug}/customers/{id}`: one customer, their details and their feedback history. */
export function CustomerPage() {
  const { id = '' } = useParams();
  const customerId = Number(id);
  const valid = /^\d+$/.test(id) && customerId > 0;
  const { wid, customers, can, path } = useWorkspace();
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [notice, setNotice] = useState<string>();
  const customer = useQuery({
    queryKey: queryKeys.customer(wid, customerId),
    queryFn: () => customers.get(customerId),
    enabled: valid,
  });

  if (!valid || (customer.isError && toApiError(customer.error).status === 404)) {
    return (
      <div className="page page-narrow">
        <BackLink />
        <h1>Customer not found</h1>
        <p className="muted">This customer does not exist in this workspace, or was deleted.</p>
      </div>
    );
  }
  if (customer.isPending) return <Spinner label="Loading the customer" />;
  if (customer.isError) {
    return (
      <div className="page page-narrow">
        <BackLink />
        <Alert tone="error">{errorMessage(customer.error)}</Alert>
      </div>
    );
  }

  const c = customer.data;
  return (
    <div className="page page-narrow">
      <BackLink />
      <div className="page-head page-head-row">
        <div>
          <h1>
            {c.name}
            {c.unsubscribed && <span className="badge badge-amber">unsubscribed</span>}
          </h1>
          <p className="muted">{c.email}</p>
        </div>
        {can.write && (
          <div className="page-actions">
            <Button variant="secondary" onClick={() => setEditing(true)}>
              Edit details
            </Button>
            <Button variant="danger" onClick={() => setDeleting(true)}>
              Delete customer
            </Button>
          </div>
        )}
      </div>
      {notice && <Alert tone="success">{notice}</Alert>}
      <Details customer={c} />
      <Responses customer={c} />

      {editing && (
        <CustomerDialog
          customer={c}
          onClose={(saved) => {
            if (saved) setNotice(`${saved.name} was updated.`);
            setEditing(false);
          }}
        />
      )}
      {deleting && (
        <DeleteCustomerDialog
          customer={c}
          onClose={(deleted) => {
            setDeleting(false);
            if (deleted) navigate(path('customers'), { replace: true, state: { message: `${c.name} was deleted.` } });
          }}
        />
      )}
    </div>
  );
}
