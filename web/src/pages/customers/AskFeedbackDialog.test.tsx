import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../../api/client';
import type { WorkspaceRole } from '../../api/types';
import { makeCustomer, pageOf } from '../../test/customers';
import { fail, fakeServer, ok, type Call, type Reply } from '../../test/fakeServer';
import { makeWorkspace, renderInWorkspace } from '../../test/workspace';
import { CustomersPage } from './CustomersPage';

afterEach(() => {
  api.setTransport();
});

const people = [makeCustomer(1, 'Ada Lovelace'), makeCustomer(2, 'Bob Ross', { unsubscribed: true }), makeCustomer(3, 'Cleo Wu', { response_count: 3 })];
const queued = { survey_id: 9, queued: 12, skipped_recent: 3, skipped_unsubscribed: 1 };

function setup(entry = '/w/acme/customers', role: WorkspaceRole = 'member', routes: Record<string, Reply | ((c: Call) => Reply)> = {}) {
  const server = fakeServer({
    'GET /workspaces/7/customers': ok(pageOf(people, 120)),
    'POST /workspaces/7/surveys': ok(queued, 202),
    ...routes,
  });
  api.setTransport(server.transport);
  renderInWorkspace(<CustomersPage />, { workspace: makeWorkspace({ role }), entry });
  return server.calls;
}

const posts = (calls: Call[]) => calls.filter((c) => c.method === 'POST');

describe('asking customers for feedback', () => {
  it('asks the ticked customers only', async () => {
    const calls = setup();
    await userEvent.click(await screen.findByRole('checkbox', { name: 'Select Ada Lovelace' }));
    await userEvent.click(screen.getByRole('checkbox', { name: 'Select Cleo Wu' }));
    expect(screen.getByText(/2 customers selected/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Ask for feedback' }));
    const dialog = screen.getByRole('dialog', { name: 'Ask for feedback' });
    expect(dialog).toHaveTextContent('the 2 customers you selected');
    await userEvent.click(within(dialog).getByLabelText('Message (optional)'));
    await userEvent.paste('We changed our delivery partner.');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Send survey' }));
    expect(await within(dialog).findByTestId('survey-result')).toHaveTextContent(
      '12 will be asked; 3 skipped because they were asked in the last 30 days; 1 unsubscribed.',
    );
    expect(posts(calls)).toEqual([
      expect.objectContaining({ url: '/workspaces/7/surveys', data: { customer_ids: [1, 3], message: 'We changed our delivery partner.' } }),
    ]);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Done' }));
    // Sent: the selection is cleared.
    expect(screen.getByRole('checkbox', { name: 'Select Ada Lovelace' })).not.toBeChecked();
  });

  it('with nobody ticked, asks everyone the current filters match', async () => {
    const calls = setup('/w/acme/customers?min_score=4&q=late');
    await userEvent.click(await screen.findByRole('button', { name: 'Ask for feedback' }));
    const dialog = screen.getByRole('dialog', { name: 'Ask for feedback' });
    expect(dialog).toHaveTextContent('the 120 customers matching the current filters');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Send survey' }));
    await within(dialog).findByTestId('survey-result');
    expect(posts(calls)[0].data).toEqual({ filter: { min_score: 4, q: 'late' } });
  });

  it('previews the email: subject, message, five scores and the unsubscribe line; counts the characters', async () => {
    setup();
    await userEvent.click(await screen.findByRole('button', { name: 'Ask for feedback' }));
    const preview = screen.getByRole('region', { name: 'Email preview' });
    expect(preview).toHaveTextContent('How was your experience with Acme?');
    expect(within(preview).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['1', '2', '3', '4', '5']);
    expect(preview).toHaveTextContent('Unsubscribe');
    await userEvent.click(screen.getByLabelText('Message (optional)'));
    await userEvent.paste('Hello there');
    expect(preview).toHaveTextContent('Hello there');
    expect(screen.getByText(/11 \/ 1,000 characters/)).toBeInTheDocument();
    expect(screen.getByLabelText('Message (optional)')).toHaveAttribute('maxlength', '1000');
  });

  it('shows the server’s refusal', async () => {
    setup('/w/acme/customers', 'member', {
      'POST /workspaces/7/surveys': fail(422, 'validation_failed', { fields: { customer_ids: ['contains a customer of another workspace'] } }),
    });
    await userEvent.click(await screen.findByRole('checkbox', { name: 'Select Ada Lovelace' }));
    await userEvent.click(screen.getByRole('button', { name: 'Ask for feedback' }));
    await userEvent.click(screen.getByRole('button', { name: 'Send survey' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Contains a customer of another workspace');
  });

  it('is not offered to viewers, who get no checkboxes either', async () => {
    setup('/w/acme/customers', 'viewer');
    expect(await screen.findByRole('link', { name: 'Ada Lovelace' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Ask for feedback' })).not.toBeInTheDocument();
    expect(screen.queryByRole('checkbox')).not.toBeInTheDocument();
  });
});

describe('the customer list', () => {
  it('links each name to the customer’s page and shows who unsubscribed', async () => {
    setup();
    expect(await screen.findByRole('link', { name: 'Ada Lovelace' })).toHaveAttribute('href', '/w/acme/customers/1');
    const bob = screen.getAllByTestId('customer-row')[1];
    expect(bob).toHaveTextContent('unsubscribed');
    expect(screen.getAllByTestId('customer-row')[2]).toHaveTextContent('3 responses');
  });

  it('selects and clears a whole page', async () => {
    setup();
    const all = await screen.findByRole('checkbox', { name: 'Select all on this page' });
    await userEvent.click(all);
    expect(screen.getByText(/3 customers selected/)).toBeInTheDocument();
    await userEvent.click(all);
    await waitFor(() => expect(screen.queryByText(/customers selected/)).not.toBeInTheDocument());
    await userEvent.click(screen.getByRole('checkbox', { name: 'Select Bob Ross' }));
    expect((all as HTMLInputElement).indeterminate).toBe(true);
    await userEvent.click(screen.getByRole('button', { name: 'Clear selection' }));
    expect(screen.getByRole('checkbox', { name: 'Select Bob Ross' })).not.toBeChecked();
  });
});
