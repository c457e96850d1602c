import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../../api/client';
import { fakeServer, ok, type Call } from '../../test/fakeServer';
import { makeUser, testQueryClient, Where } from '../../test/workspace';
import { AdminUsersPage } from './AdminUsersPage';

afterEach(() => {
  api.setTransport();
});

const root = makeUser({ id: 1, username: 'root', role: 'admin' });
const bob = makeUser({ id: 2, username: 'bob', email: 'bob@example.com' });

function setup() {
  const server = fakeServer({
    'GET /users': ok({ items: [root, bob], page: 1, per_page: 25, total: 2 }),
    'PATCH /users/1': (c) => ok({ ...root, ...(c.data as object) }),
    'PATCH /users/2': (c) => ok({ ...bob, ...(c.data as object) }),
  });
  api.setTransport(server.transport);
  render(
    <QueryClientProvider client={testQueryClient(root)}>
      <MemoryRouter initialEntries={['/admin/users']}>
        <AdminUsersPage />
        <Where />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return server.calls;
}

const patches = (calls: Call[]) => calls.filter((c) => c.method === 'PATCH');

describe('AdminUsersPage', () => {
  it('changes someone else at once', async () => {
    const calls = setup();
    await userEvent.click(await screen.findByRole('button', { name: 'Deactivate bob' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await waitFor(() => expect(patches(calls)).toMatchObject([{ url: '/users/2', data: { is_active: false } }]));
  });

  it('asks before an admin deactivates themself', async () => {
    const calls = setup();
    await userEvent.click(await screen.findByRole('button', { name: 'Deactivate root' }));
    const dialog = screen.getByRole('dialog', { name: 'Deactivate your own account?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(patches(calls)).toHaveLength(0);

    await userEvent.click(screen.getByRole('button', { name: 'Deactivate root' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Deactivate my account' }));
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent('/login'));
    expect(patches(calls)).toMatchObject([{ url: '/users/1', data: { is_active: false } }]);
  });

  it('asks before an admin demotes themself, and the select keeps its value until then', async () => {
    const calls = setup();
    await userEvent.selectOptions(await screen.findByLabelText('Role of root'), 'user');
    expect(screen.getByRole('dialog', { name: 'Stop being an administrator?' })).toBeInTheDocument();
    expect(screen.getByLabelText('Role of root')).toHaveValue('admin');
    expect(patches(calls)).toHaveLength(0);
    await userEvent.click(screen.getByRole('button', { name: 'Make me a user' }));
    await waitFor(() => expect(patches(calls)).toMatchObject([{ url: '/users/1', data: { role: 'user' } }]));
  });
});
