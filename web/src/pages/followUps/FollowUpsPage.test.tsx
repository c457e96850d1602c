import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../../api/client';
import type { FollowUp, FollowUpUpdate, WorkspaceRole } from '../../api/types';
import { makeResponse, pageOf } from '../../test/customers';
import { fail, fakeServer, ok, type Call, type Reply } from '../../test/fakeServer';
import { makeFollowUp } from '../../test/followUps';
import { makeMember, makeWorkspace, renderInWorkspace } from '../../test/workspace';
import { FollowUpsPage } from './FollowUpsPage';

afterEach(() => {
  api.setTransport();
});

/** A fake server keeping the follow-ups, filtering them as the real one does. */
function setup(
  initial: FollowUp[],
  { role = 'member', entry = '/w/acme/follow-ups', routes = {} }: { role?: WorkspaceRole; entry?: string; routes?: Record<string, Reply | ((c: Call) => Reply)> } = {},
) {
  let items = [...initial];
  const server = fakeServer({
    'GET /workspaces/7/follow-ups': (c) => {
      const p = c.params ?? {};
      const shown = items.filter(
        (f) => (!p.status || f.status === p.status) && (p.assignee !== 'me' || f.assignee?.id === 1),
      );
      return ok(pageOf(shown, shown.length, 20));
    },
    'GET /workspaces/7/members': ok({ items: [makeMember('ada', role, 1), makeMember('bob', 'member', 2)] }),
    'GET /workspaces/7/customers/5/responses': ok(
      pageOf([makeResponse(201, 5, { satisfaction_score: 5, review: 'Sorted, thanks!' }), makeResponse(101, 5, { satisfaction_score: 1, review: 'The parcel arrived broken.' })], 2, 20),
    ),
    ...Object.fromEntries(
      initial.map((f) => [
        `PATCH /workspaces/7/follow-ups/${f.id}`,
        (c: Call) => {
          const body = c.data as FollowUpUpdate;
          const before = items.find((x) => x.id === f.id)!;
          const after: FollowUp = {
            ...before,
            ...(body.status ? { status: body.status, closed_at: body.status === 'closed' ? '2026-01-11T09:00:00Z' : null } : {}),
            ...(body.note !== undefined ? { note: body.note ?? '' } : {}),
            ...(body.assignee_id !== undefined
              ? { assignee: body.assignee_id === null ? null : { id: body.assignee_id, username: body.assignee_id === 1 ? 'ada' : 'bob' } }
              : {}),
          };
          items = items.map((x) => (x.id === f.id ? after : x));
          return ok(after);
        },
      ]),
    ),
    ...routes,
  });
  api.setTransport(server.transport);
  renderInWorkspace(<FollowUpsPage />, { workspace: makeWorkspace({ role }), entry });
  return server.calls;
}

const listCalls = (calls: Call[]) => calls.filter((c) => c.method === 'GET' && c.url === '/workspaces/7/follow-ups');
const writes = (calls: Call[]) => calls.filter((c) => c.method !== 'GET');

