import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../api/client';
import type { WorkspaceRole } from '../api/types';
import { AppRoutes } from '../App';
import { fakeServer, ok } from '../test/fakeServer';
import { makeMember, makeUser, makeWorkspace, testQueryClient } from '../test/workspace';

afterEach(() => {
  api.setTransport();
});

function renderAs(role: WorkspaceRole, entry = '/w/acme/members') {
  const server = fakeServer({
    'GET /users/me': ok(makeUser()),
    'GET /workspaces': ok({ items: [makeWorkspace({ role })] }),
    'GET /workspaces/7/members': ok({ items: [makeMember('ada', role, 1)] }),
  });
  api.setTransport(server.transport);
  render(
    <QueryClientProvider client={testQueryClient()}>
      <MemoryRouter initialEntries={[entry]}>
        <AppRoutes />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return server.calls;
}

const links = async () => within(await screen.findByRole('navigation', { name: 'Main' })).findAllByRole('link');

describe('main navigation by role', () => {
  it.each(['viewer', 'member'] as const)('gives a %s the follow-ups, not webhooks or the audit log', async (role) => {
    renderAs(role);
    await screen.findByRole('heading', { name: 'Members' });
    const names = (await links()).map((l) => l.textContent);
    expect(names).toContain('Follow-ups');
    expect(names).not.toContain('Webhooks');
    expect(names).not.toContain('Audit log');
    expect(screen.getByRole('link', { name: 'Follow-ups' })).toHaveAttribute('href', '/w/acme/follow-ups');
  });

  it.each(['admin', 'owner'] as const)('gives an %s webhooks and the audit log', async (role) => {
    renderAs(role);
    await screen.findByRole('heading', { name: 'Members' });
    const names = (await links()).map((l) => l.textContent);
    expect(names).toEqual(expect.arrayContaining(['Follow-ups', 'Webhooks', 'Audit log']));
    expect(screen.getByRole('link', { name: 'Webhooks' })).toHaveAttribute('href', '/w/acme/webhooks');
    expect(screen.getByRole('link', { name: 'Audit log' })).toHaveAttribute('href', '/w/acme/audit');
  });

  it.each([
    ['/w/acme/webhooks', 'managing webhooks', '/webhooks'],
    ['/w/acme/audit', 'reading the audit log', '/audit'],
  ])('tells a member at %s why the page is not theirs, without asking the server', async (entry, what, route) => {
    const calls = renderAs('member', entry);
    expect(await screen.findByRole('heading', { name: 'Not available to members' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent(`${what} needs an admin role or higher`);
    expect(calls.some((c) => c.url.endsWith(route))).toBe(false);
  });
});
