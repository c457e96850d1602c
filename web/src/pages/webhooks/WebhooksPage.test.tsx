import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../api/client';
import type { Webhook, WebhookCreate, WebhookDelivery } from '../../api/types';
import { pageOf } from '../../test/customers';
import { fail, fakeServer, ok, type Call, type Reply } from '../../test/fakeServer';
import { makeWorkspace, renderInWorkspace } from '../../test/workspace';
import { DELIVERY_REFRESH_MS } from '../../lib/webhooks';
import { WebhooksPage } from './WebhooksPage';

afterEach(() => {
  api.setTransport();
  vi.useRealTimers();
});

function hook(id: number, patch: Partial<Webhook> = {}): Webhook {
  return {
    id,
    url: `https://hooks.example.com/${id}`,
    events: ['response.low_score'],
    active: true,
    created_at: '2026-01-03T10:00:00Z',
    ...patch,
  };
}

function delivery(id: number, patch: Partial<WebhookDelivery> = {}): WebhookDelivery {
  return {
    id,
    event: 'ping',
    status: 'delivered',
    attempts: 1,
    last_status_code: 200,
    last_error: null,
    created_at: '2026-01-03T10:00:00Z',
    next_attempt_at: null,
    ...patch,
  };
}

function setup(hooks: Webhook[], routes: Record<string, Reply | ((c: Call) => Reply)> = {}) {
  const server = fakeServer({ 'GET /workspaces/7/webhooks': () => ok({ items: hooks }), ...routes });
  api.setTransport(server.transport);
  renderInWorkspace(<WebhooksPage />, { workspace: makeWorkspace({ role: 'admin' }), entry: '/w/acme/webhooks' });
  return server.calls;
}

const writes = (calls: Call[]) => calls.filter((c) => c.method !== 'GET');
const SECRET = 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ=';

