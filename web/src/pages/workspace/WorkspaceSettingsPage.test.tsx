import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../../api/client';
import type { Workspace } from '../../api/types';
import { AppRoutes } from '../../App';
import { fail, fakeServer, ok, type Call, type Reply } from '../../test/fakeServer';
import { makeMember, makeUser, makeWorkspace, testQueryClient, Where } from '../../test/workspace';

afterEach(() => {
  api.setTransport();
});

function setup(workspace: Workspace, routes: Record<string, Reply | ((c: Call) => Reply)> = {}) {
  const server = fakeServer({
    'GET /users/me': ok(makeUser({ id: 1 })),
    'GET /workspaces': ok({ items: [workspace] }),
    'GET /workspaces/7/members': ok({ items: [makeMember('ada', workspace.role as 'owner', 1), makeMember('bob', 'member', 2)] }),
    ...routes,
  });
  api.setTransport(server.transport);
  render(
    <QueryClientProvider client={testQueryClient()}>
      <MemoryRouter initialEntries={[`/w/${workspace.slug}/settings`]}>
        <AppRoutes />
        <Where />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return server.calls;
}

const writes = (calls: Call[]) => calls.filter((c) => c.method !== 'GET');

describe('WorkspaceSettingsPage', () => {
  it('deletes only after the name is typed', async () => {
    const calls = setup(makeWorkspace({ role: 'owner' }), { 'DELETE /workspaces/7': ok(null) });
    await userEvent.click(await screen.findByRole('button', { name: 'Delete workspace' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete Acme?' });
    const confirm = within(dialog).getByRole('button', { name: 'Delete workspace' });
    expect(confirm).toBeDisabled();
    await userEvent.type(within(dialog).getByLabelText('Type Acme to confirm'), 'acme');
    expect(confirm).toBeDisabled();
    await userEvent.clear(within(dialog).getByLabelText('Type Acme to confirm'));
    await userEvent.type(within(dialog).getByLabelText('Type Acme to confirm'), 'Acme');
    await userEvent.click(confirm);
    await waitFor(() => expect(writes(calls)).toMatchObject([{ method: 'DELETE', url: '/workspaces/7', data: { confirm: 'Acme' } }]));
  });

  it('moves to the new address after an owner changes the slug', async () => {
    const renamed = makeWorkspace({ role: 'owner', name: 'Acme Ltd', slug: 'acme-ltd' });
    let stored = makeWorkspace({ role: 'owner' });
    const calls = setup(stored, {
      'GET /workspaces': () => ok({ items: [stored] }),
      'PATCH /workspaces/7': () => {
        stored = renamed;
        return ok(renamed);
      },
    });
    const slug = await screen.findByLabelText('Address');
    await userEvent.clear(slug);
    await userEvent.type(slug, 'Acme Ltd');
    await userEvent.click(screen.getByRole('button', { name: 'Save name and address' }));
    expect(screen.getByText('Use only lowercase letters, digits and dashes.')).toBeInTheDocument();
    await userEvent.clear(slug);
    await userEvent.type(slug, 'acme-ltd');
    const name = screen.getByLabelText('Workspace name');
    await userEvent.clear(name);
    await userEvent.type(name, 'Acme Ltd');
    await userEvent.click(screen.getByRole('button', { name: 'Save name and address' }));
    const dialog = screen.getByRole('dialog', { name: 'Change the address?' });
    expect(dialog).toHaveTextContent('/w/acme-ltd');
    expect(writes(calls)).toHaveLength(0);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Change address' }));
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent('/w/acme-ltd/settings'));
    expect(writes(calls)).toMatchObject([{ method: 'PATCH', url: '/workspaces/7', data: { name: 'Acme Ltd', slug: 'acme-ltd' } }]);
  });

  it('shows a taken slug under its field', async () => {
    setup(makeWorkspace({ role: 'owner' }), { 'PATCH /workspaces/7': fail(409, 'slug_taken') });
    const slug = await screen.findByLabelText('Address');
    await userEvent.clear(slug);
    await userEvent.type(slug, 'taken');
    await userEvent.click(screen.getByRole('button', { name: 'Save name and address' }));
    await userEvent.click(screen.getByRole('button', { name: 'Change address' }));
    expect(await screen.findByText('Another workspace already uses this address.')).toBeInTheDocument();
    expect(slug).toHaveAttribute('aria-invalid', 'true');
  });

  it('lets an admin change settings but not the name, the address or the workspace’s existence', async () => {
    const calls = setup(makeWorkspace({ role: 'admin' }), {
      'PATCH /workspaces/7': (c) => ok(makeWorkspace({ role: 'admin', settings: { ...makeWorkspace().settings, ...(c.data as { settings: object }).settings } })),
    });
    expect(await screen.findByText('Only owners can rename the workspace or change its address.')).toBeInTheDocument();
    expect(screen.queryByLabelText('Workspace name')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Delete workspace' })).not.toBeInTheDocument();
    await userEvent.selectOptions(screen.getByLabelText('Low score'), '3');
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('Settings saved.')).toBeInTheDocument();
    expect(writes(calls)).toMatchObject([{ data: { settings: { low_score_threshold: 3, require_two_factor: false } } }]);
  });

  it('does not let someone without two-factor require it (they would lock themselves out)', async () => {
    setup(makeWorkspace({ role: 'owner' }));
    const box = await screen.findByLabelText('Require two-factor authentication');
    await waitFor(() => expect(box).toBeDisabled());
    expect(screen.getByText(/Turn on two-factor authentication for your own account first/)).toBeInTheDocument();
  });

  it('lists the members without two-factor, and sends an owner without it to their account first', async () => {
    setup(makeWorkspace({ role: 'owner' }));
    const list = await screen.findByRole('list', { name: 'Members without two-factor authentication' });
    expect(within(list).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['ada (ada@example.com)you', 'bob (bob@example.com)']);
    expect(screen.getByText(/2 members do not use two-factor/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Set up two-factor authentication for your account' })).toHaveAttribute(
      'href',
      '/account#two-factor',
    );
  });

  it('says when every member already uses two-factor', async () => {
    setup(makeWorkspace({ role: 'owner' }), {
      'GET /users/me': ok(makeUser({ id: 1, two_factor_enabled: true })),
      'GET /workspaces/7/members': ok({
        items: [makeMember('ada', 'owner', 1, { two_factor_enabled: true }), makeMember('bob', 'member', 2, { two_factor_enabled: true })],
      }),
    });
    expect(await screen.findByText('Every member uses two-factor authentication.')).toBeInTheDocument();
    expect(screen.getByLabelText('Require two-factor authentication')).toBeEnabled();
    expect(screen.queryByRole('link', { name: /Set up two-factor/ })).not.toBeInTheDocument();
  });

  it('names the members who lose access before requiring two-factor', async () => {
    const calls = setup(makeWorkspace({ role: 'owner' }), {
      'GET /workspaces/7/members': ok({ items: [makeMember('ada', 'owner', 1, { two_factor_enabled: true }), makeMember('bob', 'member', 2)] }),
      'PATCH /workspaces/7': ok(makeWorkspace({ role: 'owner' })),
    });
    const box = await screen.findByLabelText('Require two-factor authentication');
    await waitFor(() => expect(box).toBeEnabled());
    await userEvent.click(box);
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    const dialog = screen.getByRole('dialog', { name: 'Require two-factor authentication?' });
    expect(dialog).toHaveTextContent('bob (bob@example.com)');
    expect(writes(calls)).toHaveLength(0);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Require two-factor' }));
    await waitFor(() => expect(writes(calls)).toMatchObject([{ data: { settings: { require_two_factor: true } } }]));
  });

  it('is not for members', async () => {
    setup(makeWorkspace({ role: 'member' }));
    expect(await screen.findByRole('heading', { name: 'Not available to members' })).toBeInTheDocument();
  });

  it('turns the public feedback form on at once and shows its link to copy', async () => {
    let stored = makeWorkspace({ role: 'admin' });
    const calls = setup(stored, {
      'GET /workspaces': () => ok({ items: [stored] }),
      'PATCH /workspaces/7': () => {
        stored = makeWorkspace({ role: 'admin', settings: { ...stored.settings, public_form_enabled: true } });
        return ok(stored);
      },
    });
    const toggle = await screen.findByRole('checkbox', { name: 'Public feedback form' });
    expect(toggle).not.toBeChecked();
    const card = screen.getByRole('region', { name: 'Public feedback form' });
    expect(card).toHaveTextContent(`${window.location.origin}/f/acme`);
    expect(within(card).getByRole('button', { name: 'Copy the public form link' })).toBeInTheDocument();
    await userEvent.click(toggle);
    await waitFor(() => expect(screen.getByRole('checkbox', { name: 'Public feedback form' })).toBeChecked());
    expect(writes(calls)).toMatchObject([{ method: 'PATCH', url: '/workspaces/7', data: { settings: { public_form_enabled: true } } }]);
    expect(await within(card).findByRole('link', { name: 'Open the form' })).toHaveAttribute('href', `${window.location.origin}/f/acme`);
  });
});
