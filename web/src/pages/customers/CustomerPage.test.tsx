import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../../api/client';
import type { FeedbackResponse, WorkspaceRole } from '../../api/types';
import { makeCustomer, makeResponse, pageOf } from '../../test/customers';
import { fail, fakeServer, ok, type Call, type Reply } from '../../test/fakeServer';
import { makeWorkspace, renderInWorkspace } from '../../test/workspace';
import { CustomerPage } from './CustomerPage';

afterEach(() => {
  api.setTransport();
});

const history = [
  makeResponse(12, 5, { satisfaction_score: 2, review: 'Late again', feedback_at: '2026-01-20T09:30:00Z', source: 'survey', sentiment: -0.4, sentiment_class: 'negative' }),
  makeResponse(11, 5, { satisfaction_score: 5, review: 'Lovely', feedback_at: '2025-12-01T00:00:00Z', source: 'import', sentiment: 0.6 }),
];

function setup(
  responses: FeedbackResponse[],
  { role = 'member', unsubscribed = false, routes = {} }: { role?: WorkspaceRole; unsubscribed?: boolean; routes?: Record<string, Reply | ((c: Call) => Reply)> } = {},
) {
  const server = fakeServer({
    'GET /workspaces/7/customers/5': ok(makeCustomer(5, 'Ada Lovelace', { response_count: responses.length, unsubscribed })),
    'GET /workspaces/7/customers/5/responses': ok(pageOf(responses, responses.length, 20)),
    ...routes,
  });
  api.setTransport(server.transport);
  renderInWorkspace(
    <Routes>
      <Route path="/w/:slug/customers/:id" element={<CustomerPage />} />
      <Route path="*" element={<p>elsewhere</p>} />
    </Routes>,
    { workspace: makeWorkspace({ role }), entry: '/w/acme/customers/5' },
  );
  return server.calls;
}

const writes = (calls: Call[]) => calls.filter((c) => c.method !== 'GET');

describe('CustomerPage', () => {
  it('shows the customer and their responses, newest first, with source and sentiment', async () => {
    setup(history, { unsubscribed: true });
    expect(await screen.findByRole('heading', { level: 1, name: /Ada Lovelace/ })).toBeInTheDocument();
    expect(screen.getByTestId('subscription')).toHaveTextContent('unsubscribed');
    const items = await screen.findAllByTestId('response');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent('Late again');
    expect(items[0]).toHaveTextContent('Survey');
    expect(items[0]).toHaveTextContent('negative');
    expect(within(items[0]).getByLabelText('2 out of 5')).toBeInTheDocument();
    expect(items[1]).toHaveTextContent('Imported');
    expect(screen.getByRole('link', { name: '← Back to the list' })).toHaveAttribute('href', '/w/acme/customers');
  });

  it('adds a response', async () => {
    const calls = setup(history, { routes: { 'POST /workspaces/7/customers/5/responses': ok(makeResponse(13, 5), 201) } });
    await userEvent.click(await screen.findByRole('button', { name: 'Add a response' }));
    const dialog = screen.getByRole('dialog', { name: 'Add a response from Ada Lovelace' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add response' }));
    expect(within(dialog).getByText('Pick a score from 1 to 5.')).toBeInTheDocument();
    await userEvent.selectOptions(within(dialog).getByLabelText('Satisfaction score'), '3');
    await userEvent.click(within(dialog).getByLabelText('Review'));
    await userEvent.paste('Okay this time');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add response' }));
    expect(await screen.findByText('The response was added.')).toBeInTheDocument();
    expect(writes(calls)).toMatchObject([
      { method: 'POST', url: '/workspaces/7/customers/5/responses', data: { satisfaction_score: 3, review: 'Okay this time' } },
    ]);
  });

  it('corrects a response, sending only what changed', async () => {
    const calls = setup(history, { routes: { 'PATCH /workspaces/7/responses/12': ok(history[0]) } });
    const first = (await screen.findAllByTestId('response'))[0];
    await userEvent.click(within(first).getByRole('button', { name: /^Correct the response of/ }));
    const dialog = screen.getByRole('dialog', { name: 'Correct this response' });
    expect(within(dialog).getByLabelText('Satisfaction score')).toHaveValue('2');
    await userEvent.selectOptions(within(dialog).getByLabelText('Satisfaction score'), '3');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save correction' }));
    expect(await screen.findByText('The response was corrected.')).toBeInTheDocument();
    expect(writes(calls)).toEqual([expect.objectContaining({ method: 'PATCH', url: '/workspaces/7/responses/12', data: { satisfaction_score: 3 } })]);
  });

  it('deletes a response after asking', async () => {
    const calls = setup(history, { routes: { 'DELETE /workspaces/7/responses/11': ok(null) } });
    const second = (await screen.findAllByTestId('response'))[1];
    await userEvent.click(within(second).getByRole('button', { name: /^Delete the response of/ }));
    const dialog = screen.getByRole('dialog', { name: 'Delete this response?' });
    expect(writes(calls)).toHaveLength(0);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete response' }));
    expect(await screen.findByText('The response was deleted.')).toBeInTheDocument();
    expect(writes(calls)).toMatchObject([{ method: 'DELETE', url: '/workspaces/7/responses/11' }]);
  });

  it('shows the server’s message when it refuses a delete (409)', async () => {
    setup(history, {
      routes: { 'DELETE /workspaces/7/responses/11': fail(409, 'conflict', { message: 'A customer keeps at least one response: delete the customer.' }) },
    });
    const second = (await screen.findAllByTestId('response'))[1];
    await userEvent.click(within(second).getByRole('button', { name: /^Delete the response of/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Delete response' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('A customer keeps at least one response: delete the customer.');
  });

  it('does not offer to delete the only response, and says to delete the customer instead', async () => {
    setup([history[0]]);
    const del = await screen.findByRole('button', { name: /^Delete the response of/ });
    expect(del).toBeDisabled();
    expect(del).toHaveAccessibleDescription('This is Ada Lovelace’s only response. To remove it, delete the customer instead.');
    expect(screen.getByRole('button', { name: 'Delete customer' })).toBeEnabled();
  });

  it('is read-only for viewers', async () => {
    setup(history, { role: 'viewer' });
    await screen.findAllByTestId('response');
    expect(screen.queryByRole('button', { name: 'Add a response' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Correct/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Delete/ })).not.toBeInTheDocument();
  });

  it('says when the customer does not exist', async () => {
    setup(history, { routes: { 'GET /workspaces/7/customers/5': fail(404, 'not_found') } });
    expect(await screen.findByRole('heading', { name: 'Customer not found' })).toBeInTheDocument();
  });

  it('goes back to the list after deleting the customer', async () => {
    setup(history, { routes: { 'DELETE /workspaces/7/customers/5': ok(null) } });
    await userEvent.click(await screen.findByRole('button', { name: 'Delete customer' }));
    await userEvent.click(within(screen.getByRole('dialog', { name: 'Delete customer?' })).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent(/^\/w\/acme\/customers$/));
  });
});
