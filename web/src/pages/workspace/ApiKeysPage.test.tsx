import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../../api/client';
import type { ApiKey } from '../../api/types';
import { expiryFromDate } from '../../lib/apiKeys';
import { fail, fakeServer, ok, type Call, type Reply } from '../../test/fakeServer';
import { makeWorkspace, renderInWorkspace } from '../../test/workspace';
import { ApiKeysPage } from './ApiKeysPage';

afterEach(() => {
  api.setTransport();
});

function key(id: number, name: string, patch: Partial<ApiKey> = {}): ApiKey {
  return {
    id,
    name,
    prefix: `pk_abcdefgh${id}`.slice(0, 12),
    scopes: ['read'],
    created_by: { id: 1, username: 'ada' },
    created_at: '2026-01-03T10:00:00Z',
    last_used_at: null,
    expires_at: null,
    ...patch,
  };
}

function setup(keys: ApiKey[], routes: Record<string, Reply | ((c: Call) => Reply)> = {}) {
  const server = fakeServer({ 'GET /workspaces/7/api-keys': () => ok({ items: keys }), ...routes });
  api.setTransport(server.transport);
  renderInWorkspace(<ApiKeysPage />, { workspace: makeWorkspace({ role: 'admin' }), entry: '/w/acme/api-keys' });
  return server.calls;
}

const writes = (calls: Call[]) => calls.filter((c) => c.method !== 'GET');

describe('ApiKeysPage', () => {
  it('lists the keys by prefix, with their access, author and dates', async () => {
    setup([
      key(1, 'Nightly export', { last_used_at: '2026-01-05T08:00:00Z' }),
      key(2, 'Zapier', { scopes: ['read', 'write'], expires_at: '2020-01-01T00:00:00Z', created_by: null }),
    ]);
    const table = await screen.findByRole('table', { name: 'API keys' });
    const [, first, second] = within(table).getAllByRole('row');
    expect(first).toHaveTextContent('Nightly export');
    expect(first).toHaveTextContent('pk_abcdefgh1…');
    expect(first).toHaveTextContent('Read');
    expect(first).toHaveTextContent('ada');
    expect(within(first).getAllByText('Never')).toHaveLength(1); // expires
    expect(second).toHaveTextContent('Read & write');
    expect(second).toHaveTextContent('expired');
    expect(within(second).getByText('Never')).toBeInTheDocument(); // last used
  });

  it('offers the first key from an empty page', async () => {
    setup([]);
    expect(await screen.findByRole('heading', { name: 'No API keys yet' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Create API key' })).toBeInTheDocument();
  });

  it('creates a key and shows it once, with how to use it', async () => {
    const keys: ApiKey[] = [];
    const calls = setup(keys, {
      'POST /workspaces/7/api-keys': (c) => {
        const body = c.data as { name: string; scopes: string[]; expires_at?: string };
        const created = key(5, body.name, { scopes: body.scopes, expires_at: body.expires_at ?? null, prefix: 'pk_live_secr' });
        keys.push(created);
        return ok({ ...created, key: 'pk_live_secret_value_123' }, 201);
      },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Create API key' }));
    let dialog = screen.getByRole('dialog', { name: 'Create API key' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create key' }));
    expect(within(dialog).getByText('Give the key a name, like “Nightly export”.')).toBeInTheDocument();
    expect(writes(calls)).toHaveLength(0);

    await userEvent.type(within(dialog).getByLabelText('Name'), 'CRM sync');
    await userEvent.click(within(dialog).getByRole('radio', { name: /Read & write/ }));
    await userEvent.type(within(dialog).getByLabelText('Expires on (optional)'), '2099-12-31');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create key' }));

    dialog = await screen.findByRole('dialog', { name: 'Your new API key' });
    expect(within(dialog).getByLabelText('API key')).toHaveValue('pk_live_secret_value_123');
    expect(within(dialog).getByText('Copy the key now')).toBeInTheDocument();
    expect(dialog).toHaveTextContent('This is the only time it is shown');
    expect(within(dialog).getByRole('figure', { name: 'Example request' })).toHaveTextContent(
      `curl -H "Authorization: Bearer pk_live_secret_value_123" ${window.location.origin}/api/v1/workspaces/7/customers`,
    );
    expect(writes(calls)).toMatchObject([
      {
        method: 'POST',
        url: '/workspaces/7/api-keys',
        data: { name: 'CRM sync', scopes: ['read', 'write'], expires_at: expiryFromDate('2099-12-31') },
      },
    ]);

    await userEvent.click(within(dialog).getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    const row = await screen.findByRole('row', { name: /CRM sync/ });
    expect(row).toHaveTextContent('pk_live_secr…');
    // Gone for good: only the prefix stays on the page.
    expect(screen.queryByDisplayValue('pk_live_secret_value_123')).not.toBeInTheDocument();
    expect(screen.queryByText(/pk_live_secret_value_123/)).not.toBeInTheDocument();
  });

  it('sends no expiry when none is picked, and refuses a date in the past', async () => {
    const calls = setup([key(1, 'Old')], { 'POST /workspaces/7/api-keys': ok({ ...key(6, 'New'), key: 'pk_new' }, 201) });
    await userEvent.click(await screen.findByRole('button', { name: 'Create API key' }));
    const dialog = screen.getByRole('dialog', { name: 'Create API key' });
    await userEvent.type(within(dialog).getByLabelText('Name'), 'New');
    await userEvent.type(within(dialog).getByLabelText('Expires on (optional)'), '2001-01-01');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create key' }));
    expect(within(dialog).getByText('Pick today or a later date.')).toBeInTheDocument();
    await userEvent.clear(within(dialog).getByLabelText('Expires on (optional)'));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create key' }));
    await screen.findByRole('dialog', { name: 'Your new API key' });
    expect(writes(calls)[0].data).toEqual({ name: 'New', scopes: ['read'] });
  });

  it('revokes only after confirming', async () => {
    let keys = [key(1, 'Nightly export'), key(2, 'Zapier')];
    const calls = setup([], {
      'GET /workspaces/7/api-keys': () => ok({ items: keys }),
      'DELETE /workspaces/7/api-keys/2': () => {
        keys = keys.filter((k) => k.id !== 2);
        return ok(null);
      },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Revoke the key Zapier' }));
    let dialog = screen.getByRole('dialog', { name: 'Revoke “Zapier”?' });
    expect(dialog).toHaveTextContent('refused at once');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(writes(calls)).toHaveLength(0);

    await userEvent.click(screen.getByRole('button', { name: 'Revoke the key Zapier' }));
    dialog = screen.getByRole('dialog', { name: 'Revoke “Zapier”?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke key' }));
    expect(await screen.findByText(/The key “Zapier” was revoked/)).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('row', { name: /Zapier/ })).not.toBeInTheDocument());
    expect(writes(calls)).toMatchObject([{ method: 'DELETE', url: '/workspaces/7/api-keys/2' }]);
  });

  it('shows a failed revoke in the dialog', async () => {
    setup([key(1, 'Nightly export')], { 'DELETE /workspaces/7/api-keys/1': fail(404, 'not_found') });
    await userEvent.click(await screen.findByRole('button', { name: 'Revoke the key Nightly export' }));
    const dialog = screen.getByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke key' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('no longer exists');
  });
});