describe('FollowUpsPage', () => {
  it('asks for the right follow-ups on each tab', async () => {
    const calls = setup([makeFollowUp(1)]);
    expect(await screen.findByRole('tab', { name: 'Open' })).toHaveAttribute('aria-selected', 'true');
    await screen.findAllByTestId('follow-up');
    expect(listCalls(calls).at(-1)?.params).toEqual({ status: 'open', page: 1, per_page: 20 });

    await userEvent.click(screen.getByRole('tab', { name: 'Mine' }));
    await waitFor(() => expect(listCalls(calls).at(-1)?.params).toEqual({ assignee: 'me', status: 'open', page: 1, per_page: 20 }));
    expect(screen.getByRole('tab', { name: 'Mine' })).toHaveAttribute('aria-selected', 'true');
    expect(await screen.findByRole('heading', { name: 'Nothing assigned to you' })).toBeInTheDocument();
    expect(screen.getByTestId('where')).toHaveTextContent('/w/acme/follow-ups?view=mine');

    await userEvent.click(screen.getByRole('tab', { name: 'All' }));
    await waitFor(() => expect(listCalls(calls).at(-1)?.params).toEqual({ page: 1, per_page: 20 }));
    expect(screen.getByRole('tabpanel', { name: 'All' })).toBeInTheDocument();
  });

  it('moves between tabs with the arrow keys', async () => {
    setup([]);
    const open = await screen.findByRole('tab', { name: 'Open' });
    open.focus();
    await userEvent.keyboard('{ArrowRight}');
    expect(screen.getByRole('tab', { name: 'All' })).toHaveFocus();
    expect(screen.getByRole('tab', { name: 'All' })).toHaveAttribute('aria-selected', 'true');
    await userEvent.keyboard('{ArrowRight}');
    expect(screen.getByRole('tab', { name: 'Mine' })).toHaveAttribute('aria-selected', 'true');
  });

  it('shows each follow-up as a card: customer, score, review, status, assignee, note, recovered', async () => {
    setup(
      [
        makeFollowUp(1, { note: 'Called her, refund sent.', assignee: { id: 2, username: 'bob' }, recovered: true }),
        makeFollowUp(2, { customer: { id: 6, name: 'Grace Hopper', email: 'grace@example.com' }, review: '' }),
      ],
      { entry: '/w/acme/follow-ups?view=all' },
    );
    const [first, second] = await screen.findAllByTestId('follow-up');
    expect(within(first).getByRole('link', { name: 'Ada Lovelace' })).toHaveAttribute('href', '/w/acme/customers/5');
    expect(within(first).getByLabelText('1 out of 5')).toBeInTheDocument();
    expect(first).toHaveTextContent('The parcel arrived broken.');
    expect(first).toHaveTextContent('open');
    expect(first).toHaveTextContent('Assigned to bob');
    expect(first).toHaveTextContent('Note: Called her, refund sent.');
    expect(first).toHaveTextContent('recovered');
    expect(first).toHaveTextContent(/Opened .*2026/);
    expect(second).toHaveTextContent('Unassigned');
    expect(second).toHaveTextContent('No comment.');
    expect(second).not.toHaveTextContent('recovered');
    expect(screen.getByText('2 follow-ups')).toBeInTheDocument();
  });

  it('shows the customer’s history beside the selected follow-up, its response marked', async () => {
    setup([makeFollowUp(1)]);
    await userEvent.click(await screen.findByRole('button', { name: /^Details for Ada Lovelace/ }));
    const detail = screen.getByRole('region', { name: 'Follow-up for Ada Lovelace' });
    expect(screen.getByRole('button', { name: /^Details for Ada Lovelace/ })).toHaveAttribute('aria-pressed', 'true');
    const history = await within(detail).findAllByTestId('response');
    expect(history).toHaveLength(2);
    expect(history[1]).toHaveTextContent('this follow-up');
    expect(history[0]).not.toHaveTextContent('this follow-up');
    expect(screen.getByTestId('where')).toHaveTextContent('/w/acme/follow-ups?id=1');
    await userEvent.click(within(detail).getByRole('button', { name: 'Hide details' }));
    expect(screen.queryByRole('region', { name: 'Follow-up for Ada Lovelace' })).not.toBeInTheDocument();
  });

  it('assigns with the member select, and to oneself in one click', async () => {
    const calls = setup([makeFollowUp(1)], { entry: '/w/acme/follow-ups?id=1' });
    const detail = await screen.findByRole('region', { name: 'Follow-up for Ada Lovelace' });
    const select = within(detail).getByLabelText('Assigned to');
    await waitFor(() => expect(select).toBeEnabled());
    expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['Nobody', 'ada (you)', 'bob']);
    await userEvent.selectOptions(select, 'bob');
    expect(await within(detail).findByText('Assigned to bob.')).toBeInTheDocument();
    expect(writes(calls)).toMatchObject([{ method: 'PATCH', url: '/workspaces/7/follow-ups/1', data: { assignee_id: 2 } }]);
    expect(await screen.findByTestId('follow-up')).toHaveTextContent('Assigned to bob');

    await userEvent.click(within(detail).getByRole('button', { name: 'Assign to me' }));
    await waitFor(() => expect(writes(calls).at(-1)?.data).toEqual({ assignee_id: 1 }));
    expect(await within(detail).findByText('Assigned to ada.')).toBeInTheDocument();

    await userEvent.selectOptions(within(detail).getByLabelText('Assigned to'), 'Nobody');
    await waitFor(() => expect(writes(calls).at(-1)?.data).toEqual({ assignee_id: null }));
  });

  it('saves a note with a character counter', async () => {
    const calls = setup([makeFollowUp(1)], { entry: '/w/acme/follow-ups?id=1' });
    const detail = await screen.findByRole('region', { name: 'Follow-up for Ada Lovelace' });
    const note = within(detail).getByLabelText('Note');
    expect(note).toHaveAttribute('maxlength', '2000');
    expect(within(detail).getByText('0 / 2,000 characters')).toBeInTheDocument();
    expect(within(detail).getByRole('button', { name: 'Save note' })).toBeDisabled();
    await userEvent.type(note, 'Refund sent');
    expect(within(detail).getByText('11 / 2,000 characters')).toBeInTheDocument();
    await userEvent.click(within(detail).getByRole('button', { name: 'Save note' }));
    expect(await within(detail).findByText('The note was saved.')).toBeInTheDocument();
    expect(writes(calls)).toMatchObject([{ method: 'PATCH', data: { note: 'Refund sent' } }]);
  });

  it('shows the server’s refusal of a note under the field', async () => {
    setup([makeFollowUp(1)], {
      entry: '/w/acme/follow-ups?id=1',
      routes: { 'PATCH /workspaces/7/follow-ups/1': fail(422, 'validation_failed', { fields: { note: ['contains a control character'] } }) },
    });
    const detail = await screen.findByRole('region', { name: 'Follow-up for Ada Lovelace' });
    await userEvent.type(within(detail).getByLabelText('Note'), 'x');
    await userEvent.click(within(detail).getByRole('button', { name: 'Save note' }));
    expect(await within(detail).findByText('Contains a control character')).toBeInTheDocument();
  });

  it('closes a follow-up: it leaves the Open list but stays shown, to reopen', async () => {
    const calls = setup([makeFollowUp(1)], { entry: '/w/acme/follow-ups?id=1' });
    const detail = await screen.findByRole('region', { name: 'Follow-up for Ada Lovelace' });
    await userEvent.click(within(detail).getByRole('button', { name: 'Close follow-up' }));
    expect(await screen.findByText('The follow-up for Ada Lovelace was closed.')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByTestId('follow-up')).not.toBeInTheDocument());
    const still = screen.getByRole('region', { name: 'Follow-up for Ada Lovelace' });
    expect(still).toHaveTextContent('closed');
    await userEvent.click(within(still).getByRole('button', { name: 'Reopen follow-up' }));
    expect(await screen.findByText('The follow-up for Ada Lovelace was reopened.')).toBeInTheDocument();
    expect(writes(calls).map((c) => c.data)).toEqual([{ status: 'closed' }, { status: 'open' }]);
    expect(await screen.findByTestId('follow-up')).toBeInTheDocument();
  });

  it('lets viewers read but not work on follow-ups', async () => {
    const calls = setup([makeFollowUp(1, { note: 'Waiting for the courier.' })], { role: 'viewer', entry: '/w/acme/follow-ups?id=1' });
    const detail = await screen.findByRole('region', { name: 'Follow-up for Ada Lovelace' });
    expect(detail).toHaveTextContent('Waiting for the courier.');
    expect(within(detail).queryByLabelText('Assigned to')).not.toBeInTheDocument();
    expect(within(detail).queryByRole('button', { name: /Close follow-up|Save note|Assign/ })).not.toBeInTheDocument();
    await within(detail).findAllByTestId('response');
    expect(calls.some((c) => c.url.endsWith('/members'))).toBe(false);
  });
});
