/**
 * The one API client of the UI: openapi-fetch over the `paths` of the server's OpenAPI
 * document (./schema.d.ts), so every URL, path and query parameter, request body and
 * answer is checked by TypeScript.
 *
 * - same origin, `/api/v1`, cookies sent;
 * - unsafe methods carry `X-CSRF-Token` copied from the readable `csrf_token` cookie;
 * - a 401 of an expired session (not a wrong password or code) triggers one `POST /auth/refresh` (shared by concurrent requests) and one retry;
 *   when that fails the app is told (`onAuthFailure`) so it can send the person to /login;
 * - every failure becomes an `ApiError` built from the envelope (see `unwrap`).
 *
 * Tokens are never read or stored by this code: they live in HttpOnly cookies.
 */
import createClient, { type Client } from 'openapi-fetch';
import { ApiError, apiErrorFromResponse, toApiError } from './errors';
import type { paths } from './schema';

export const API_BASE = '/api/v1';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Requests that must never trigger a refresh (they are how one gets credentials). */
const NO_REFRESH: ReadonlySet<string> = new Set<keyof paths>([
  '/api/v1/auth/login',
  '/api/v1/auth/login/2fa',
  '/api/v1/auth/refresh',
  '/api/v1/auth/signup',
  '/api/v1/auth/logout',
  '/api/v1/auth/verify-email',
  '/api/v1/auth/resend-verification',
  '/api/v1/auth/forgot-password',
  '/api/v1/auth/reset-password',
]);

/**
 * 401s that say a password or a code was wrong, not that the session expired: refreshing
 * and retrying would only send the wrong secret again (and count twice toward the lockout).
 */
const NOT_A_SESSION_401 = new Set(['invalid_credentials', 'invalid_code']);

