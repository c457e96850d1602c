import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../../api/client';
import type { InvitationPreview, UserRead } from '../../api/types';
import { fail, fakeServer, ok, type Call, type Reply } from '../../test/fakeServer';
import { makeUser, makeWorkspace, testQueryClient, Where } from '../../test/workspace';
import { InvitePage } from './InvitePage';

afterEach(() => {
  api.setTransport();
});

const preview: InvitationPreview = {
  workspace: { name: 'Acme' },
  email: 'bob@example.com',
  role: 'member',
  invited_by: { username: 'ada' },
  expires_at: '2026-02-01T10:00:00Z',
};

function setup(me: UserRead | null, routes: Record<string, Reply | ((c: Call) => Reply)> = {}, entry = '/invite?token=tok-1') {
  const server = fakeServer({ 'GET /invitations/tok-1': ok(preview), ...routes });
  api.setTransport(server.transport);
  render(
    <QueryClientProvider client={testQueryClient(me)}>
      <MemoryRouter initialEntries={[entry]}>
        <Routes>
          <Route path="/invite" element={<InvitePage />} />
          <Route path="*" element={<h1>Elsewhere</h1>} />
        </Routes>
        <Where />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return server.calls;
}

describe('InvitePage', () => {
  it('says clearly when the link cannot be used', async () => {
    setup(null, { 'GET /invitations/tok-1': fail(400, 'invalid_token') });
    expect(await screen.findByText('This invitation cannot be used')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(/expired, was revoked or has already been used/);
    expect(screen.queryByRole('button', { name: /Create account/ })).not.toBeInTheDocument();
  });

  it('says when the link has no token', async () => {
    setup(null, {}, '/invite');
    expect(await screen.findByRole('alert')).toHaveTextContent('This link has no invitation token');
  });

  it('shows who invited whom where, then signs up with the token and logs in', async () => {
    const bob = makeUser({ id: 5, username: 'bob', email: 'bob@example.com' });
    const calls = setup(null, {
      'POST /auth/signup': ok({ user: bob }, 201),
      'POST /auth/login': ok({ user: bob, warnings: [] }),
    });
    expect(await screen.findByRole('heading', { name: 'Join Acme' })).toBeInTheDocument();
    expect(screen.getByText(/invited/).closest('p')).toHaveTextContent('ada invited bob@example.com to join Acme as a member.');
    const email = screen.getByLabelText('Email');
    expect(email).toHaveValue('bob@example.com');
    expect(email).toHaveAttribute('readonly');
    expect(screen.getByRole('link', { name: 'Log in to accept' })).toHaveAttribute(
      'href',
      `/login?next=${encodeURIComponent('/invite?token=tok-1')}`,
    );

    await userEvent.click(screen.getByRole('button', { name: 'Create account and join' }));
    expect(screen.getByText('Enter a username.')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Username'), 'bob');
    await userEvent.type(screen.getByLabelText('Password'), 'correct horse battery');
    await userEvent.type(screen.getByLabelText('Confirm password'), 'correct horse battery');
    await userEvent.click(screen.getByRole('button', { name: 'Create account and join' }));
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent(/^\/$/));
    const posts = calls.filter((c) => c.method === 'POST');
    expect(posts[0]).toMatchObject({
      url: '/auth/signup',
      data: { username: 'bob', email: 'bob@example.com', password: 'correct horse battery', invitation_token: 'tok-1' },
    });
    expect(posts[1]).toMatchObject({ url: '/auth/login', data: { login: 'bob', password: 'correct horse battery' } });
  });

  it('sends an existing account to log in', async () => {
    setup(null, { 'POST /auth/signup': fail(409, 'email_taken') });
    await userEvent.type(await screen.findByLabelText('Username'), 'bob');
    await userEvent.type(screen.getByLabelText('Password'), 'correct horse battery');
    await userEvent.type(screen.getByLabelText('Confirm password'), 'correct horse battery');
    await userEvent.click(screen.getByRole('button', { name: 'Create account and join' }));
    expect(await screen.findByText(/There is already an account for bob@example.com/)).toBeInTheDocument();
  });

  it('lets the invited account, logged in, join with one click', async () => {
    const calls = setup(makeUser({ username: 'bob', email: 'BOB@example.com' }), {
      'POST /invitations/accept': ok(makeWorkspace({ slug: 'acme', name: 'Acme', role: 'member' })),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Join Acme' }));
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent('/w/acme'));
    expect(calls.find((c) => c.method === 'POST')).toMatchObject({ url: '/invitations/accept', data: { token: 'tok-1' } });
  });

  it('tells another logged-in account the invitation is not theirs', async () => {
    const calls = setup(makeUser({ username: 'ada', email: 'ada@example.com' }), { 'POST /auth/logout': ok(null) });
    expect(await screen.findByText('This invitation is for another address')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Join Acme' })).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Log out and continue' }));
    expect(await screen.findByRole('button', { name: 'Create account and join' })).toBeInTheDocument();
    expect(calls.some((c) => c.url === '/auth/logout')).toBe(true);
  });
});
