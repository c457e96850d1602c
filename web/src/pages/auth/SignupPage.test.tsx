import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../../api/client';
import { fail, fakeServer } from '../../test/fakeServer';
import { testQueryClient } from '../../test/workspace';
import { SignupPage } from './SignupPage';

afterEach(() => {
  api.setTransport();
});

describe('SignupPage', () => {
  it('explains invite-only sign-up (SIGNUP_MODE=invite) instead of a bare error', async () => {
    api.setTransport(fakeServer({ 'POST /auth/signup': fail(403, 'signup_closed') }).transport);
    render(
      <QueryClientProvider client={testQueryClient(null)}>
        <MemoryRouter>
          <SignupPage />
        </MemoryRouter>
      </QueryClientProvider>,
    );
    await userEvent.type(screen.getByLabelText('Username'), 'carol');
    await userEvent.type(screen.getByLabelText('Email'), 'carol@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'correct horse battery');
    await userEvent.type(screen.getByLabelText('Confirm password'), 'correct horse battery');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByRole('heading', { name: 'Sign-up is by invitation' })).toBeInTheDocument();
    expect(screen.getByText(/Ask an admin of the workspace you want to join to invite carol@example.com/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Back to the sign-up form' }));
    expect(screen.getByLabelText('Username')).toHaveValue('carol');
  });
});
