import { API_BASE, type Transport } from '../api/client';

export interface Call {
  method: string;
  /** The path under /api/v1, without the query string. */
  url: string;
  headers: Headers;
  /** The JSON body parsed, a multipart body as FormData, else undefined. */
  data: unknown;
  /**
   * The query string, with numbers and booleans read back as such (as the server parses
   * them); undefined when there is none.
   */
  params: Record<string, unknown> | undefined;
}

export type Reply = { status: number; data?: unknown; headers?: Record<string, string> } | 'network-error';
type Handler = (call: Call) => Reply;

/** A transport answering from `handler`, recording every call. */
export function fakeTransport(handler: Handler): { transport: Transport; calls: Call[] } {
  const calls: Call[] = [];
  const transport: Transport = async (request) => {
    const url = new URL(request.url);
    const call: Call = {
      method: request.method,
      url: url.pathname.startsWith(API_BASE) ? url.pathname.slice(API_BASE.length) : url.pathname,
      headers: new Headers(request.headers),
      data: await readBody(request),
      params: url.search ? Object.fromEntries([...url.searchParams].map(([k, v]) => [k, typed(v)])) : undefined,
    };
    calls.push(call);
    const reply = handler(call);
    if (reply === 'network-error') throw new TypeError('Failed to fetch');
    const body = reply.data === undefined ? null : JSON.stringify(reply.data);
    return new Response(body, {
      status: reply.status,
      headers: { ...(body === null ? {} : { 'Content-Type': 'application/json' }), ...reply.headers },
    });
  };
  return { transport, calls };
}

async function readBody(request: Request): Promise<unknown> {
  const type = request.headers.get('Content-Type') ?? '';
  if (type.startsWith('application/json')) return JSON.parse(await request.text());
  if (type.startsWith('multipart/form-data')) return request.formData();
  return undefined;
}

function typed(v: string): unknown {
  if (v === 'true' || v === 'false') return v === 'true';
  return v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
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
  return fakeTransport((call) => {
    const route = routes[`${call.method} ${call.url}`];
    if (route === undefined) return fail(404, 'not_found');
    return typeof route === 'function' ? route(call) : route;
  });
}
