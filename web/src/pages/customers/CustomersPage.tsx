import { useEffect, useRef, useState } from 'react';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { errorMessage, toApiError } from '../../api/errors';
import { queryKeys } from '../../api/queryKeys';
import type { Customer } from '../../api/types';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { EmptyState } from '../../components/EmptyState';
import { FilterBar } from '../../components/FilterBar';
import { Pagination } from '../../components/Pagination';
import { Spinner } from '../../components/Spinner';
import { saveBlob } from '../../lib/download';
import { hasActiveFilters } from '../../lib/filters';
import { formatDate } from '../../lib/format';
import { useFilters } from '../../lib/useFilters';
import { useWorkspace } from '../../workspace/context';
import { AskFeedbackDialog } from './AskFeedbackDialog';
import { CustomerDialog } from './CustomerDialog';
import { DeleteCustomerDialog } from './DeleteCustomerDialog';
import { SentimentBadge, Stars } from './SentimentBadge';

const PER_PAGE = 25;
const NONE: ReadonlySet<number> = new Set();

type SortKey = 'name' | 'satisfaction_score' | 'feedback_at';

function SortHeader({ label, field, sort, onSort }: { label: string; field: SortKey; sort: string; onSort: (s: string) => void }) {
  const active = sort.replace(/^-/, '') === field;
  const desc = sort.startsWith('-');
  const ariaSort = active ? (desc ? 'descending' : 'ascending') : 'none';
  return (
    <th scope="col" aria-sort={ariaSort}>
      <button type="button" className="sort-btn" onClick={() => onSort(active && !desc ? `-${field}` : field)}>
        {label}
        <span aria-hidden="true" className="sort-icon">
          {active ? (desc ? '▼' : '▲') : '↕'}
        </span>
      </button>
    </th>
  );
}

function SearchBox({ value, onChange }: { value: string; onChange: (q: string) => void }) {
  // What was typed, shown while the URL holds what it expects: when the URL changes
  // otherwise (e.g. "Clear filters", going back), the URL's search shows instead.
  const [draft, setDraft] = useState({ text: value, expect: value });
  const text = draft.expect === value ? draft.text : value;
  // The typed text goes to the URL once it has stopped changing for a moment, unless the
  // URL changed meanwhile.
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const url = useRef(value);
  useEffect(() => {
    url.current = value;
  });
  useEffect(() => {
    const t = timer;
    return () => clearTimeout(t.current);
  }, []);
  const type = (next: string) => {
    const over = value;
    setDraft({ text: next, expect: over });
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const q = next.trim();
      if (url.current !== over || q === over) return;
      setDraft({ text: next, expect: q });
      onChange(q);
    }, 300);
  };
  return (
    <div className="field field-inline search-field">
      <label htmlFor="customer-search">Search customers</label>
      <input id="customer-search" type="search" placeholder="Name, email or review text" value={text} onChange={(e) => type(e.target.value)} />
    </div>
  );
}

/** The page's "select all" box: checked, unchecked or (some rows) mixed. */
function SelectAllBox({ ids, selected, onChange }: { ids: number[]; selected: ReadonlySet<number>; onChange: (next: Set<number>) => void }) {
  const ref = useRef<HTMLInputElement>(null);
  const count = ids.filter((id) => selected.has(id)).length;
  const all = ids.length > 0 && count === ids.length;
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = count > 0 && !all;
  }, [count, all]);
  return (
    <input
      ref={ref}
      type="checkbox"
      className="row-check"
      aria-label="Select all on this page"
      checked={all}
      onChange={() => {
        const next = new Set(selected);
        for (const id of ids) {
          if (all) next.delete(id);
          else next.add(id);
        }
        onChange(next);
      }}
    />
  );
}

