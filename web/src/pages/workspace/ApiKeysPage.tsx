import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiKeysApi } from '../../api/apiKeys';
import { errorMessage } from '../../api/errors';
import { queryKeys } from '../../api/queryKeys';
import type { ApiKey } from '../../api/types';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { Spinner } from '../../components/Spinner';
import { accessOf, ACCESS_LABELS, isExpired } from '../../lib/apiKeys';
import { formatDate, formatDateTime } from '../../lib/format';
import { useWorkspace } from '../../workspace/context';
import { CreateApiKeyDialog } from './CreateApiKeyDialog';

/** `/w/{slug}/api-keys` (admins and owners): the workspace's keys for scripts and tools. */
export function ApiKeysPage() {
  const { wid, workspace } = useWorkspace();
  const qc = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [notice, setNotice] = useState<string>();
  const keys = useQuery({ queryKey: queryKeys.apiKeys(wid), queryFn: () => apiKeysApi.list(wid) });
  const revoke = useMutation({
    mutationFn: (key: ApiKey) => apiKeysApi.revoke(wid, key.id),
    onSuccess: (_r, key) => {
      setRevoking(null);
      setNotice(`The key “${key.name}” was revoked: requests with it are refused from now on.`);
      qc.setQueryData<ApiKey[]>(queryKeys.apiKeys(wid), (old) => old?.filter((k) => k.id !== key.id));
      qc.invalidateQueries({ queryKey: queryKeys.apiKeys(wid) });
    },
  });

  const list = keys.data ?? [];
  const createButton = (
    <Button
      onClick={() => {
        setNotice(undefined);
        setCreating(true);
      }}
    >
      Create API key
    </Button>
  );

  return (
    <div className="page">
      <div className="page-head page-head-row">
        <div>
          <h1>API keys</h1>
          <p className="muted">
            Keys let scripts and other tools read (or change) {workspace.name}’s customers and feedback through the API,
            without anyone’s password. A key works in this workspace only.
          </p>
        </div>
        {list.length > 0 && <div className="page-actions">{createButton}</div>}
      </div>

      {notice && <Alert tone="success">{notice}</Alert>}
      {keys.isPending && <Spinner label="Loading API keys" />}
      {keys.isError && <Alert tone="error">{errorMessage(keys.error)}</Alert>}
      {keys.data && list.length === 0 && (
        <EmptyState title="No API keys yet" action={createButton}>
          Create a key for each script or tool, so you can revoke one without breaking the others.
        </EmptyState>
      )}
      {list.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label="API keys">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Access</th>
                <th scope="col">Created by</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((k) => {
                const access = accessOf(k.scopes);
                const expired = isExpired(k);
                return (
                  <tr key={k.id}>
                    <td>
                      <strong>{k.name}</strong>
                    </td>
                    <td>
                      <code>{k.prefix}…</code>
                    </td>
                    <td>
                      <span className={`badge${access === 'write' ? ' badge-amber' : ''}`}>{ACCESS_LABELS[access]}</span>
                    </td>
                    <td>{k.created_by?.username ?? '—'}</td>
                    <td className="small nowrap">{formatDate(k.created_at)}</td>
                    <td className="small nowrap">{k.last_used_at ? formatDateTime(k.last_used_at) : 'Never'}</td>
                    <td className="small nowrap">
                      {k.expires_at ? formatDate(k.expires_at) : 'Never'}
                      {expired && <span className="badge badge-red">expired</span>}
                    </td>
                    <td className="row-actions">
                      <Button
                        variant="ghost"
                        className="danger-text"
                        onClick={() => {
                          revoke.reset();
                          setNotice(undefined);
                          setRevoking(k);
                        }}
                        aria-label={`Revoke the key ${k.name}`}
                      >
                        Revoke
                      </Button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      {creating && <CreateApiKeyDialog onClose={() => setCreating(false)} />}
      {revoking && (
        <ConfirmDialog
          title={`Revoke “${revoking.name}”?`}
          confirmLabel="Revoke key"
          busy={revoke.isPending}
          error={revoke.error}
          onConfirm={() => revoke.mutate(revoking)}
          onCancel={() => setRevoking(null)}
        >
          <p>
            Scripts and tools using the key <code>{revoking.prefix}…</code> are refused at once. This cannot be undone: to
            give them access again, create a new key.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
