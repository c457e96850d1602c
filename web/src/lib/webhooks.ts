/**
 * Words and rules of webhooks, kept out of the components so they can be
 * tested alone.
 */
import type { Webhook, WebhookDelivery, WebhookEvent, WebhookUpdate } from '../api/types';
import type { Errors } from './validation';

export const WEBHOOK_EVENTS: readonly { id: WebhookEvent; description: string }[] = [
  { id: 'response.created', description: 'Any new response, from any source.' },
  { id: 'response.low_score', description: 'A response at or below the low-score threshold.' },
  { id: 'follow_up.closed', description: 'Someone closed a follow-up.' },
  { id: 'survey.answered', description: 'A customer answered a survey email.' },
];

/** While any delivery on the page is pending, the log refreshes this often. */
export const DELIVERY_REFRESH_MS = 5000;

export function anyPending(deliveries: readonly Pick<WebhookDelivery, 'status'>[]): boolean {
  return deliveries.some((d) => d.status === 'pending');
}

export const DELIVERY_BADGES: Record<string, string> = {
  pending: 'badge-amber',
  delivered: 'badge-green',
  failed: 'badge-red',
};

/** Only the events this UI knows, in their usual order. */
export function knownEvents(events: readonly string[]): WebhookEvent[] {
  return WEBHOOK_EVENTS.map((e) => e.id).filter((id) => events.includes(id));
}

/** An http(s) URL, and at least one event. The server also refuses private addresses (422 `fields.url`). */
export function validateWebhook(v: { url: string; events: readonly string[] }): Errors<'url' | 'events'> {
  const out: Errors<'url' | 'events'> = {};
  const url = v.url.trim();
  if (!url) out.url = 'Enter the URL that should receive the events.';
  else {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
      out.url = 'Enter a full http:// or https:// address, like https://example.com/hooks/pulse.';
    } else if (url.length > 2000) out.url = 'Use at most 2,000 characters.';
  }
  if (v.events.length === 0) out.events = 'Pick at least one event.';
  return out;
}

/** The PATCH body: only what changed (empty when nothing did). */
export function webhookChanges(before: Webhook, after: { url: string; events: WebhookEvent[]; active: boolean }): WebhookUpdate {
  const body: WebhookUpdate = {};
  const url = after.url.trim();
  if (url !== before.url) body.url = url;
  const was = [...before.events].sort().join(',');
  if ([...after.events].sort().join(',') !== was) body.events = after.events;
  if (after.active !== before.active) body.active = after.active;
  return body;
}
