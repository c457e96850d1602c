/**
 * A workspace's webhooks and their deliveries, for its admins. Each call
 * returns the envelope's `data`.
 */
import { api, data } from './client';
import { clean } from './endpoints';
import type { WebhookCreate, WebhookUpdate } from './types';

export interface DeliveryListParams {
  page?: number;
  per_page?: number;
}

export const webhooksApi = {
  list: (wid: number) => data(api.GET('/api/v1/workspaces/{wid}/webhooks', { params: { path: { wid } } })).then((d) => d.items),
  /** The answer's `secret` (`whsec_…`) is shown only here. A private or loopback URL → 422 `fields.url`. */
  create: (wid: number, body: WebhookCreate) =>
    data(api.POST('/api/v1/workspaces/{wid}/webhooks', { params: { path: { wid } }, body })),
  update: (wid: number, id: number, body: WebhookUpdate) =>
    data(api.PATCH('/api/v1/workspaces/{wid}/webhooks/{id}', { params: { path: { wid, id } }, body })),
  remove: (wid: number, id: number) =>
    data(api.DELETE('/api/v1/workspaces/{wid}/webhooks/{id}', { params: { path: { wid, id } } })),
  /** 202: a `ping` event is queued. */
  test: (wid: number, id: number) =>
    data(api.POST('/api/v1/workspaces/{wid}/webhooks/{id}/test', { params: { path: { wid, id } } })),
  deliveries: (wid: number, id: number, params: DeliveryListParams = {}) =>
    data(
      api.GET('/api/v1/workspaces/{wid}/webhooks/{id}/deliveries', { params: { path: { wid, id }, query: clean(params) } }),
    ),
};
