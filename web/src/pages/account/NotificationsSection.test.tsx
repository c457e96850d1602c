import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../../api/client';
import type { NotificationSettings, Workspace } from '../../api/types';
import { fail, fakeServer, ok, type Call, type Reply } from '../../test/fakeServer';
import { makeUser, makeWorkspace, testQueryClient } from '../../test/workspace';
import { NotificationsSection } from './NotificationsSection';

afterEach(() => {
  api.setTransport();
});

const acme = makeWorkspace({ id: 7, name: 'Acme' });
const beta = makeWorkspace({ id: 8, name: 'Beta', slug: 'beta', role: 'viewer' });
const HTML = '<html><body><h1>Your week at Acme</h1><script>window.parent.pwned = true</script></body></html>';

function setup(workspaces: Workspace[], routes: Record<string, Reply | ((c: Call) => Reply)> = {}) {
  const stored: Record<number, NotificationSettings> = {
    7: { low_score_email: true, weekly_digest: true },
    8: { low_score_email: false, weekly_digest: false },
  };
  const server = fakeServer({
    'GET /workspaces': ok({ items: workspaces }),
    'GET /workspaces/7/notifications/me': () => ok(stored[7]),
    'GET /workspaces/8/notifications/me': () => ok(stored[8]),
    'PUT /workspaces/8/notifications/me': (c) => {
      stored[8] = c.data as NotificationSettings;
      return ok(stored[8]);
    },
    'POST /workspaces/7/notifications/digest-preview': ok({
      subject: 'Acme: your week so far',
      text: 'Responses: 12\nAverage: 4.1',
      html: HTML,
    }),
    ...routes,
  });
  api.setTransport(server.transport);
  render(
    <QueryClientProvider client={testQueryClient()}>
      <NotificationsSection user={makeUser({ default_workspace_id: 7 })} />
    </QueryClientProvider>,
  );
  return server.calls;
}

const writes = (calls: Call[]) => calls.filter((c) => c.method !== 'GET');

describe('NotificationsSection', () => {
  it('shows the default workspace’s switches, and saves a change at once with PUT', async () => {
    const calls = setup([acme, beta]);
    const low = await screen.findByRole('switch', { name: 'Email me when a low score comes in' });
    expect(low).toBeChecked();
    expect(screen.getByRole('switch', { name: 'Weekly digest (Mondays 08:00 UTC)' })).toBeChecked();
    expect(screen.getByLabelText('Workspace')).toHaveValue('7');

    await userEvent.selectOptions(screen.getByLabelText('Workspace'), 'Beta');
    const digest = await screen.findByRole('switch', { name: 'Weekly digest (Mondays 08:00 UTC)' });
    await waitFor(() => expect(digest).not.toBeChecked());
    await userEvent.click(digest);
    expect(await screen.findByText('Saved for Beta.')).toBeInTheDocument();
    expect(digest).toBeChecked();
    expect(writes(calls)).toMatchObject([
      { method: 'PUT', url: '/workspaces/8/notifications/me', data: { low_score_email: false, weekly_digest: true } },
    ]);
  });

  it('puts a switch back and says why when saving fails', async () => {
    setup([acme], { 'PUT /workspaces/7/notifications/me': fail(500, 'internal') });
    expect(screen.queryByLabelText('Workspace')).not.toBeInTheDocument();
    const low = await screen.findByRole('switch', { name: 'Email me when a low score comes in' });
    await userEvent.click(low);
    expect(await screen.findByRole('alert')).toHaveTextContent('Something went wrong on our side');
    expect(low).toBeChecked();
  });

  it('previews the digest: subject, the HTML in a sandboxed frame, and the text version', async () => {
    const calls = setup([acme]);
    await userEvent.click(await screen.findByRole('button', { name: 'Preview this week’s digest' }));
    const dialog = await screen.findByRole('dialog', { name: 'This week’s digest' });
    expect(within(dialog).getByTestId('digest-subject')).toHaveTextContent('Acme: your week so far');
    const frame = within(dialog).getByTitle('Digest email (HTML version)');
    expect(frame.tagName).toBe('IFRAME');
    expect(frame).toHaveAttribute('sandbox', '');
    expect(frame).toHaveAttribute('srcdoc', HTML);
    // Never in this page's own DOM.
    expect(within(dialog).queryByRole('heading', { name: 'Your week at Acme' })).not.toBeInTheDocument();
    expect(document.querySelector('script')).toBeNull();
    expect(within(dialog).getByLabelText('Digest email (text version)')).toHaveTextContent('Responses: 12 Average: 4.1');
    expect(writes(calls)).toMatchObject([{ method: 'POST', url: '/workspaces/7/notifications/digest-preview' }]);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });
});
