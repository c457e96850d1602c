/**
 * The one axios instance the UI talks through.
 *
 * - same origin, relative `/api/v1`, cookies sent (`withCredentials`);
 * - unsafe methods carry `X-CSRF-Token` copied from the readable `csrf_token` cookie;
 * - a 401 of an expired session (not a wrong password or code) triggers one `POST /auth/refresh` (shared by concurrent requests) and one retry;
 *   when that fails the app is told (`onAuthFailure`) so it can send the person to /login;
 * - every failure is rethrown as an `ApiError` built from the envelope.
 *
 * Tokens are never read or stored by this code: they live in HttpOnly cookies.
 */
import axios, { type AxiosInstance, type AxiosRequestConfig, type InternalAxiosRequestConfig } from 'axios';
import { toApiError } from './errors';

export const API_BASE = '/api/v1';
const UNSAFE = new Set(['post', 'put', 'patch', 'delete']);

/** Requests that must never trigger a refresh (they are how one gets credentials). */
const NO_REFRESH = [
  '/auth/login',
  '/auth/login/2fa',
  '/auth/refresh',
  '/auth/signup',
  '/auth/logout',
  '/auth/verify-email',
  '/auth/resend-verification',
  '/auth/forgot-password',
  '/auth/reset-password',
];

export function readCookie(name: string, cookieString: string = typeof document === 'undefined' ? '' : document.cookie): string | undefined {
  for (const part of cookieString.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/**
 * 401s that say a password or a code was wrong, not that the session expired: refreshing
 * and retrying would only send the wrong secret again (and count twice toward the lockout).
 */
const NOT_A_SESSION_401 = new Set(['invalid_credentials', 'invalid_code']);

interface RetriableConfig extends InternalAxiosRequestConfig {
  _retried?: boolean;
}

export interface ClientOptions {
  baseURL?: string;
  /** Called once a refresh has failed: the session is over. */
  onAuthFailure?: () => void;
  /** Where the CSRF token comes from (tests inject one). */
  getCsrfToken?: () => string | undefined;
  adapter?: AxiosRequestConfig['adapter'];
}

export function createApiClient(opts: ClientOptions = {}): AxiosInstance & { setOnAuthFailure(fn: () => void): void } {
  let onAuthFailure = opts.onAuthFailure ?? (() => {});
  const getCsrf = opts.getCsrfToken ?? (() => readCookie('csrf_token'));
  const instance = axios.create({
    baseURL: opts.baseURL ?? API_BASE,
    withCredentials: true,
    headers: { Accept: 'application/json' },
    adapter: opts.adapter,
  });

  instance.interceptors.request.use((config) => {
    if (UNSAFE.has((config.method ?? 'get').toLowerCase())) {
      const token = getCsrf();
      if (token) config.headers.set('X-CSRF-Token', token);
    }
    return config;
  });

  // Concurrent 401s share one refresh call; a second refresh would replay a rotated token.
  let refreshing: Promise<void> | null = null;
  const refresh = () => {
    refreshing ??= instance
      .post('/auth/refresh')
      .then(() => undefined)
      .finally(() => {
        refreshing = null;
      });
    return refreshing;
  };

  instance.interceptors.response.use(
    (res) => res,
    async (error: unknown) => {
      const apiError = toApiError(error);
      const config = (axios.isAxiosError(error) ? error.config : undefined) as RetriableConfig | undefined;
      const url = config?.url ?? '';
      const mayRefresh =
        apiError.status === 401 &&
        !NOT_A_SESSION_401.has(apiError.code) &&
        config !== undefined &&
        !config._retried &&
        !NO_REFRESH.some((p) => url.endsWith(p));
      if (!mayRefresh) throw apiError;
      try {
        await refresh();
      } catch {
        onAuthFailure();
        throw apiError;
      }
      config._retried = true;
      try {
        return await instance.request(config);
      } catch (retryError) {
        const e = toApiError(retryError);
        if (e.status === 401) onAuthFailure();
        throw e;
      }
    },
  );

  return Object.assign(instance, {
    setOnAuthFailure(fn: () => void) {
      onAuthFailure = fn;
    },
  });
}

export const api = createApiClient();

/** Unwrap `{ok:true, data}`. */
export function unwrap<T>(body: unknown): T {
  return (body as { data: T }).data;
}
