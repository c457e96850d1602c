import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../../api/client';
import type { Invitation, Member, WorkspaceRole } from '../../api/types';
import { fail, fakeServer, ok, type Call, type Reply } from '../../test/fakeServer';
import { makeMember, makeUser, makeWorkspace, renderInWorkspace } from '../../test/workspace';
import { MembersPage } from './MembersPage';

afterEach(() => {
  api.setTransport();
});

const me = makeUser({ id: 1, username: 'ada' });

function invitation(id: number, email: string, status: Invitation['status'] = 'pending', role = 'member'): Invitation {
  return {
    id,
    email,
    role,
    status,
    invited_by: { id: 1, username: 'ada' },
    expires_at: '2026-02-01T00:00:00Z',
    created_at: '2026-01-25T00:00:00Z',
  };
}

function setup(
  myRole: WorkspaceRole,
  members: Member[],
  routes: Record<string, Reply | ((c: Call) => Reply)> = {},
  invitations: Invitation[] = [],
) {
  const server = fakeServer({
    'GET /workspaces/7/members': ok({ items: members }),
    'GET /workspaces/7/invitations': ok({ items: invitations }),
    ...routes,
  });
  api.setTransport(server.transport);
  renderInWorkspace(<MembersPage />, { workspace: makeWorkspace({ role: myRole }), me, entry: '/w/acme/members' });
  return server.calls;
}

const writes = (calls: Call[]) => calls.filter((c) => c.method !== 'GET');

describe('MembersPage', () => {
  const team = [makeMember('ada', 'owner', 1), makeMember('bob', 'member', 2), makeMember('cleo', 'admin', 3)];

  it('asks before changing a role, and cancelling changes nothing', async () => {
    const calls = setup('owner', team, { 'PATCH /workspaces/7/members/2': ok(makeMember('bob', 'viewer', 2)) });
    const select = await screen.findByLabelText('Role of bob');
    await userEvent.selectOptions(select, 'viewer');
    const dialog = screen.getByRole('dialog', { name: 'Change bob’s role?' });
    expect(dialog).toHaveTextContent('bob will be a viewer of Acme');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(writes(calls)).toHaveLength(0);
    expect(screen.getByLabelText('Role of bob')).toHaveValue('member');

    await userEvent.selectOptions(screen.getByLabelText('Role of bob'), 'viewer');
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Change role' }));
    expect(await screen.findByText('bob is now a viewer.')).toBeInTheDocument();
    expect(writes(calls)).toMatchObject([{ method: 'PATCH', url: '/workspaces/7/members/2', data: { role: 'viewer' } }]);
  });

  it('asks before removing someone', async () => {
    const calls = setup('owner', team, { 'DELETE /workspaces/7/members/2': ok(null) });
    await userEvent.click(await screen.findByRole('button', { name: 'Remove bob' }));
    const dialog = screen.getByRole('dialog', { name: 'Remove bob?' });
    expect(writes(calls)).toHaveLength(0);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove member' }));
    expect(await screen.findByText('bob was removed from Acme.')).toBeInTheDocument();
    expect(writes(calls)).toMatchObject([{ method: 'DELETE', url: '/workspaces/7/members/2' }]);
  });

  it('does not let the only owner leave or step down, and says why', async () => {
    const calls = setup('owner', team);
    await userEvent.click(await screen.findByRole('button', { name: 'Leave workspace' }));
    let dialog = screen.getByRole('dialog', { name: 'Leave Acme?' });
    expect(dialog).toHaveTextContent('You are the only owner');
    expect(within(dialog).queryByRole('button', { name: 'Leave workspace' })).not.toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: 'OK' }));

    await userEvent.selectOptions(screen.getByLabelText('Role of ada'), 'admin');
    dialog = screen.getByRole('dialog', { name: 'Change your own role?' });
    expect(dialog).toHaveTextContent('You are the only owner');
    expect(within(dialog).queryByRole('button', { name: /Become/ })).not.toBeInTheDocument();
    expect(writes(calls)).toHaveLength(0);
  });

  it('warns an admin stepping down about what they lose', async () => {
    const calls = setup('admin', [makeMember('zed', 'owner', 9), makeMember('ada', 'admin', 1)], {
      'PATCH /workspaces/7/members/1': ok(makeMember('ada', 'member', 1)),
    });
    await userEvent.selectOptions(await screen.findByLabelText('Role of ada'), 'member');
    const dialog = screen.getByRole('dialog', { name: 'Change your own role?' });
    expect(dialog).toHaveTextContent('You will no longer be able to manage members and invitations, change its settings or manage its API keys');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Become a member' }));
    expect(await screen.findByText('You are now a member.')).toBeInTheDocument();
    expect(writes(calls)).toHaveLength(1);
  });

  it('lets an admin manage everyone but owners, and invite up to admin', async () => {
    setup('admin', [makeMember('zed', 'owner', 9), makeMember('ada', 'admin', 1), makeMember('bob', 'viewer', 2)]);
    await screen.findByLabelText('Role of bob');
    expect(screen.queryByLabelText('Role of zed')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Remove zed' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Remove bob' })).toBeInTheDocument();
    const roles = within(screen.getByLabelText('Role of bob')).getAllByRole('option').map((o) => o.textContent);
    expect(roles).toEqual(['Viewer', 'Member', 'Admin']);
    const invite = within(screen.getByRole('form', { name: 'Invite someone' })).getByLabelText('Role');
    expect(within(invite).getAllByRole('option').map((o) => o.textContent)).toEqual(['Viewer', 'Member', 'Admin']);
  });

  it('shows a viewer the members and nothing to change but leaving', async () => {
    const calls = setup('viewer', [makeMember('zed', 'owner', 9), makeMember('ada', 'viewer', 1), makeMember('bob', 'member', 2)], {
      'DELETE /workspaces/7/members/1': ok(null),
    });
    expect(await screen.findByText('bob')).toBeInTheDocument();
    expect(screen.queryByRole('combobox')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Remove/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Invitations' })).not.toBeInTheDocument();
    expect(calls.some((c) => c.url.endsWith('/invitations'))).toBe(false);

    await userEvent.click(screen.getByRole('button', { name: 'Leave workspace' }));
    await userEvent.click(within(screen.getByRole('dialog', { name: 'Leave Acme?' })).getByRole('button', { name: 'Leave workspace' }));
    // Out of the workspace, to the account's next one.
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent(/^\/$/));
    expect(writes(calls)).toMatchObject([{ method: 'DELETE', url: '/workspaces/7/members/1' }]);
  });
});

