import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../../api/client';
import { makeCustomer, pageOf } from '../../test/customers';
import { fakeServer, ok } from '../../test/fakeServer';
import { renderInWorkspace } from '../../test/workspace';
import { CustomersPage } from './CustomersPage';

afterEach(() => {
  api.setTransport();
});

function setup(entry = '/w/acme/customers') {
  const server = fakeServer({
    'GET /workspaces/7/customers': ok(pageOf([makeCustomer(1, 'Ada Lovelace'), makeCustomer(2, 'Grace Hopper')])),
  });
  api.setTransport(server.transport);
  renderInWorkspace(<CustomersPage />, { entry });
  return server.calls;
}

const where = () => screen.getByTestId('where').textContent;

describe('CustomersPage', () => {
  it('searches once the typing stops, and follows the URL when the filters are cleared', async () => {
    const calls = setup();
    const box = screen.getByLabelText('Search customers');
    await userEvent.type(box, ' ada ');
    expect(box).toHaveValue(' ada ');
    await waitFor(() => expect(where()).toBe('/w/acme/customers?q=ada'));
    await waitFor(() => expect(calls.at(-1)?.params).toMatchObject({ q: 'ada' }));
    // The URL took the trimmed text: what was typed stays as it is.
    expect(box).toHaveValue(' ada ');
    await userEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(where()).toBe('/w/acme/customers');
    expect(box).toHaveValue('');
  });

  it('does not put back a search typed just before the filters were cleared', async () => {
    const calls = setup('/w/acme/customers?q=grace');
    const box = screen.getByLabelText('Search customers');
    await userEvent.type(box, ' h');
    await userEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(box).toHaveValue('');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(where()).toBe('/w/acme/customers');
    expect(calls.some((c) => c.params?.q === 'grace h')).toBe(false);
  });

  it('shows the search of the URL', async () => {
    setup('/w/acme/customers?q=grace');
    expect(screen.getByLabelText('Search customers')).toHaveValue('grace');
  });

  it('forgets the ticked customers when the filters change', async () => {
    setup();
    await userEvent.click(await screen.findByLabelText('Select Ada Lovelace'));
    expect(screen.getByText(/1 customer selected/)).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByLabelText('Min score'), '4');
    expect(await screen.findByText(/Tick customers to ask only them/)).toBeInTheDocument();
    expect(screen.getByLabelText('Select Ada Lovelace')).not.toBeChecked();
  });
});
