import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../../api/client';
import { fail, ok } from '../../test/fakeServer';
import { openPublic, writes } from '../../test/public';

afterEach(() => {
  api.setTransport();
});

const acmeForm = { 'GET /public/forms/acme': ok({ workspace: { name: 'Acme' } }) };

async function fill() {
  await screen.findByRole('heading', { level: 1, name: 'How was your experience with Acme?' });
  await userEvent.type(screen.getByLabelText('Your name'), 'Grace');
  await userEvent.click(screen.getByLabelText('Your email'));
  await userEvent.paste('grace@example.com');
  await userEvent.click(screen.getByRole('radio', { name: /^2/ }));
  await userEvent.click(screen.getByLabelText('Comment (optional)'));
  await userEvent.paste('Too slow');
}

describe('the public form (/f/:slug)', () => {
  it('has a honeypot that people never see, reach or hear', async () => {
    openPublic('/f/acme', acmeForm);
    await screen.findByRole('heading', { level: 1, name: 'How was your experience with Acme?' });
    const trap = document.querySelector<HTMLInputElement>('input[name="website"]');
    expect(trap).not.toBeNull();
    expect(trap).toHaveAttribute('tabindex', '-1');
    expect(trap).toHaveAttribute('autocomplete', 'off');
    expect(trap).toHaveValue('');
    expect(trap!.closest('[aria-hidden="true"]')).toHaveClass('hp-field');
    // Out of the accessibility tree: no textbox named Website.
    expect(screen.queryByRole('textbox', { name: 'Website' })).not.toBeInTheDocument();
  });

  it('sends the answer without the empty honeypot, then thanks', async () => {
    const calls = openPublic('/f/acme', { ...acmeForm, 'POST /public/forms/acme': ok(null, 201) });
    await fill();
    await userEvent.click(screen.getByRole('button', { name: 'Submit' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Thank you, Grace!' })).toHaveFocus();
    expect(writes(calls)).toEqual([
      expect.objectContaining({
        url: '/public/forms/acme',
        data: { name: 'Grace', email: 'grace@example.com', satisfaction_score: 2, review: 'Too slow' },
      }),
    ]);
  });

  it('passes a filled honeypot on (the server drops such answers)', async () => {
    const calls = openPublic('/f/acme', { ...acmeForm, 'POST /public/forms/acme': ok(null, 201) });
    await fill();
    document.querySelector<HTMLInputElement>('input[name="website"]')!.value = 'http://spam.example';
    await userEvent.click(screen.getByRole('button', { name: 'Submit' }));
    await screen.findByRole('heading', { level: 1, name: 'Thank you, Grace!' });
    expect(writes(calls)[0].data).toMatchObject({ website: 'http://spam.example' });
  });

  it('checks the fields before sending', async () => {
    const calls = openPublic('/f/acme', acmeForm);
    await screen.findByRole('heading', { level: 1, name: 'How was your experience with Acme?' });
    await userEvent.click(screen.getByRole('button', { name: 'Submit' }));
    expect(screen.getByText('Enter your name.')).toBeInTheDocument();
    expect(screen.getByText('Enter your email address.')).toBeInTheDocument();
    expect(screen.getByText('Pick a score from 1 to 5.')).toBeInTheDocument();
    expect(writes(calls)).toHaveLength(0);
  });

  it('shows the server’s field errors (422)', async () => {
    openPublic('/f/acme', {
      ...acmeForm,
      'POST /public/forms/acme': fail(422, 'validation_failed', { fields: { email: ['is not a deliverable address'] } }),
    });
    await fill();
    await userEvent.click(screen.getByRole('button', { name: 'Submit' }));
    expect(await screen.findByText('Is not a deliverable address')).toBeInTheDocument();
    expect(screen.getByLabelText('Your email')).toHaveAttribute('aria-invalid', 'true');
  });

  it('says when a network sent too many answers (429)', async () => {
    openPublic('/f/acme', { ...acmeForm, 'POST /public/forms/acme': fail(429, 'rate_limited', {}, { 'retry-after': '600' }) });
    await fill();
    await userEvent.click(screen.getByRole('button', { name: 'Submit' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many answers from your network, try later');
  });

  it('says when the form is off or unknown (404)', async () => {
    const calls = openPublic('/f/closed', {});
    expect(await screen.findByRole('heading', { level: 1, name: 'This form is not available' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Submit' })).not.toBeInTheDocument();
    expect(calls.map((c) => c.url)).toEqual(['/public/forms/closed']);
  });
});
