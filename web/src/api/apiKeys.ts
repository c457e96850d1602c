/**
 * A workspace's API keys (API.md §16), for its admins. Each returns the envelope's `data`.
 */
import { api } from './client';
import { data } from './endpoints';
import type { ApiKey, ApiKeyCreate, ApiKeyCreated } from './types';
import { wsKeys } from './workspaces';

const keys = (wid: number) => `/workspaces/${wid}/api-keys`;

export const apiKeysApi = {
  list: (wid: number) => data<{ items: ApiKey[] }>(api.get(keys(wid))).then((d) => d.items),
  /** The answer's `key` (`pk_…`) is shown only here: the server keeps a hash. */
  create: (wid: number, body: ApiKeyCreate) => data<ApiKeyCreated>(api.post(keys(wid), body)),
  /** Refused at once by the server afterwards. */
  revoke: (wid: number, id: number) => data<null>(api.delete(`${keys(wid)}/${id}`)),
};

/** Under the workspace's key, so switching or leaving forgets them with the rest. */
export const apiKeyKeys = {
  list: (wid: number) => [...wsKeys.all(wid), 'api-keys'] as const,
};
