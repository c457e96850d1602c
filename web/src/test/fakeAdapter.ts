import { AxiosError, AxiosHeaders, type AxiosAdapter, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';

export interface Call {
  method: string;
  url: string;
  headers: AxiosHeaders;
  data: unknown;
  /** The query parameters as given to axios (`params`). */
  params: Record<string, unknown> | undefined;
}

export type Reply = { status: number; data?: unknown; headers?: Record<string, string> } | 'network-error';
type Handler = (call: Call) => Reply;

/** An axios adapter answering from `handler`, recording every call. */
export function fakeAdapter(handler: Handler): { adapter: AxiosAdapter; calls: Call[] } {
  const calls: Call[] = [];
  const adapter: AxiosAdapter = async (config: InternalAxiosRequestConfig) => {
    const call: Call = {
      method: (config.method ?? 'get').toUpperCase(),
      url: config.url ?? '',
      headers: AxiosHeaders.from(config.headers),
      data: typeof config.data === 'string' ? JSON.parse(config.data) : config.data,
      params: config.params as Record<string, unknown> | undefined,
    };
    calls.push(call);
    const reply = handler(call);
    if (reply === 'network-error') throw new AxiosError('Network Error', 'ERR_NETWORK', config);
    const response: AxiosResponse = {
      data: reply.data,
      status: reply.status,
      statusText: String(reply.status),
      headers: reply.headers ?? {},
      config,
    };
    if (reply.status >= 400) {
      throw new AxiosError(`Request failed with status code ${reply.status}`, 'ERR_BAD_RESPONSE', config, null, response);
    }
    return response;
  };
  return { adapter, calls };
}

export const ok = (data: unknown = null, status = 200) => ({ status, data: { ok: true, data } });
export const fail = (status: number, code: string, extra: Record<string, unknown> = {}, headers?: Record<string, string>) => ({
  status,
  data: { ok: false, error: { code, message: `${code} message`, request_id: 'req-1', ...extra } },
  headers,
});

/**
 * A fake server: `routes` maps "METHOD /path" (as the client sends it, without /api/v1)
 * to a reply; anything else is 404 `not_found`.
 */
export function fakeServer(routes: Record<string, Reply | ((call: Call) => Reply)>) {
  return fakeAdapter((call) => {
    const route = routes[`${call.method} ${call.url}`];
    if (route === undefined) return fail(404, 'not_found');
    return typeof route === 'function' ? route(call) : route;
  });
}