export function readCookie(name: string, cookieString: string = typeof document === 'undefined' ? '' : document.cookie): string | undefined {
  for (const part of cookieString.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/**
 * What puts a request on the wire. It rejects only when no answer came back (the network);
 * an HTTP error is an answer. `onUploadProgress` is given for uploads only.
 */
export type Transport = (request: Request, onUploadProgress?: (fraction: number) => void) => Promise<Response>;

/**
 * fetch cannot report how much of a request body was sent, so uploads that show progress
 * go through XMLHttpRequest; everything else through fetch.
 */
export const browserTransport: Transport = (request, onUploadProgress) =>
  onUploadProgress ? sendWithXhr(request, onUploadProgress) : fetch(request);

async function sendWithXhr(request: Request, onUploadProgress: (fraction: number) => void): Promise<Response> {
  // The body as built by openapi-fetch (e.g. multipart with its boundary, also in the headers).
  const body = request.body ? await request.blob() : null;
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(request.method, request.url);
    xhr.responseType = 'blob';
    request.headers.forEach((value, name) => xhr.setRequestHeader(name, value));
    xhr.upload.onprogress = (e) => onUploadProgress(e.lengthComputable && e.total > 0 ? e.loaded / e.total : 0);
    xhr.onload = () => {
      const headers = new Headers();
      for (const line of xhr.getAllResponseHeaders().trim().split(/[\r\n]+/)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      const nullBody = xhr.status === 204 || xhr.status === 205 || xhr.status === 304;
      resolve(new Response(nullBody ? null : (xhr.response as Blob), { status: xhr.status, statusText: xhr.statusText, headers }));
    };
    xhr.onerror = xhr.onabort = xhr.ontimeout = () => reject(new TypeError('Network request failed'));
    xhr.send(body);
  });
}

export interface ClientOptions {
  /** The server's origin; by default the page's own (the API is served same-origin). */
  origin?: string;
  /** Called once a refresh has failed: the session is over. */
  onAuthFailure?: () => void;
  /** Where the CSRF token comes from (tests inject one). */
  getCsrfToken?: () => string | undefined;
  /** What sends the requests (tests answer from a fake server). */
  transport?: Transport;
}

export interface ApiClient extends Client<paths> {
  /**
   * Sends a request built by openapi-fetch through the session handling (CSRF, refresh,
   * retry). Passed as a call's `fetch` option when it needs `onUploadProgress`.
   */
  send(request: Request, onUploadProgress?: (fraction: number) => void): Promise<Response>;
  setOnAuthFailure(fn: () => void): void;
  /** Replaces what sends the requests; without an argument, the browser's again. */
  setTransport(transport?: Transport): void;
}

export function createApiClient(opts: ClientOptions = {}): ApiClient {
  let onAuthFailure = opts.onAuthFailure ?? (() => {});
  let transport = opts.transport ?? browserTransport;
  const getCsrf = opts.getCsrfToken ?? (() => readCookie('csrf_token'));

  const client = createClient<paths>({
    baseUrl: opts.origin ?? window.location.origin,
    credentials: 'same-origin',
    headers: { Accept: 'application/json' },
    fetch: (request) => send(request),
  });

  const transmit = async (request: Request, onUploadProgress?: (fraction: number) => void) => {
    try {
      return await transport(request, onUploadProgress);
    } catch (err) {
      throw new ApiError({ status: 0, code: 'network_error', message: err instanceof Error ? err.message : 'Network error' });
    }
  };

  // Concurrent 401s share one refresh call; a second refresh would replay a rotated token.
  let refreshing: Promise<void> | null = null;
  const refresh = () => {
    refreshing ??= client
      .POST('/api/v1/auth/refresh')
      .then(({ response }) => {
        if (!response.ok) throw new Error(`refresh: HTTP ${response.status}`);
      })
      .finally(() => {
        refreshing = null;
      });
    return refreshing;
  };

  const withCsrf = (request: Request) => {
    const token = SAFE.has(request.method) ? undefined : getCsrf();
    if (token) request.headers.set('X-CSRF-Token', token);
    return request;
  };

  async function send(request: Request, onUploadProgress?: (fraction: number) => void): Promise<Response> {
    // A body can be read only once: keep a copy for the retry.
    const retry = request.clone();
    const response = await transmit(withCsrf(request), onUploadProgress);
    if (response.status !== 401 || NO_REFRESH.has(new URL(request.url).pathname)) return response;
    const code = errorCode(await response.clone().json().catch(() => null));
    if (code !== undefined && NOT_A_SESSION_401.has(code)) return response;
    try {
      await refresh();
    } catch {
      onAuthFailure();
      return response;
    }
    // The refresh may have rotated the CSRF cookie too.
    const second = await transmit(withCsrf(retry), onUploadProgress);
    if (second.status === 401) onAuthFailure();
    return second;
  }

  return Object.assign(client, {
    send,
    setOnAuthFailure(fn: () => void) {
      onAuthFailure = fn;
    },
    setTransport(t?: Transport) {
      transport = t ?? browserTransport;
    },
  });
}

/** The envelope's error code, if the body is one. */
function errorCode(body: unknown): string | undefined {
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
  return typeof code === 'string' ? code : undefined;
}

export const api = createApiClient();

/**
 * What an openapi-fetch call resolves to. A success's body is the envelope `{ok: true, data}`
 * (openapi-fetch's types drop a `data: null`, hence `DataOf`).
 */
interface Answer<E> {
  data?: E;
  error?: unknown;
  response: Response;
}
type DataOf<E> = E extends { data: infer T } ? T : null;

/** The envelope's `data` of a success; a failure as an `ApiError`. */
export function unwrap<E>({ data, error, response }: Answer<E>): DataOf<E> {
  if (!response.ok) throw apiErrorFromResponse(response, error);
  return (data as { data: DataOf<E> } | undefined)?.data ?? (null as DataOf<E>);
}

/** `unwrap` of a call: every API function of the UI ends with this. */
export async function data<E>(call: Promise<Answer<E>>): Promise<DataOf<E>> {
  try {
    return unwrap(await call);
  } catch (err) {
    throw toApiError(err);
  }
}

/** A file the server sends (`parseAs: 'blob'`), or the failure as an `ApiError`. */
export async function file(call: Promise<{ data?: Blob; error?: unknown; response: Response }>): Promise<Blob> {
  try {
    const { data: blob, error, response } = await call;
    if (!response.ok || blob === undefined) throw apiErrorFromResponse(response, error);
    return blob;
  } catch (err) {
    throw toApiError(err);
  }
}
