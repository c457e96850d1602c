import { afterEach, describe, expect, it } from 'vitest';
import { fakeTransport, ok } from '../test/fakeServer';
import { makeWorkspace } from '../test/workspace';
import { api } from './client';
import { analyticsApi, customersApi } from './endpoints';
import { queryKeys } from './queryKeys';
import { invitationsApi, membersApi, workspacesApi } from './workspaces';

afterEach(() => {
  api.setTransport();
  document.cookie = 'csrf_token=; max-age=0';
});

function record(reply: unknown = null) {
  const fake = fakeTransport(() => ok(reply));
  api.setTransport(fake.transport);
  return fake.calls;
}

describe('workspace API', () => {
  it('lists the caller’s workspaces as an array', async () => {
    const calls = record({ items: [makeWorkspace()] });
    await expect(workspacesApi.list()).resolves.toEqual([makeWorkspace()]);
    expect(calls[0]).toMatchObject({ method: 'GET', url: '/workspaces' });
  });

  it('deletes with the name to confirm in a JSON body, with the CSRF header', async () => {
    const calls = record();
    document.cookie = 'csrf_token=tok';
    await workspacesApi.remove(7, 'Acme');
    expect(calls[0]).toMatchObject({ method: 'DELETE', url: '/workspaces/7', data: { confirm: 'Acme' } });
    expect(calls[0].headers.get('X-CSRF-Token')).toBe('tok');
  });

  it('sets the default workspace through PATCH /users/me', async () => {
    const calls = record({});
    await workspacesApi.setDefault(8);
    expect(calls[0]).toMatchObject({ method: 'PATCH', url: '/users/me', data: { default_workspace_id: 8 } });
  });

  it('changes roles, removes members and manages invitations under the workspace', async () => {
    const calls = record({ items: [] });
    await membersApi.setRole(7, 3, 'admin');
    await membersApi.remove(7, 3);
    await invitationsApi.create(7, { email: 'bob@example.com', role: 'viewer' });
    await invitationsApi.resend(7, 5);
    await invitationsApi.revoke(7, 5);
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'PATCH /workspaces/7/members/3',
      'DELETE /workspaces/7/members/3',
      'POST /workspaces/7/invitations',
      'POST /workspaces/7/invitations/5/resend',
      'DELETE /workspaces/7/invitations/5',
    ]);
    expect(calls[0].data).toEqual({ role: 'admin' });
    expect(calls[2].data).toEqual({ email: 'bob@example.com', role: 'viewer' });
  });

  it('previews an invitation by its token (escaped) and accepts it', async () => {
    const calls = record({});
    await invitationsApi.preview('a/b c');
    await invitationsApi.accept('a/b c');
    expect(calls[0]).toMatchObject({ method: 'GET', url: '/invitations/a%2Fb%20c' });
    expect(calls[1]).toMatchObject({ method: 'POST', url: '/invitations/accept', data: { token: 'a/b c' } });
  });

  it('reads customers and analytics of one workspace under /workspaces/{wid}', async () => {
    const calls = record({ items: [], page: 1, per_page: 25, total: 0 });
    await customersApi(9).list({ q: 'ada', page: 1 });
    await analyticsApi(9).summary({ min_score: 4 });
    expect(calls.map((c) => c.url)).toEqual(['/workspaces/9/customers', '/workspaces/9/analytics/summary']);
    expect(calls[0].params).toEqual({ q: 'ada', page: 1 });
  });

  it('keys every query of a workspace by its id', () => {
    expect(queryKeys.customers(7)).not.toEqual(queryKeys.customers(8));
    expect(queryKeys.analytics(7).slice(0, 2)).toEqual(queryKeys.workspace(7));
    expect(queryKeys.members(7).slice(0, 2)).toEqual(queryKeys.workspace(7));
  });
});