describe('InvitationsPanel', () => {
  const team = [makeMember('ada', 'owner', 1)];

  it('invites by email with a role, owners may invite owners', async () => {
    const calls = setup('owner', team, {
      'POST /workspaces/7/invitations': (c) => ok(invitation(5, (c.data as { email: string }).email), 201),
    });
    const form = await screen.findByRole('form', { name: 'Invite someone' });
    expect(within(within(form).getByLabelText('Role')).getAllByRole('option')).toHaveLength(4);
    await userEvent.click(within(form).getByRole('button', { name: 'Send invitation' }));
    expect(within(form).getByText('Enter the email address to invite.')).toBeInTheDocument();
    await userEvent.type(within(form).getByLabelText('Email address'), ' bob@example.com ');
    await userEvent.selectOptions(within(form).getByLabelText('Role'), 'Viewer');
    await userEvent.click(within(form).getByRole('button', { name: 'Send invitation' }));
    expect(await screen.findByText(/Invitation sent to bob@example.com/)).toBeInTheDocument();
    expect(writes(calls)).toMatchObject([{ url: '/workspaces/7/invitations', data: { email: 'bob@example.com', role: 'viewer' } }]);
    expect(within(form).getByLabelText('Email address')).toHaveValue('');
  });

  it('says under the email when that person is already a member', async () => {
    setup('owner', team, { 'POST /workspaces/7/invitations': fail(409, 'already_member') });
    const form = await screen.findByRole('form', { name: 'Invite someone' });
    await userEvent.type(within(form).getByLabelText('Email address'), 'ada@example.com');
    await userEvent.click(within(form).getByRole('button', { name: 'Send invitation' }));
    expect(await within(form).findByText('This person is already a member.')).toBeInTheDocument();
    expect(within(form).getByLabelText('Email address')).toHaveAttribute('aria-invalid', 'true');
  });

  it('says when too many invitations were sent', async () => {
    setup('owner', team, { 'POST /workspaces/7/invitations': fail(429, 'rate_limited', {}, { 'retry-after': '1200' }) });
    const form = await screen.findByRole('form', { name: 'Invite someone' });
    await userEvent.type(within(form).getByLabelText('Email address'), 'x@example.com');
    await userEvent.click(within(form).getByRole('button', { name: 'Send invitation' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many requests. Please wait 20 minutes');
  });

  it('lists pending invitations with resend and revoke (after a confirmation), earlier ones apart', async () => {
    const calls = setup(
      'admin',
      team,
      {
        'POST /workspaces/7/invitations/5/resend': ok(null, 202),
        'DELETE /workspaces/7/invitations/5': ok(null),
      },
      [invitation(5, 'bob@example.com'), invitation(4, 'old@example.com', 'revoked'), invitation(3, 'cleo@example.com', 'accepted')],
    );
    const pending = await screen.findByRole('table', { name: 'Pending invitations' });
    expect(within(pending).getAllByRole('row')).toHaveLength(2);
    expect(screen.getByText('Earlier invitations (2)')).toBeInTheDocument();

    await userEvent.click(within(pending).getByRole('button', { name: 'Resend the invitation to bob@example.com' }));
    expect(await screen.findByText(/A new link was sent to bob@example.com/)).toBeInTheDocument();

    await userEvent.click(within(pending).getByRole('button', { name: 'Revoke the invitation to bob@example.com' }));
    const dialog = screen.getByRole('dialog', { name: 'Revoke this invitation?' });
    expect(writes(calls).map((c) => c.method)).toEqual(['POST']);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke invitation' }));
    expect(await screen.findByText(/The invitation to bob@example.com was revoked/)).toBeInTheDocument();
    expect(writes(calls).map((c) => `${c.method} ${c.url}`)).toEqual([
      'POST /workspaces/7/invitations/5/resend',
      'DELETE /workspaces/7/invitations/5',
    ]);
  });
});