export function CustomersPage() {
  const { filters, params, update } = useFilters();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const sort = params.get('sort') || '-feedback_at';
  const [editing, setEditing] = useState<Customer | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Customer | null>(null);
  const [notice, setNotice] = useState<string>();
  const [asking, setAsking] = useState(false);
  const { wid, customers, can, path, workspace } = useWorkspace();
  // Customers picked to ask for feedback (across pages), under the filters they were picked
  // with: another filter starts afresh.
  const filterKey = JSON.stringify(filters);
  const [picked, setPicked] = useState(() => ({ filterKey, ids: NONE }));
  const selected = picked.filterKey === filterKey ? picked.ids : NONE;
  const setSelected = (ids: ReadonlySet<number>) => setPicked({ filterKey, ids });
  const toggle = (id: number) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };

  const list = useQuery({
    queryKey: queryKeys.customerList(wid, filters, page, sort),
    queryFn: () => customers.list({ ...filters, page, per_page: PER_PAGE, sort }),
    placeholderData: keepPreviousData,
  });

  const exporter = useMutation({
    mutationFn: () => customers.exportCsv({ ...filters, sort }),
    onSuccess: (blob) => saveBlob(blob, `customers-${new Date().toISOString().slice(0, 10)}.csv`),
  });

  const unverified = list.isError && toApiError(list.error).code === 'email_not_verified';

  return (
    <div className="page">
      <div className="page-head page-head-row">
        <div>
          <h1>Customers</h1>
          <p className="muted">Everyone who gave feedback, with their score and what they said.</p>
        </div>
        <div className="page-actions">
          <Button variant="secondary" busy={exporter.isPending} onClick={() => exporter.mutate()}>
            Export CSV
          </Button>
          {can.write && (
            <>
              <Link className="btn btn-secondary" to={path('customers/import')}>
                Import CSV
              </Link>
              <Button variant="secondary" onClick={() => setAsking(true)} disabled={!list.data || list.data.total === 0}>
                Ask for feedback
              </Button>
              <Button onClick={() => setEditing('new')}>Add customer</Button>
            </>
          )}
        </div>
      </div>

      <SearchBox value={filters.q ?? ''} onChange={(q) => update({ q })} />
      <FilterBar />

      {notice && <Alert tone="success">{notice}</Alert>}
      {can.write && list.data && list.data.total > 0 && (
        <div className="selection-bar">
          <span role="status" className={selected.size > 0 ? undefined : 'muted small'}>
            {selected.size > 0
              ? `${selected.size === 1 ? '1 customer' : `${selected.size.toLocaleString()} customers`} selected: “Ask for feedback” asks only ${selected.size === 1 ? 'them' : 'these'}.`
              : 'Tick customers to ask only them for feedback; with none ticked, “Ask for feedback” asks everyone matching the search and filters.'}
          </span>
          {selected.size > 0 && (
            <Button variant="ghost" onClick={() => setSelected(NONE)}>
              Clear selection
            </Button>
          )}
        </div>
      )}
      {exporter.isError && <Alert tone="error">{errorMessage(exporter.error)}</Alert>}
      {list.isPending && <Spinner label="Loading customers" />}
      {list.isError && <Alert tone={unverified ? 'warning' : 'error'}>{errorMessage(list.error)}</Alert>}
      {list.data && list.data.total === 0 && (
        hasActiveFilters(filters) ? (
          <EmptyState title="No customers match">Try a different search or clear the filters.</EmptyState>
        ) : (
          <EmptyState
            title="No customers yet"
            action={
              can.write ? (
                <>
                  <Link className="btn btn-primary" to={path('customers/import')}>
                    Import a CSV
                  </Link>{' '}
                  <Button variant="secondary" onClick={() => setEditing('new')}>
                    Add one by hand
                  </Button>
                </>
              ) : undefined
            }
          >
            {can.write
              ? 'Import a CSV export from your survey tool to get started.'
              : `Members and admins of ${workspace.name} add customers; they will be listed here.`}
          </EmptyState>
        )
      )}
      {list.data && list.data.items.length > 0 && (
        <>
          <div className={`table-wrap${list.isPlaceholderData ? ' is-stale' : ''}`}>
            <table className="table table-cards" aria-label="Customers">
              <thead>
                <tr>
                  {can.write && (
                    <th scope="col" className="col-check">
                      <SelectAllBox ids={list.data.items.map((c) => c.id)} selected={selected} onChange={setSelected} />
                    </th>
                  )}
                  <SortHeader label="Name" field="name" sort={sort} onSort={(s) => update({ sort: s })} />
                  <SortHeader label="Score" field="satisfaction_score" sort={sort} onSort={(s) => update({ sort: s })} />
                  <th scope="col">Sentiment</th>
                  <th scope="col" className="col-review">
                    Review
                  </th>
                  <SortHeader label="Feedback date" field="feedback_at" sort={sort} onSort={(s) => update({ sort: s })} />
                  {can.write && (
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((c) => (
                  <tr key={c.id} data-testid="customer-row" className={selected.has(c.id) ? 'is-selected' : undefined}>
                    {can.write && (
                      <td className="col-check">
                        <input
                          type="checkbox"
                          className="row-check"
                          aria-label={`Select ${c.name}`}
                          checked={selected.has(c.id)}
                          onChange={() => toggle(c.id)}
                        />
                      </td>
                    )}
                    <td className="cell-name">
                      <Link to={path(`customers/${c.id}`)} className="customer-link">
                        {c.name}
                      </Link>
                      {c.unsubscribed && <span className="badge badge-amber">unsubscribed</span>}
                      <div className="muted small">
                        {c.email}
                        {c.response_count > 1 && <> · {c.response_count.toLocaleString()} responses</>}
                      </div>
                    </td>
                    <td data-label="Score">
                      <Stars score={c.satisfaction_score} />
                    </td>
                    <td data-label="Sentiment">
                      <SentimentBadge score={c.sentiment} cls={c.sentiment_class} />
                    </td>
                    <td className="col-review" data-label="Review">
                      <span className="review-text">{c.review || <span className="muted">—</span>}</span>
                    </td>
                    <td className="nowrap" data-label="Feedback date">
                      {formatDate(c.feedback_at)}
                    </td>
                    {can.write && (
                      <td className="row-actions">
                        <Button variant="ghost" onClick={() => setEditing(c)} aria-label={`Edit ${c.name}`}>
                          Edit
                        </Button>
                        <Button variant="ghost" className="danger-text" onClick={() => setDeleting(c)} aria-label={`Delete ${c.name}`}>
                          Delete
                        </Button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination page={page} perPage={PER_PAGE} total={list.data.total} onPage={(p) => update({ page: p })} />
        </>
      )}

      {editing && (
        <CustomerDialog
          customer={editing === 'new' ? undefined : editing}
          onClose={(saved) => {
            if (saved) setNotice(editing === 'new' ? `${saved.name} was added.` : `${saved.name} was updated.`);
            setEditing(null);
          }}
        />
      )}
      {deleting && (
        <DeleteCustomerDialog
          customer={deleting}
          onClose={(deleted) => {
            if (deleted) {
              setNotice(`${deleting.name} was deleted.`);
              const gone = deleting.id;
              setSelected(new Set([...selected].filter((id) => id !== gone)));
            }
            setDeleting(null);
          }}
        />
      )}
      {asking && (
        <AskFeedbackDialog
          selectedIds={[...selected]}
          filters={filters}
          total={list.data?.total}
          onClose={(sent) => {
            setAsking(false);
            if (sent) setSelected(NONE);
          }}
        />
      )}
    </div>
  );
}
