import { QueryClientProvider } from '@tanstack/react-query';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from './api/client';
import { queryKeys } from './api/queryKeys';
import type { Customer, UserRead, Workspace } from './api/types';
import { AppRoutes } from './App';
import { createQueryClient } from './auth/session';
import { fail, fakeServer, ok, type Call, type Reply } from './test/fakeServer';
import { makeUser, makeWorkspace, testQueryClient, Where } from './test/workspace';
import { makeCustomer } from './test/customers';

afterEach(() => {
  api.setTransport();
});

const acme = makeWorkspace({ id: 7, name: 'Acme', slug: 'acme', role: 'owner' });
const beta = makeWorkspace({ id: 8, name: 'Beta', slug: 'beta', role: 'viewer' });

function customer(id: number, name: string): Customer {
  return makeCustomer(id, name, { review: '', sentiment: 0, sentiment_class: 'neutral', created_at: '2026-01-10T00:00:00Z' });
}
const page = (items: Customer[]) => ok({ items, page: 1, per_page: 25, total: items.length });

function renderApp(
  entry: string,
  { me = makeUser(), workspaces = [acme, beta], routes = {} }: { me?: UserRead; workspaces?: Workspace[]; routes?: Record<string, Reply | ((call: Call) => Reply)> } = {},
) {
  const server = fakeServer({
    'GET /users/me': ok(me),
    'GET /workspaces': ok({ items: workspaces }),
    'GET /workspaces/7/customers': page([customer(1, 'Ada Acme')]),
    'GET /workspaces/8/customers': page([customer(2, 'Bob Beta')]),
    ...routes,
  });
  api.setTransport(server.transport);
  render(
    <QueryClientProvider client={testQueryClient()}>
      <MemoryRouter initialEntries={[entry]}>
        <AppRoutes />
        <Where />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return server.calls;
}

const where = () => screen.getByTestId('where');

describe('workspace routes', () => {
  it('sends a first-release path to the default workspace, keeping the filters', async () => {
    const calls = renderApp('/customers?min_score=5');
    expect(await screen.findByText('Ada Acme')).toBeInTheDocument();
    expect(where()).toHaveTextContent('/w/acme/customers?min_score=5');
    expect(calls.find((c) => c.url === '/workspaces/7/customers')?.params).toMatchObject({ min_score: 5 });
    // Nothing goes to the first-release paths any more.
    expect(calls.some((c) => c.url.startsWith('/customers'))).toBe(false);
  });

  it('opens the account’s default workspace at /', async () => {
    renderApp('/', {
      me: makeUser({ default_workspace_id: 8 }),
      routes: { 'GET /workspaces/8/analytics/summary': ok({ count: 0, distribution: {}, sentiment: { positive: 0, neutral: 0, negative: 0 } }) },
    });
    // The dashboard is loaded lazily (with the charts): give it time.
    expect(await screen.findByRole('heading', { name: 'No feedback in Beta yet' }, { timeout: 5000 })).toBeInTheDocument();
    expect(where()).toHaveTextContent(/^\/w\/beta$/);
  });

  it('shows a not-found page with the user’s workspaces for a workspace they are not in', async () => {
    const calls = renderApp('/w/someone-else/customers');
    expect(await screen.findByRole('heading', { name: 'Workspace not found' })).toBeInTheDocument();
    const mine = screen.getByRole('list', { name: 'Your workspaces' });
    expect(within(mine).getByRole('link', { name: 'Acme' })).toHaveAttribute('href', '/w/acme');
    expect(within(mine).getByRole('link', { name: 'Beta' })).toHaveAttribute('href', '/w/beta');
    expect(calls.some((c) => c.url.includes('/customers'))).toBe(false);
  });

  it('switches workspaces from the header: the URL and the data change', async () => {
    renderApp('/w/acme/customers');
    expect(await screen.findByText('Ada Acme')).toBeInTheDocument();
    const switcher = screen.getByRole('button', { name: 'Workspace: Acme' });
    expect(switcher).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(switcher);
    const menu = screen.getByRole('navigation', { name: 'Workspaces' });
    expect(within(menu).getByRole('link', { name: /Acme/ })).toHaveAttribute('aria-current', 'true');
    await userEvent.click(within(menu).getByRole('link', { name: /Beta/ }));
    expect(await screen.findByText('Bob Beta')).toBeInTheDocument();
    expect(screen.queryByText('Ada Acme')).not.toBeInTheDocument();
    expect(where()).toHaveTextContent('/w/beta/customers');
    expect(screen.getByRole('button', { name: 'Workspace: Beta' })).toBeInTheDocument();
    expect(screen.queryByRole('navigation', { name: 'Workspaces' })).not.toBeInTheDocument();
  });

  it('closes the switcher with Escape and offers "Create workspace"', async () => {
    renderApp('/w/acme/customers');
    await userEvent.click(await screen.findByRole('button', { name: 'Workspace: Acme' }));
    expect(screen.getByRole('button', { name: 'Create workspace' })).toBeInTheDocument();
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('navigation', { name: 'Workspaces' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Workspace: Acme' })).toHaveFocus();
  });

  it('creates a workspace and lands on its dashboard', async () => {
    const gamma = makeWorkspace({ id: 9, name: 'Gamma Shop', slug: 'gamma-shop', role: 'owner' });
    const workspaces = [acme, beta];
    const calls = renderApp('/w/acme/customers', {
      routes: {
        'GET /workspaces': () => ok({ items: workspaces }),
        'POST /workspaces': () => {
          workspaces.push(gamma);
          return ok(gamma, 201);
        },
        'GET /workspaces/9/analytics/summary': ok({ count: 0, distribution: {}, sentiment: { positive: 0, neutral: 0, negative: 0 } }),
      },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Workspace: Acme' }));
    await userEvent.click(screen.getByRole('button', { name: 'Create workspace' }));
    const dialog = screen.getByRole('dialog', { name: 'Create workspace' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create workspace' }));
    expect(within(dialog).getByText('Enter a name.')).toBeInTheDocument();
    await userEvent.type(within(dialog).getByLabelText('Workspace name'), 'Gamma Shop');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create workspace' }));
    expect(await screen.findByRole('heading', { name: 'Get Gamma Shop started' }, { timeout: 5000 })).toBeInTheDocument();
    expect(where()).toHaveTextContent('/w/gamma-shop');
    expect(calls.find((c) => c.method === 'POST')).toMatchObject({ url: '/workspaces', data: { name: 'Gamma Shop' } });
    // The first steps of a new workspace: import, add by hand, and (soon) asking customers.
    expect(screen.getByRole('link', { name: 'Import a CSV' })).toHaveAttribute('href', '/w/gamma-shop/customers/import');
    expect(screen.getByRole('button', { name: 'Add a customer' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: /Ask your customers/ })).toBeInTheDocument();
  });

  it('says what to do when the account is in no workspace', async () => {
    renderApp('/', { workspaces: [] });
    expect(await screen.findByRole('heading', { name: 'You are not in any workspace yet' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Create workspace' })).toBeInTheDocument();
  });
});

describe('second-release routes', () => {
  it('has Surveys in the navigation, and /surveys opens the default workspace’s', async () => {
    renderApp('/surveys', { routes: { 'GET /workspaces/7/surveys': page([]) } });
    expect(await screen.findByRole('heading', { name: 'Surveys', level: 1 })).toBeInTheDocument();
    expect(where()).toHaveTextContent('/w/acme/surveys');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Surveys' })).toHaveAttribute('href', '/w/acme/surveys');
  });

  it('opens a customer’s page from the list', async () => {
    renderApp('/w/acme/customers', {
      routes: {
        'GET /workspaces/7/customers/1': ok(customer(1, 'Ada Acme')),
        'GET /workspaces/7/customers/1/responses': page([]),
      },
    });
    await userEvent.click(await screen.findByRole('link', { name: 'Ada Acme' }));
    expect(await screen.findByRole('heading', { name: 'Ada Acme', level: 1 })).toBeInTheDocument();
    expect(where()).toHaveTextContent('/w/acme/customers/1');
  });

  it('serves the public pages without an account or the app around them', async () => {
    const calls = renderApp('/f/acme', { routes: { 'GET /public/forms/acme': ok({ workspace: { name: 'Acme' } }) } });
    expect(await screen.findByRole('heading', { name: 'How was your experience with Acme?' })).toBeInTheDocument();
    expect(screen.queryByRole('navigation', { name: 'Main' })).not.toBeInTheDocument();
    expect(calls.map((c) => c.url)).toEqual(['/public/forms/acme']);
  });
});

describe('a viewer', () => {
  it('sees no buttons to add, import, edit or delete, and no settings', async () => {
    renderApp('/w/beta/customers');
    expect(await screen.findByText('Bob Beta')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Export CSV' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Add customer' })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Import CSV' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Edit / })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Delete / })).not.toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Members' })).toHaveAttribute('href', '/w/beta/members');
    expect(within(nav).queryByRole('link', { name: 'Settings' })).not.toBeInTheDocument();
    expect(within(nav).queryByRole('link', { name: 'API keys' })).not.toBeInTheDocument();
  });

  it('is told that API keys are for admins', async () => {
    const calls = renderApp('/w/beta/api-keys');
    expect(await screen.findByRole('heading', { name: 'Not available to viewers' })).toBeInTheDocument();
    expect(screen.getByText(/managing API keys needs an admin role or higher/)).toBeInTheDocument();
    expect(calls.some((c) => c.url.includes('api-keys'))).toBe(false);
  });

  it('is told why the import page is not for them', async () => {
    renderApp('/w/beta/customers/import');
    expect(await screen.findByRole('heading', { name: 'Not available to viewers' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Preview import' })).not.toBeInTheDocument();
  });

  it('an owner sees them all, and the settings', async () => {
    renderApp('/w/acme/customers');
    expect(await screen.findByText('Ada Acme')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add customer' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Import CSV' })).toHaveAttribute('href', '/w/acme/customers/import');
    expect(screen.getByRole('button', { name: 'Edit Ada Acme' })).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Settings' })).toBeInTheDocument();
    expect(within(nav).getByRole('link', { name: 'API keys' })).toHaveAttribute('href', '/w/acme/api-keys');
  });
});

describe('a workspace that requires two-factor', () => {
  const strict = makeWorkspace({ ...acme, settings: { ...acme.settings, require_two_factor: true } });

  it('explains itself to a member without two-factor, and links to the account page', async () => {
    const calls = renderApp('/w/acme/customers', { workspaces: [strict, beta] });
    expect(await screen.findByRole('heading', { name: 'Acme requires two-factor authentication' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Set up two-factor authentication' })).toHaveAttribute('href', '/account#two-factor');
    expect(screen.getByRole('link', { name: 'Beta' })).toHaveAttribute('href', '/w/beta');
    expect(calls.some((c) => c.url.startsWith('/workspaces/7/'))).toBe(false);
  });

  it('opens for a member with two-factor', async () => {
    renderApp('/w/acme/customers', { workspaces: [strict, beta], me: makeUser({ two_factor_enabled: true }) });
    expect(await screen.findByText('Ada Acme')).toBeInTheDocument();
  });

  it('explains itself when the server refuses with two_factor_required (the requirement is new)', async () => {
    let workspaces = [acme, beta];
    const server = fakeServer({
      'GET /users/me': ok(makeUser()),
      'GET /workspaces': () => ok({ items: workspaces }),
      'GET /workspaces/7/customers': () => {
        workspaces = [strict, beta];
        return fail(403, 'two_factor_required');
      },
    });
    api.setTransport(server.transport);
    render(
      <QueryClientProvider client={createQueryClient()}>
        <MemoryRouter initialEntries={['/w/acme/customers']}>
          <AppRoutes />
        </MemoryRouter>
      </QueryClientProvider>,
    );
    expect(await screen.findByRole('heading', { name: 'Acme requires two-factor authentication' })).toBeInTheDocument();
  });
});

describe('the workspace in the header', () => {
  it('stays the last one shown on pages outside a workspace', async () => {
    renderApp('/w/beta/customers', { me: makeUser({ default_workspace_id: 7 }) });
    expect(await screen.findByText('Bob Beta')).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    await userEvent.click(within(nav).getByRole('link', { name: 'Account' }));
    expect(where()).toHaveTextContent(/^\/account$/);
    expect(within(nav).getByRole('link', { name: 'Follow-ups' })).toHaveAttribute('href', '/w/beta/follow-ups');
  });

  it('is followed to its new address when it is renamed elsewhere', async () => {
    let workspaces = [acme, beta];
    const server = fakeServer({
      'GET /users/me': ok(makeUser()),
      'GET /workspaces': () => ok({ items: workspaces }),
      'GET /workspaces/7/customers': page([customer(1, 'Ada Acme')]),
    });
    api.setTransport(server.transport);
    const qc = testQueryClient();
    render(
      <QueryClientProvider client={qc}>
        <MemoryRouter initialEntries={['/w/acme/customers?q=ada']}>
          <AppRoutes />
          <Where />
        </MemoryRouter>
      </QueryClientProvider>,
    );
    expect(await screen.findByText('Ada Acme')).toBeInTheDocument();
    workspaces = [{ ...acme, name: 'Acme Ltd', slug: 'acme-ltd' }, beta];
    await act(() => qc.invalidateQueries({ queryKey: queryKeys.workspaces }));
    await waitFor(() => expect(where()).toHaveTextContent('/w/acme-ltd/customers?q=ada'));
  });
});
