import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../../api/client';
import type { AuditEntry } from '../../api/types';
import { fakeServer, ok, type Call } from '../../test/fakeServer';
import { makeMember, makeWorkspace, renderInWorkspace } from '../../test/workspace';
import { AuditLogPage } from './AuditLogPage';

afterEach(() => {
  api.setTransport();
});

function entry(id: number, patch: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id,
    at: '2026-01-10T10:00:00Z',
    actor: { type: 'user', id: 1, name: 'ada' },
    action: 'member.role_changed',
    target: { type: 'user', id: 2, name: 'bob' },
    ip: '203.0.113.9',
    detail: { from: 'member', to: 'admin' },
    ...patch,
  };
}

function setup(entries: AuditEntry[], { entry: at = '/w/acme/audit', total = entries.length } = {}) {
  const server = fakeServer({
    'GET /workspaces/7/audit': () => ok({ items: entries, page: 1, per_page: 50, total }),
    'GET /workspaces/7/members': ok({ items: [makeMember('ada', 'owner', 1), makeMember('bob', 'admin', 2)] }),
  });
  api.setTransport(server.transport);
  renderInWorkspace(<AuditLogPage />, { workspace: makeWorkspace({ role: 'admin' }), entry: at });
  return server.calls;
}

const lastQuery = (calls: Call[]) => calls.filter((c) => c.url === '/workspaces/7/audit').at(-1)?.params;

describe('AuditLogPage', () => {
  it('lists who did what, to what, from where, with the detail compact', async () => {
    setup([
      entry(2, {
        actor: { type: 'api_key', id: 4, name: 'Nightly export' },
        action: 'customers.exported',
        target: { type: 'workspace', id: 7, name: 'Acme' },
        ip: null,
        detail: { rows: 120 },
      }),
      entry(1),
    ]);
    const table = await screen.findByRole('table', { name: 'Audit log' });
    const [, first, second] = within(table).getAllByRole('row');
    expect(first).toHaveTextContent('Nightly export');
    expect(first).toHaveTextContent('API key');
    expect(first).toHaveTextContent('customers.exported');
    expect(first).toHaveTextContent('workspace Acme');
    expect(first).toHaveTextContent('{"rows":120}');
    expect(second).toHaveTextContent('ada');
    expect(second).toHaveTextContent('user bob');
    expect(second).toHaveTextContent('203.0.113.9');
    expect(second).toHaveTextContent('{"from":"member","to":"admin"}');
    expect(screen.getByText('2 entries')).toHaveAttribute('role', 'status');
  });

  it('builds the query from the filters', async () => {
    const calls = setup([entry(1)]);
    await screen.findByRole('table', { name: 'Audit log' });
    expect(lastQuery(calls)).toEqual({ page: 1, per_page: 50 });

    const action = screen.getByLabelText('Action');
    expect(within(action).getAllByRole('option')).toHaveLength(16);
    await userEvent.selectOptions(action, 'webhook.created');
    await waitFor(() => expect(lastQuery(calls)).toEqual({ action: 'webhook.created', page: 1, per_page: 50 }));

    const actor = screen.getByLabelText('Actor');
    await waitFor(() => expect(within(actor).getAllByRole('option').map((o) => o.textContent)).toEqual(['Anyone', 'ada', 'bob']));
    await userEvent.selectOptions(actor, 'bob');
    await userEvent.type(screen.getByLabelText('From'), '2026-01-01');
    await userEvent.type(screen.getByLabelText('To'), '2026-01-31');
    await waitFor(() =>
      expect(lastQuery(calls)).toEqual({ action: 'webhook.created', actor_id: 2, from: '2026-01-01', to: '2026-01-31', page: 1, per_page: 50 }),
    );
    expect(screen.getByTestId('where')).toHaveTextContent('action=webhook.created&actor=2&from=2026-01-01&to=2026-01-31');

    await userEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(lastQuery(calls)).toEqual({ page: 1, per_page: 50 }));
    expect(screen.getByLabelText('Action')).toHaveValue('');
  });

  it('pages through the log, keeping the filters', async () => {
    const calls = setup([entry(1)], { entry: '/w/acme/audit?action=survey.sent', total: 120 });
    await screen.findByRole('table', { name: 'Audit log' });
    await userEvent.click(screen.getByRole('button', { name: 'Next →' }));
    await waitFor(() => expect(lastQuery(calls)).toEqual({ action: 'survey.sent', page: 2, per_page: 50 }));
  });

  it('says when nothing matches', async () => {
    setup([], { entry: '/w/acme/audit?action=survey.sent' });
    expect(await screen.findByRole('heading', { name: 'No entries match these filters' })).toBeInTheDocument();
  });
});
