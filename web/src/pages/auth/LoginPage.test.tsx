import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../../api/client';
import { fail, fakeAdapter, ok } from '../../test/fakeAdapter';
import { LoginPage } from './LoginPage';

const original = api.defaults.adapter;

function Where() {
  const location = useLocation();
  return <h1>Customers {location.search}</h1>;
}

async function submitLogin() {
  await userEvent.type(screen.getByLabelText('Username or email'), 'ada');
  await userEvent.type(screen.getByLabelText('Password'), 'secret pass');
  await userEvent.click(screen.getByRole('button', { name: 'Log in' }));
}
afterEach(() => {
  api.defaults.adapter = original;
});

function renderLogin(entry = '/login') {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <MemoryRouter initialEntries={[entry]}>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/" element={<h1>Dashboard</h1>} />
          <Route path="/customers" element={<Where />} />
          <Route path="*" element={<h1>Elsewhere</h1>} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('LoginPage', () => {
  it('has the right autocomplete attributes', () => {
    renderLogin();
    expect(screen.getByLabelText('Username or email')).toHaveAttribute('autocomplete', 'username');
    expect(screen.getByLabelText('Password')).toHaveAttribute('autocomplete', 'current-password');
    expect(screen.getByLabelText('Password')).toHaveAttribute('type', 'password');
  });

  it('validates before sending anything', async () => {
    const { adapter, calls } = fakeAdapter(() => ok());
    api.defaults.adapter = adapter;
    renderLogin();
    await userEvent.click(screen.getByRole('button', { name: 'Log in' }));
    expect(screen.getByText('Enter your username or email.')).toBeInTheDocument();
    expect(screen.getByLabelText('Username or email')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Username or email')).toHaveAccessibleDescription('Enter your username or email.');
    expect(calls).toHaveLength(0);
  });

  it('shows the locked message with the wait time', async () => {
    const { adapter } = fakeAdapter(() => fail(429, 'account_locked', {}, { 'retry-after': '600' }));
    api.defaults.adapter = adapter;
    renderLogin();
    await userEvent.type(screen.getByLabelText('Username or email'), 'ada');
    await userEvent.type(screen.getByLabelText('Password'), 'whatever');
    await userEvent.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/locked.*10 minutes/);
  });

  it('logs in and goes to the dashboard', async () => {
    const { adapter, calls } = fakeAdapter(() => ok({ user: { id: 1, username: 'ada' }, warnings: [] }));
    api.defaults.adapter = adapter;
    renderLogin();
    await userEvent.type(screen.getByLabelText('Username or email'), ' ada ');
    await userEvent.type(screen.getByLabelText('Password'), 'secret pass');
    await userEvent.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByRole('heading', { name: 'Dashboard' })).toBeInTheDocument();
    expect(calls[0]).toMatchObject({ method: 'POST', url: '/auth/login', data: { login: 'ada', password: 'secret pass' } });
  });

  it('goes back to the page that asked for a login', async () => {
    const { adapter } = fakeAdapter(() => ok({ user: { id: 1, username: 'ada' }, warnings: [] }));
    api.defaults.adapter = adapter;
    renderLogin(`/login?next=${encodeURIComponent('/customers?q=ada')}`);
    await submitLogin();
    expect(await screen.findByRole('heading', { name: 'Customers ?q=ada' })).toBeInTheDocument();
  });

  it.each(['/\\evil.com', '//evil.com', 'https://evil.com', '/\t/evil.com', '/..//evil.com', 'javascript:alert(1)'])(
    'ignores a next of %j and goes to the dashboard',
    async (next) => {
      const { adapter } = fakeAdapter(() => ok({ user: { id: 1, username: 'ada' }, warnings: [] }));
      api.defaults.adapter = adapter;
      renderLogin(`/login?next=${encodeURIComponent(next)}`);
      await submitLogin();
      expect(await screen.findByRole('heading', { name: 'Dashboard' })).toBeInTheDocument();
    },
  );
});
