import { afterEach, describe, expect, it } from 'vitest';
import { fakeTransport, ok } from '../test/fakeServer';
import { auditApi } from './audit';
import { api } from './client';
import { followUpsApi } from './followUps';
import { notificationsApi } from './notifications';
import { webhooksApi } from './webhooks';

afterEach(() => {
  api.setTransport();
});

function record(reply: unknown = null) {
  const fake = fakeTransport(() => ok(reply));
  api.setTransport(fake.transport);
  return fake.calls;
}

describe('follow-ups, notifications, webhooks and audit routes', () => {
  it('lists, updates and counts follow-ups under the workspace, without empty parameters', async () => {
    const calls = record({ items: [], page: 1, per_page: 20, total: 0 });
    const f = followUpsApi(7);
    await f.list({ assignee: 'me', status: 'open', page: 2 });
    await f.update(3, { assignee_id: null });
    await f.stats({ from: '2026-01-01', to: undefined });
    expect(calls).toMatchObject([
      { method: 'GET', url: '/workspaces/7/follow-ups', params: { assignee: 'me', status: 'open', page: 2 } },
      { method: 'PATCH', url: '/workspaces/7/follow-ups/3', data: { assignee_id: null } },
      { method: 'GET', url: '/workspaces/7/analytics/follow-ups', params: { from: '2026-01-01' } },
    ]);
    expect(calls[2].params).toEqual({ from: '2026-01-01' });
  });

  it('reads and saves my notifications, and asks for a digest preview', async () => {
    const calls = record({ low_score_email: true, weekly_digest: false });
    await notificationsApi.get(7);
    await notificationsApi.save(7, { low_score_email: true, weekly_digest: false });
    await notificationsApi.digestPreview(7);
    expect(calls).toMatchObject([
      { method: 'GET', url: '/workspaces/7/notifications/me' },
      { method: 'PUT', url: '/workspaces/7/notifications/me', data: { low_score_email: true, weekly_digest: false } },
      { method: 'POST', url: '/workspaces/7/notifications/digest-preview' },
    ]);
  });

  it('manages webhooks and pages through their deliveries', async () => {
    const calls = record({ items: [] });
    await expect(webhooksApi.list(7)).resolves.toEqual([]);
    await webhooksApi.create(7, { url: 'https://example.com/h', events: ['response.created'] });
    await webhooksApi.update(7, 2, { active: false });
    await webhooksApi.test(7, 2);
    await webhooksApi.deliveries(7, 2, { page: 3, per_page: 20 });
    await webhooksApi.remove(7, 2);
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /workspaces/7/webhooks',
      'POST /workspaces/7/webhooks',
      'PATCH /workspaces/7/webhooks/2',
      'POST /workspaces/7/webhooks/2/test',
      'GET /workspaces/7/webhooks/2/deliveries',
      'DELETE /workspaces/7/webhooks/2',
    ]);
    expect(calls[4].params).toEqual({ page: 3, per_page: 20 });
  });

  it('filters the audit log', async () => {
    const calls = record({ items: [], page: 1, per_page: 50, total: 0 });
    await auditApi.list(7, { action: 'survey.sent', actor_id: 2, from: '2026-01-01', to: '', page: 1 });
    expect(calls[0]).toMatchObject({ method: 'GET', url: '/workspaces/7/audit' });
    expect(calls[0].params).toEqual({ action: 'survey.sent', actor_id: 2, from: '2026-01-01', page: 1 });
  });
});
