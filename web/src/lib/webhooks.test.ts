import { describe, expect, it } from 'vitest';
import type { Webhook } from '../api/types';
import { anyPending, knownEvents, validateWebhook, webhookChanges } from './webhooks';

const hook: Webhook = {
  id: 1,
  url: 'https://example.com/hook',
  events: ['response.low_score', 'follow_up.closed'],
  active: true,
  created_at: '2026-01-01T00:00:00Z',
};

describe('webhooks', () => {
  it('wants an http(s) URL and at least one event', () => {
    expect(validateWebhook({ url: '', events: [] })).toEqual({
      url: 'Enter the URL that should receive the events.',
      events: 'Pick at least one event.',
    });
    expect(validateWebhook({ url: 'example.com/hook', events: ['response.created'] }).url).toMatch(/full http/);
    expect(validateWebhook({ url: 'ftp://example.com', events: ['response.created'] }).url).toMatch(/full http/);
    expect(validateWebhook({ url: ' https://example.com/hook ', events: ['response.created'] })).toEqual({});
  });

  it('sends only what changed', () => {
    expect(webhookChanges(hook, { url: hook.url, events: ['follow_up.closed', 'response.low_score'], active: true })).toEqual({});
    expect(webhookChanges(hook, { url: hook.url, events: ['survey.answered'], active: false })).toEqual({
      events: ['survey.answered'],
      active: false,
    });
    expect(webhookChanges(hook, { url: ' https://example.com/new ', events: knownEvents(hook.events), active: true })).toEqual({
      url: 'https://example.com/new',
    });
  });

  it('keeps the known events in order, and sees pending deliveries', () => {
    expect(knownEvents(['survey.answered', 'ping', 'response.created'])).toEqual(['response.created', 'survey.answered']);
    expect(anyPending([{ status: 'delivered' }, { status: 'pending' }])).toBe(true);
    expect(anyPending([{ status: 'failed' }])).toBe(false);
  });
});
