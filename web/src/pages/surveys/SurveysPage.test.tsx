import { act, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../api/client';
import type { Survey } from '../../api/types';
import { pageOf } from '../../test/customers';
import { fakeServer, ok } from '../../test/fakeServer';
import { makeWorkspace, renderInWorkspace } from '../../test/workspace';
import { SENDING_REFRESH_MS, SurveysPage } from './SurveysPage';

afterEach(() => {
  api.setTransport();
  vi.useRealTimers();
});

function survey(patch: Partial<Survey> = {}): Survey {
  return {
    id: 1,
    created_at: '2026-01-10T10:00:00Z',
    created_by: { id: 1, username: 'ada' },
    message: 'We changed our delivery partner.',
    queued: 12,
    sent: 12,
    failed: 0,
    answered: 5,
    ...patch,
  };
}

function setup(answers: Survey[][]) {
  let n = 0;
  const server = fakeServer({
    'GET /workspaces/7/surveys': () => ok(pageOf(answers[Math.min(n++, answers.length - 1)], answers[0].length, 20)),
  });
  api.setTransport(server.transport);
  renderInWorkspace(<SurveysPage />, { workspace: makeWorkspace({ role: 'member' }), entry: '/w/acme/surveys' });
  return server.calls;
}

const listCalls = (calls: { url: string }[]) => calls.filter((c) => c.url === '/workspaces/7/surveys').length;

describe('SurveysPage', () => {
  it('lists surveys with who sent them, the message and the progress', async () => {
    setup([[survey({ failed: 1, sent: 11 }), survey({ id: 2, message: '', created_by: { id: 2, username: 'bob' } })]]);
    const items = await screen.findAllByTestId('survey');
    expect(items[0]).toHaveTextContent('by ada');
    expect(items[0]).toHaveTextContent('We changed our delivery partner.');
    expect(within(items[0]).getByRole('img')).toHaveAccessibleName('11 of 12 sent, 1 failed, 5 answered');
    const numbers = within(items[0]).getAllByRole('definition').map((d) => d.textContent);
    expect(numbers).toEqual(['12', '11', '1', '5']);
    expect(items[1]).toHaveTextContent('No message.');
  });

  it('refreshes every 3 s while emails are still going out, and stops after', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const calls = setup([[survey({ sent: 4 })], [survey({ sent: 9 })], [survey({ sent: 12 })]]);
    expect(await screen.findByText('Sending: 8 to go')).toBeInTheDocument();
    await act(() => vi.advanceTimersByTimeAsync(SENDING_REFRESH_MS));
    expect(await screen.findByText('Sending: 3 to go')).toBeInTheDocument();
    await act(() => vi.advanceTimersByTimeAsync(SENDING_REFRESH_MS));
    await vi.waitFor(() => expect(screen.queryByText(/Sending:/)).not.toBeInTheDocument());
    const after = listCalls(calls);
    expect(after).toBe(3);
    await act(() => vi.advanceTimersByTimeAsync(SENDING_REFRESH_MS * 3));
    expect(listCalls(calls)).toBe(after);
  });

  it('does not refresh when nothing is sending', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const calls = setup([[survey()]]);
    await screen.findAllByTestId('survey');
    await act(() => vi.advanceTimersByTimeAsync(SENDING_REFRESH_MS * 2));
    expect(listCalls(calls)).toBe(1);
  });

  it('says when there is no survey yet', async () => {
    setup([[]]);
    expect(await screen.findByRole('heading', { name: 'No surveys yet' })).toBeInTheDocument();
  });
});
