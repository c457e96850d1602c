import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { errorMessage } from '../../api/errors';
import { queryKeys } from '../../api/queryKeys';
import type { FollowUp } from '../../api/types';
import { Alert } from '../../components/Alert';
import { EmptyState } from '../../components/EmptyState';
import { Pagination } from '../../components/Pagination';
import { Spinner } from '../../components/Spinner';
import { formatNumber } from '../../lib/format';
import { emptyText, INBOX_PANEL_ID, inboxQuery, inboxTabId, readView, type InboxView } from '../../lib/followUps';
import { useWorkspace } from '../../workspace/context';
import { FollowUpCard } from './FollowUpCard';
import { FollowUpDetail } from './FollowUpDetail';
import { InboxTabs } from './InboxTabs';

const PER_PAGE = 20;

function countText(total: number, view: InboxView): string {
  const noun = total === 1 ? 'follow-up' : 'follow-ups';
  if (view === 'mine') return `${formatNumber(total)} open ${noun} assigned to you`;
  if (view === 'open') return `${formatNumber(total)} open ${noun}`;
  return `${formatNumber(total)} ${noun}`;
}

/**
 * `/w/{slug}/follow-ups`: the low scores to get back to customers about. `?view=mine|open|all`
 * picks the list, `?id=` the follow-up shown beside it (a link from an alert email lands on it).
 */
export function FollowUpsPage() {
  const { wid, workspace, followUps, can } = useWorkspace();
  const [params, setParams] = useSearchParams();
  const view = readView(params.get('view'));
  const page = Math.max(1, Number(params.get('page')) || 1);
  const selectedId = Number(params.get('id')) || undefined;
  // The selected follow-up as last seen: it stays shown after closing it drops it from "Open".
  const [snapshot, setSnapshot] = useState<FollowUp>();
  const [focusDetail, setFocusDetail] = useState(false);

  const list = useQuery({
    queryKey: queryKeys.followUpPage(wid, view, page),
    queryFn: () => followUps.list({ ...inboxQuery(view), page, per_page: PER_PAGE }),
    placeholderData: keepPreviousData,
  });
  const items = list.data?.items ?? [];
  const selected = items.find((f) => f.id === selectedId) ?? (snapshot?.id === selectedId ? snapshot : undefined);

  const setParam = (patch: Record<string, string | undefined>) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      for (const [k, v] of Object.entries(patch)) {
        if (v === undefined) next.delete(k);
        else next.set(k, v);
      }
      return next;
    });

  const select = (f: FollowUp) => {
    setSnapshot(f);
    setFocusDetail(true);
    setParam({ id: selectedId === f.id ? undefined : String(f.id) });
  };

  const empty = emptyText(view, workspace.settings.low_score_threshold);
  return (
    <div className="page">
      <div className="page-head">
        <h1>Follow-ups</h1>
        <p className="muted">
          Every response scoring {workspace.settings.low_score_threshold === 1 ? '1' : `${workspace.settings.low_score_threshold} or lower`}{' '}
          opens a follow-up, so someone gets back to the customer.{' '}
          {can.workFollowUps ? 'Assign it, note what was done, and close it.' : 'Members and admins work on them.'}
        </p>
      </div>
      <InboxTabs view={view} onChange={(v) => setParam({ view: v === 'open' ? undefined : v, page: undefined, id: undefined })} />
      <div className={`inbox${selected ? ' has-selection' : ''}`}>
        <div role="tabpanel" id={INBOX_PANEL_ID} aria-labelledby={inboxTabId(view)} className="inbox-list">
          {list.isPending && <Spinner label="Loading the follow-ups" />}
          {list.isError && <Alert tone="error">{errorMessage(list.error)}</Alert>}
          {list.data && (
            <p className="muted small" role="status">
              {countText(list.data.total, view)}
            </p>
          )}
          {list.data && list.data.total === 0 && <EmptyState title={empty.title}>{empty.body}</EmptyState>}
          {items.length > 0 && (
            <>
              <ul className={`followup-list${list.isPlaceholderData ? ' is-stale' : ''}`} aria-label="Follow-ups">
                {items.map((f) => (
                  <FollowUpCard key={f.id} followUp={f} selected={f.id === selectedId} onSelect={() => select(f)} />
                ))}
              </ul>
              {list.data && list.data.total > PER_PAGE && (
                <Pagination page={page} perPage={PER_PAGE} total={list.data.total} onPage={(p) => setParam({ page: String(p) })} />
              )}
            </>
          )}
        </div>
        <div className="inbox-detail">
          {selected ? (
            <FollowUpDetail
              key={selected.id}
              followUp={selected}
              focusOnMount={focusDetail}
              onChanged={setSnapshot}
              onClose={() => setParam({ id: undefined })}
            />
          ) : (
            items.length > 0 && <p className="muted inbox-hint">Choose “Details” on a follow-up to work on it and see the customer’s history.</p>
          )}
        </div>
      </div>
    </div>
  );
}
