import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { auditApi } from '../../api/audit';
import { errorMessage } from '../../api/errors';
import { queryKeys } from '../../api/queryKeys';
import { membersApi } from '../../api/workspaces';
import { Alert } from '../../components/Alert';
import { EmptyState } from '../../components/EmptyState';
import { Pagination } from '../../components/Pagination';
import { Spinner } from '../../components/Spinner';
import { actorName, actorTypeLabel, AUDIT_PER_PAGE, auditQuery, compactJson, targetText } from '../../lib/audit';
import { patchParams } from '../../lib/filters';
import { formatDateTime, formatNumber } from '../../lib/format';
import { useWorkspace } from '../../workspace/context';
import { AuditFilters, type AuditFilterValues } from './AuditFilters';

/** `/w/{slug}/audit` (admins and owners): who did what in the workspace, newest first. */
export function AuditLogPage() {
  const { wid, workspace } = useWorkspace();
  const [params, setParams] = useSearchParams();
  const query = auditQuery(params);
  const page = query.page ?? 1;
  const values: AuditFilterValues = {
    action: query.action ?? '',
    actor: query.actor_id ? String(query.actor_id) : '',
    from: query.from ?? '',
    to: query.to ?? '',
  };
  const members = useQuery({ queryKey: queryKeys.members(wid), queryFn: () => membersApi.list(wid) });
  const log = useQuery({
    queryKey: queryKeys.audit(wid, query),
    queryFn: () => auditApi.list(wid, query),
    placeholderData: keepPreviousData,
  });
  const filtered = Boolean(values.action || values.actor || values.from || values.to);

  return (
    <div className="page">
      <div className="page-head">
        <h1>Audit log</h1>
        <p className="muted">
          Who changed what in {workspace.name}: members, invitations, settings, keys, webhooks, imports, exports, deletions and
          surveys. Entries are never changed or deleted.
        </p>
      </div>
      <AuditFilters
        values={values}
        members={members.data ?? []}
        onChange={(patch) => setParams((p) => patchParams(p, patch), { replace: true })}
        onClear={() => setParams(new URLSearchParams(), { replace: true })}
      />
      {log.isPending && <Spinner label="Loading the audit log" />}
      {log.isError && <Alert tone="error">{errorMessage(log.error)}</Alert>}
      {log.data && (
        <p className="muted small" role="status">
          {formatNumber(log.data.total)} {log.data.total === 1 ? 'entry' : 'entries'}
          {filtered ? ' match these filters' : ''}
        </p>
      )}
      {log.data && log.data.total === 0 && (
        <EmptyState title={filtered ? 'No entries match these filters' : 'Nothing recorded yet'}>
          {filtered ? 'Widen the dates or choose “Any action” and “Anyone”.' : 'Changes by admins, imports and exports will be listed here.'}
        </EmptyState>
      )}
      {log.data && log.data.items.length > 0 && (
        <>
          <div className={`table-wrap${log.isPlaceholderData ? ' is-stale' : ''}`}>
            <table className="table table-cards" aria-label="Audit log">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Action</th>
                  <th scope="col">Target</th>
                  <th scope="col">IP</th>
                  <th scope="col">Detail</th>
                </tr>
              </thead>
              <tbody>
                {log.data.items.map((e) => (
                  <tr key={e.id} data-testid="audit-entry">
                    <td className="cell-name nowrap">
                      <time dateTime={e.at}>{formatDateTime(e.at)}</time>
                    </td>
                    <td data-label="Actor">
                      {actorName(e)} <span className="badge">{actorTypeLabel(e.actor.type)}</span>
                    </td>
                    <td data-label="Action">
                      <code>{e.action}</code>
                    </td>
                    <td data-label="Target">{targetText(e)}</td>
                    <td data-label="IP" className="nowrap">
                      {e.ip ?? '—'}
                    </td>
                    <td data-label="Detail" className="audit-detail">
                      <code>{compactJson(e.detail)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {log.data.total > AUDIT_PER_PAGE && (
            <Pagination
              page={page}
              perPage={AUDIT_PER_PAGE}
              total={log.data.total}
              onPage={(p) => setParams((prev) => patchParams(prev, { page: p }))}
            />
          )}
        </>
      )}
    </div>
  );
}
