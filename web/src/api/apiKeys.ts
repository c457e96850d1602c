/**
 * A workspace's API keys (docs/API.md, "API keys"), for its admins. Each returns the envelope's `data`.
 */
import { api, data } from './client';
import type { ApiKeyCreate } from './types';

export const apiKeysApi = {
  list: (wid: number) => data(api.GET('/api/v1/workspaces/{wid}/api-keys', { params: { path: { wid } } })).then((d) => d.items),
  /** The answer's `key` (`pk_…`) is shown only here: the server keeps a hash. */
  create: (wid: number, body: ApiKeyCreate) =>
    data(api.POST('/api/v1/workspaces/{wid}/api-keys', { params: { path: { wid } }, body })),
  /** Refused at once by the server afterwards. */
  revoke: (wid: number, id: number) =>
    data(api.DELETE('/api/v1/workspaces/{wid}/api-keys/{id}', { params: { path: { wid, id } } })),
};
