import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../api/client';
import { fail, fakeTransport, fakeServer, ok, type Call, type Reply } from '../../test/fakeServer';
import { LoginPage } from './LoginPage';

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
  api.setTransport();
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
    const { transport, calls } = fakeTransport(() => ok());
    api.setTransport(transport);
    renderLogin();
    await userEvent.click(screen.getByRole('button', { name: 'Log in' }));
    expect(screen.getByText('Enter your username or email.')).toBeInTheDocument();
    expect(screen.getByLabelText('Username or email')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Username or email')).toHaveAccessibleDescription('Enter your username or email.');
    expect(calls).toHaveLength(0);
  });

  it('shows the locked message with the wait time', async () => {
    const { transport } = fakeTransport(() => fail(429, 'account_locked', {}, { 'retry-after': '600' }));
    api.setTransport(transport);
    renderLogin();
    await userEvent.type(screen.getByLabelText('Username or email'), 'ada');
    await userEvent.type(screen.getByLabelText('Password'), 'whatever');
    await userEvent.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/locked.*10 minutes/);
  });

  it('logs in and goes to the dashboard', async () => {
    const { transport, calls } = fakeTransport(() => ok({ user: { id: 1, username: 'ada' }, warnings: [] }));
    api.setTransport(transport);
    renderLogin();
    await userEvent.type(screen.getByLabelText('Username or email'), ' ada ');
    await userEvent.type(screen.getByLabelText('Password'), 'secret pass');
    await userEvent.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByRole('heading', { name: 'Dashboard' })).toBeInTheDocument();
    expect(calls[0]).toMatchObject({ method: 'POST', url: '/auth/login', data: { login: 'ada', password: 'secret pass' } });
  });

  it('goes back to the page that asked for a login', async () => {
    const { transport } = fakeTransport(() => ok({ user: { id: 1, username: 'ada' }, warnings: [] }));
    api.setTransport(transport);
    renderLogin(`/login?next=${encodeURIComponent('/customers?q=ada')}`);
    await submitLogin();
    expect(await screen.findByRole('heading', { name: 'Customers ?q=ada' })).toBeInTheDocument();
  });

  it.each(['/\\evil.com', '//evil.com', 'https://evil.com', '/\t/evil.com', '/..//evil.com', 'javascript:alert(1)'])(
    'ignores a next of %j and goes to the dashboard',
    async (next) => {
      const { transport } = fakeTransport(() => ok({ user: { id: 1, username: 'ada' }, warnings: [] }));
      api.setTransport(transport);
      renderLogin(`/login?next=${encodeURIComponent(next)}`);
      await submitLogin();
      expect(await screen.findByRole('heading', { name: 'Dashboard' })).toBeInTheDocument();
    },
  );
});

describe('LoginPage with two-factor', () => {
  const challenge = ok({ mfa_required: true, mfa_token: 'mfa-1', expires_in: 300 });
  const session = ok({ user: { id: 1, username: 'ada' }, warnings: [] });

  function server(second: Reply | ((c: Call) => Reply)) {
    const s = fakeServer({ 'POST /auth/login': challenge, 'POST /auth/login/2fa': second });
    api.setTransport(s.transport);
    return s.calls;
  }

  it('asks for the code after the password, then goes where the login was asked for', async () => {
    const calls = server(session);
    renderLogin(`/login?next=${encodeURIComponent('/customers?q=ada')}`);
    await submitLogin();
    expect(await screen.findByRole('heading', { name: 'Two-factor authentication' })).toBeInTheDocument();
    const code = screen.getByLabelText('6-digit code');
    expect(code).toHaveAttribute('autocomplete', 'one-time-code');
    expect(code).toHaveAttribute('inputmode', 'numeric');
    expect(code).toHaveFocus();
    await userEvent.type(code, '123 456');
    await userEvent.click(screen.getByRole('button', { name: 'Verify' }));
    expect(await screen.findByRole('heading', { name: 'Customers ?q=ada' })).toBeInTheDocument();
    expect(calls.map((c) => [c.url, c.data])).toEqual([
      ['/auth/login', { login: 'ada', password: 'secret pass' }],
      ['/auth/login/2fa', { mfa_token: 'mfa-1', code: '123456' }],
    ]);
  });

  it('checks the code before sending it, and shows a wrong one under the field', async () => {
    const calls = server(fail(401, 'invalid_code'));
    renderLogin();
    await submitLogin();
    await userEvent.click(await screen.findByRole('button', { name: 'Verify' }));
    expect(screen.getByText('Enter the 6-digit code from your authenticator app.')).toBeInTheDocument();
    expect(calls).toHaveLength(1);
    await userEvent.type(screen.getByLabelText('6-digit code'), '000000');
    await userEvent.click(screen.getByRole('button', { name: 'Verify' }));
    expect(await screen.findByText('This code is not valid, or it has already been used.')).toBeInTheDocument();
    expect(screen.getByLabelText('6-digit code')).toHaveAttribute('aria-invalid', 'true');
    // Still on the second step: no refresh, no restart.
    expect(calls.map((c) => c.url)).toEqual(['/auth/login', '/auth/login/2fa']);
  });

  it('takes a recovery code instead', async () => {
    const calls = server(session);
    renderLogin();
    await submitLogin();
    await userEvent.click(await screen.findByRole('button', { name: 'Use a recovery code instead' }));
    expect(screen.queryByLabelText('6-digit code')).not.toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Recovery code'), 'k7qx-m2pd');
    await userEvent.click(screen.getByRole('button', { name: 'Verify' }));
    expect(await screen.findByRole('heading', { name: 'Dashboard' })).toBeInTheDocument();
    expect(calls[1].data).toEqual({ mfa_token: 'mfa-1', code: 'k7qxm2pd' });
  });

  it('sends an expired challenge back to the password, with the login kept', async () => {
    server(fail(401, 'unauthorized'));
    renderLogin();
    await submitLogin();
    await userEvent.type(await screen.findByLabelText('6-digit code'), '123456');
    await userEvent.click(screen.getByRole('button', { name: 'Verify' }));
    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('That took too long: for your safety, enter your password again.');
    expect(screen.getByLabelText('Username or email')).toHaveValue('ada');
    expect(screen.getByLabelText('Password')).toHaveValue('');
  });

  it('goes back to the password when the challenge runs out on screen', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const s = fakeServer({ 'POST /auth/login': ok({ mfa_required: true, mfa_token: 'mfa-1', expires_in: 2 }) });
      api.setTransport(s.transport);
      renderLogin();
      await submitLogin();
      expect(await screen.findByLabelText('6-digit code')).toBeInTheDocument();
      act(() => vi.advanceTimersByTime(2100));
      expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument();
      expect(screen.getByText(/took too long/)).toBeInTheDocument();
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows a lockout on the second step', async () => {
    server(fail(429, 'account_locked', {}, { 'retry-after': '900' }));
    renderLogin();
    await submitLogin();
    await userEvent.type(await screen.findByLabelText('6-digit code'), '123456');
    await userEvent.click(screen.getByRole('button', { name: 'Verify' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/locked.*15 minutes/);
  });
});
