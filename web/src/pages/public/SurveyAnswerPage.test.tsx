import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../../api/client';
import type { PublicSurvey } from '../../api/types';
import { fail, ok, type Call } from '../../test/fakeServer';
import { openPublic, writes } from '../../test/public';

afterEach(() => {
  api.setTransport();
});

function survey(patch: Partial<PublicSurvey> = {}): PublicSurvey {
  return {
    workspace: { name: 'Acme' },
    customer: { name: 'Ada' },
    answered: false,
    satisfaction_score: null,
    review: null,
    ...patch,
  };
}

const heading = (name: string | RegExp) => screen.findByRole('heading', { level: 1, name });

describe('the survey answer page (/r/:token)', () => {
  it('records nothing on opening: it only preselects the score of the link', async () => {
    const calls = openPublic('/r/tok-1?score=4', { 'GET /public/surveys/tok-1': ok(survey()) });
    expect(await heading('How was your experience with Acme?')).toBeInTheDocument();
    expect(screen.getByText(/Hi Ada,/)).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: /^4/ })).toBeChecked();
    expect(screen.getAllByRole('radio')).toHaveLength(5);
    expect(screen.getByRole('button', { name: 'Submit' })).toBeInTheDocument();
    // Give a stray effect the time to post: nothing but the one GET, and no account is asked for.
    await new Promise((r) => setTimeout(r, 50));
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['GET /public/surveys/tok-1']);
  });

  it('sends the score and the comment with Submit, then thanks', async () => {
    const calls = openPublic('/r/tok-1?score=4', {
      'GET /public/surveys/tok-1': ok(survey()),
      'POST /public/surveys/tok-1': (c: Call) => ok(c.data, 201),
    });
    await heading('How was your experience with Acme?');
    await userEvent.click(screen.getByRole('radio', { name: /^5/ }));
    await userEvent.click(screen.getByLabelText('Comment (optional)'));
    await userEvent.paste('Quick and friendly');
    await userEvent.click(screen.getByRole('button', { name: 'Submit' }));
    expect(await heading('Thank you, Ada!')).toHaveFocus();
    expect(screen.getByTestId('given-answer')).toHaveTextContent('5 out of 5 (Excellent)');
    expect(screen.getByTestId('given-answer')).toHaveTextContent('Quick and friendly');
    expect(screen.getByText('Your answer was sent. Thank you!')).toBeInTheDocument();
    expect(writes(calls)).toMatchObject([{ method: 'POST', url: '/public/surveys/tok-1', data: { satisfaction_score: 5, review: 'Quick and friendly' } }]);
  });

  it('asks for a score before sending when the link had none', async () => {
    const calls = openPublic('/r/tok-1', { 'GET /public/surveys/tok-1': ok(survey()) });
    await heading('How was your experience with Acme?');
    expect(screen.getAllByRole('radio').some((r) => (r as HTMLInputElement).checked)).toBe(false);
    await userEvent.click(screen.getByRole('button', { name: 'Submit' }));
    expect(screen.getByText('Choose a score from 1 to 5.')).toBeInTheDocument();
    expect(writes(calls)).toHaveLength(0);
  });

  it('shows a given answer and lets it be changed (200 replaces it)', async () => {
    const calls = openPublic('/r/tok-1?score=1', {
      'GET /public/surveys/tok-1': ok(survey({ answered: true, satisfaction_score: 3, review: 'Slow delivery' })),
      'POST /public/surveys/tok-1': (c: Call) => ok(c.data, 200),
    });
    expect(await heading('You already answered, thank you!')).toBeInTheDocument();
    expect(screen.getByTestId('given-answer')).toHaveTextContent('3 out of 5 (Okay)');
    await userEvent.click(screen.getByRole('button', { name: 'Change my answer' }));
    expect(screen.getByRole('radio', { name: /^3/ })).toBeChecked();
    expect(screen.getByLabelText('Comment (optional)')).toHaveValue('Slow delivery');
    await userEvent.click(screen.getByRole('radio', { name: /^4/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Submit' }));
    expect(await heading('Your answer was updated, thank you!')).toBeInTheDocument();
    expect(writes(calls)).toMatchObject([{ data: { satisfaction_score: 4, review: 'Slow delivery' } }]);
  });

  it('says the answer is final once the edit window is over (409)', async () => {
    openPublic('/r/tok-1', {
      'GET /public/surveys/tok-1': ok(survey({ answered: true, satisfaction_score: 2, review: '' })),
      'POST /public/surveys/tok-1': fail(409, 'already_answered'),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Change my answer' }));
    await userEvent.click(screen.getByRole('button', { name: 'Submit' }));
    expect(await heading('Your answer is final, thank you')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Submit' })).not.toBeInTheDocument();
  });

  it('says when the link has expired or is not valid (404)', async () => {
    openPublic('/r/nope?score=5', {});
    expect(await heading('This link has expired or is not valid')).toBeInTheDocument();
    expect(screen.queryByRole('radio')).not.toBeInTheDocument();
  });

  it('shows the server’s field errors', async () => {
    openPublic('/r/tok-1?score=2', {
      'GET /public/surveys/tok-1': ok(survey()),
      'POST /public/surveys/tok-1': fail(422, 'validation_failed', { fields: { review: ['contains control characters'] } }),
    });
    await heading('How was your experience with Acme?');
    await userEvent.click(screen.getByRole('button', { name: 'Submit' }));
    expect(await screen.findByText('Contains control characters')).toBeInTheDocument();
    expect(screen.getByLabelText('Comment (optional)')).toHaveAttribute('aria-invalid', 'true');
  });
});

describe('the unsubscribe page (/unsubscribe/:token)', () => {
  it('unsubscribes only when the button is pressed', async () => {
    const calls = openPublic('/unsubscribe/tok-2', { 'POST /public/unsubscribe/tok-2': ok(null) });
    const button = await screen.findByRole('button', { name: 'Unsubscribe' });
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toHaveLength(0);
    await userEvent.click(button);
    expect(await heading('You are unsubscribed')).toBeInTheDocument();
    expect(calls).toMatchObject([{ method: 'POST', url: '/public/unsubscribe/tok-2' }]);
  });

  it('says when the link is not valid', async () => {
    openPublic('/unsubscribe/nope', {});
    await userEvent.click(await screen.findByRole('button', { name: 'Unsubscribe' }));
    await waitFor(() => expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('This link has expired or is not valid'));
  });
});