describe('WebhooksPage', () => {
  it('adds a webhook and shows its secret once', async () => {
    const hooks: Webhook[] = [];
    const calls = setup(hooks, {
      'POST /workspaces/7/webhooks': (c) => {
        const body = c.data as WebhookCreate;
        const created = hook(3, { url: body.url, events: body.events });
        hooks.push(created);
        return ok({ ...created, secret: SECRET }, 201);
      },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Add webhook' }));
    let dialog = screen.getByRole('dialog', { name: 'Add webhook' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add webhook' }));
    expect(within(dialog).getByText('Enter the URL that should receive the events.')).toBeInTheDocument();
    expect(within(dialog).getByText('Pick at least one event.')).toBeInTheDocument();
    expect(writes(calls)).toHaveLength(0);

    await userEvent.type(within(dialog).getByLabelText('URL'), 'https://crm.example.com/pulse');
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'response.low_score' }));
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'follow_up.closed' }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add webhook' }));

    dialog = await screen.findByRole('dialog', { name: 'Your new webhook' });
    expect(within(dialog).getByLabelText('Signing secret')).toHaveValue(SECRET);
    expect(within(dialog).getByText('Copy the signing secret now')).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Copy the signing secret' })).toBeInTheDocument();
    expect(writes(calls)).toMatchObject([
      { method: 'POST', url: '/workspaces/7/webhooks', data: { url: 'https://crm.example.com/pulse', events: ['response.low_score', 'follow_up.closed'] } },
    ]);

    await userEvent.click(within(dialog).getByRole('button', { name: 'Done' }));
    const card = await screen.findByTestId('webhook');
    expect(card).toHaveTextContent('https://crm.example.com/pulse');
    expect(screen.queryByDisplayValue(SECRET)).not.toBeInTheDocument();
    expect(screen.queryByText(new RegExp(SECRET))).not.toBeInTheDocument();
  });

  it('shows a refused (private) URL under the URL field', async () => {
    setup([], {
      'POST /workspaces/7/webhooks': fail(422, 'validation_failed', { fields: { url: ['resolves to a private or loopback address'] } }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Add webhook' }));
    const dialog = screen.getByRole('dialog', { name: 'Add webhook' });
    await userEvent.type(within(dialog).getByLabelText('URL'), 'http://127.0.0.1:9000/hook');
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'response.created' }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add webhook' }));
    const url = within(dialog).getByLabelText('URL');
    await waitFor(() => expect(url).toHaveAccessibleDescription('Resolves to a private or loopback address'));
    expect(url).toHaveAttribute('aria-invalid', 'true');
    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument();
  });

  it('sends a test ping and opens the delivery log, refreshing it while a delivery is pending', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let answers = 0;
    const calls = setup([hook(1)], {
      'POST /workspaces/7/webhooks/1/test': { status: 202, data: { ok: true, data: null } },
      'GET /workspaces/7/webhooks/1/deliveries': () =>
        ok(
          pageOf(
            [
              answers++ < 2
                ? delivery(9, { status: 'pending', attempts: 1, last_status_code: 503, last_error: 'Service Unavailable', next_attempt_at: '2026-01-03T10:05:00Z' })
                : delivery(9, { attempts: 2 }),
              delivery(8, { event: 'response.low_score', status: 'failed', last_status_code: 404, last_error: 'HTTP 404' }),
            ],
            2,
            20,
          ),
        ),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Send a test ping to https://hooks.example.com/1' }));
    expect(await screen.findByText('A test ping is on its way to https://hooks.example.com/1.')).toBeInTheDocument();
    expect(writes(calls)).toMatchObject([{ method: 'POST', url: '/workspaces/7/webhooks/1/test' }]);

    const log = await screen.findByRole('region', { name: 'Deliveries to https://hooks.example.com/1' });
    expect(screen.getByRole('button', { name: 'Deliveries to https://hooks.example.com/1' })).toHaveAttribute('aria-expanded', 'true');
    const [pending, failed] = await within(log).findAllByTestId('delivery');
    expect(pending).toHaveTextContent('ping');
    expect(pending).toHaveTextContent('pending');
    expect(pending).toHaveTextContent('503');
    expect(pending).toHaveTextContent('Service Unavailable');
    expect(failed).toHaveTextContent('failed');
    expect(failed).toHaveTextContent('HTTP 404');
    expect(within(log).getByText(/refreshes every 5 seconds/)).toBeInTheDocument();

    await act(() => vi.advanceTimersByTimeAsync(DELIVERY_REFRESH_MS));
    await act(() => vi.advanceTimersByTimeAsync(DELIVERY_REFRESH_MS));
    await waitFor(() => expect(within(log).getAllByTestId('delivery')[0]).toHaveTextContent('delivered'));
    const polls = calls.filter((c) => c.url.endsWith('/deliveries')).length;
    await act(() => vi.advanceTimersByTimeAsync(DELIVERY_REFRESH_MS * 3));
    expect(calls.filter((c) => c.url.endsWith('/deliveries')).length).toBe(polls);
  });

  it('edits the events and pauses a webhook, sending only what changed', async () => {
    let current = hook(1, { events: ['response.low_score'] });
    const calls = setup([], {
      'GET /workspaces/7/webhooks': () => ok({ items: [current] }),
      'PATCH /workspaces/7/webhooks/1': (c) => {
        current = { ...current, ...(c.data as Partial<Webhook>) };
        return ok(current);
      },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Edit the webhook https://hooks.example.com/1' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit webhook' });
    expect(within(dialog).getByRole('checkbox', { name: 'response.low_score' })).toBeChecked();
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'survey.answered' }));
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'Active' }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save webhook' }));
    expect(await screen.findByText('The webhook was saved.')).toBeInTheDocument();
    expect(writes(calls)).toMatchObject([
      { method: 'PATCH', url: '/workspaces/7/webhooks/1', data: { events: ['response.low_score', 'survey.answered'], active: false } },
    ]);
    expect(Object.keys(writes(calls)[0].data as object)).toEqual(['events', 'active']);
    expect(await screen.findByTestId('webhook')).toHaveTextContent('paused');
  });

  it('deletes only after confirming', async () => {
    let hooks = [hook(1), hook(2)];
    const calls = setup([], {
      'GET /workspaces/7/webhooks': () => ok({ items: hooks }),
      'DELETE /workspaces/7/webhooks/2': () => {
        hooks = hooks.filter((h) => h.id !== 2);
        return ok(null);
      },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Delete the webhook https://hooks.example.com/2' }));
    let dialog = screen.getByRole('dialog', { name: 'Delete this webhook?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(writes(calls)).toHaveLength(0);
    await userEvent.click(screen.getByRole('button', { name: 'Delete the webhook https://hooks.example.com/2' }));
    dialog = screen.getByRole('dialog', { name: 'Delete this webhook?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete webhook' }));
    expect(await screen.findByText(/was deleted: it gets no more events/)).toBeInTheDocument();
    await waitFor(() => expect(screen.getAllByTestId('webhook')).toHaveLength(1));
    expect(writes(calls)).toMatchObject([{ method: 'DELETE', url: '/workspaces/7/webhooks/2' }]);
  });
});
