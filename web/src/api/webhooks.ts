/**
 * A workspace's webhooks and their deliveries (API.md §14), for its admins. Each call
 * returns the envelope's `data`.
 */
import { api } from './client';
import { clean, data } from './endpoints';
import type { Page, Webhook, WebhookCreate, WebhookCreated, WebhookDelivery, WebhookUpdate } from './types';
import { wsKeys } from './workspaces';

const hooks = (wid: number) => `/workspaces/${wid}/webhooks`;

export interface DeliveryListParams {
  page?: number;
  per_page?: number;
}

export const webhooksApi = {
  list: (wid: number) => data<{ items: Webhook[] }>(api.get(hooks(wid))).then((d) => d.items),
  /** The answer's `secret` (`whsec_…`) is shown only here. A private or loopback URL → 422 `fields.url`. */
  create: (wid: number, body: WebhookCreate) => data<WebhookCreated>(api.post(hooks(wid), body)),
  update: (wid: number, id: number, body: WebhookUpdate) => data<Webhook>(api.patch(`${hooks(wid)}/${id}`, body)),
  remove: (wid: number, id: number) => data<null>(api.delete(`${hooks(wid)}/${id}`)),
  /** 202: a `ping` event is queued. */
  test: (wid: number, id: number) => data<unknown>(api.post(`${hooks(wid)}/${id}/test`)),
  deliveries: (wid: number, id: number, params: DeliveryListParams = {}) =>
    data<Page<WebhookDelivery>>(api.get(`${hooks(wid)}/${id}/deliveries`, { params: clean(params) })),
};

/** Under the workspace's key, so switching or leaving forgets them with the rest. */
export const webhookKeys = {
  list: (wid: number) => [...wsKeys.all(wid), 'webhooks'] as const,
  deliveries: (wid: number, id: number) => [...wsKeys.all(wid), 'webhooks', id, 'deliveries'] as const,
};
