import { describe, expect, it, vi } from 'vitest';
import { createApiClient, readCookie } from './client';
import { ApiError } from './errors';
import { fail, fakeAdapter, ok } from '../test/fakeAdapter';

describe('readCookie', () => {
  it('finds a cookie among others and decodes it', () => {
    expect(readCookie('csrf_token', 'a=1; csrf_token=abc%3D%3D; b=2')).toBe('abc==');
    expect(readCookie('csrf_token', 'a=1')).toBeUndefined();
    expect(readCookie('token', 'csrf_token=x')).toBeUndefined();
  });
});

describe('CSRF header', () => {
  it('is sent on POST, PUT, PATCH and DELETE but not on GET', async () => {
    const { adapter, calls } = fakeAdapter(() => ok());
    const api = createApiClient({ adapter, getCsrfToken: () => 'tok123' });
    await api.get('/users/me');
    await api.post('/auth/logout');
    await api.put('/x');
    await api.patch('/users/me', { username: 'a' });
    await api.delete('/auth/sessions/1');
    expect(calls.map((c) => [c.method, c.headers.get('X-CSRF-Token') ?? null])).toEqual([
      ['GET', null],
      ['POST', 'tok123'],
      ['PUT', 'tok123'],
      ['PATCH', 'tok123'],
      ['DELETE', 'tok123'],
    ]);
  });

  it('reads the token from document.cookie by default', async () => {
    document.cookie = 'csrf_token=from-cookie';
    const { adapter, calls } = fakeAdapter(() => ok());
    const api = createApiClient({ adapter });
    await api.post('/customers', {});
    expect(calls[0].headers.get('X-CSRF-Token')).toBe('from-cookie');
    document.cookie = 'csrf_token=; expires=Thu, 01 Jan 1970 00:00:00 GMT';
  });

  it('uses credentials and the /api/v1 base', () => {
    const api = createApiClient();
    expect(api.defaults.withCredentials).toBe(true);
    expect(api.defaults.baseURL).toBe('/api/v1');
  });
});

describe('401 handling', () => {
  it('refreshes once and retries the original request', async () => {
    let meCalls = 0;
    const { adapter, calls } = fakeAdapter((c) => {
      if (c.url === '/users/me') return ++meCalls === 1 ? fail(401, 'unauthorized') : ok({ id: 1 });
      if (c.url === '/auth/refresh') return ok({});
      return ok();
    });
    const onAuthFailure = vi.fn();
    const api = createApiClient({ adapter, onAuthFailure, getCsrfToken: () => 't' });
    const res = await api.get('/users/me');
    expect(res.data).toEqual({ ok: true, data: { id: 1 } });
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['GET /users/me', 'POST /auth/refresh', 'GET /users/me']);
    // The refresh is an unsafe, cookie-authenticated request: it carries the CSRF header.
    expect(calls[1].headers.get('X-CSRF-Token')).toBe('t');
    expect(onAuthFailure).not.toHaveBeenCalled();
  });

  it('gives up and reports the session as over when the refresh fails', async () => {
    const { adapter, calls } = fakeAdapter((c) => (c.url === '/auth/refresh' ? fail(401, 'unauthorized') : fail(401, 'unauthorized')));
    const onAuthFailure = vi.fn();
    const api = createApiClient({ adapter, onAuthFailure });
    await expect(api.get('/customers')).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    expect(calls.map((c) => c.url)).toEqual(['/customers', '/auth/refresh']);
    expect(onAuthFailure).toHaveBeenCalledTimes(1);
  });

  it('does not loop when the retried request is still 401', async () => {
    const { adapter, calls } = fakeAdapter((c) => (c.url === '/auth/refresh' ? ok({}) : fail(401, 'unauthorized')));
    const onAuthFailure = vi.fn();
    const api = createApiClient({ adapter, onAuthFailure });
    await expect(api.get('/customers')).rejects.toBeInstanceOf(ApiError);
    expect(calls.map((c) => c.url)).toEqual(['/customers', '/auth/refresh', '/customers']);
    expect(onAuthFailure).toHaveBeenCalledTimes(1);
  });

  it('shares one refresh between concurrent 401s', async () => {
    const seen = new Map<string, number>();
    const { adapter, calls } = fakeAdapter((c) => {
      const n = (seen.get(c.url) ?? 0) + 1;
      seen.set(c.url, n);
      if (c.url === '/auth/refresh') return ok({});
      return n === 1 ? fail(401, 'unauthorized') : ok(c.url);
    });
    const api = createApiClient({ adapter });
    const [a, b] = await Promise.all([api.get('/a'), api.get('/b')]);
    expect([a.data.data, b.data.data]).toEqual(['/a', '/b']);
    expect(calls.filter((c) => c.url === '/auth/refresh')).toHaveLength(1);
  });

  it('never refreshes for a failed login (wrong password is not an expired session)', async () => {
    const { adapter, calls } = fakeAdapter(() => fail(401, 'invalid_credentials'));
    const onAuthFailure = vi.fn();
    const api = createApiClient({ adapter, onAuthFailure });
    await expect(api.post('/auth/login', { login: 'a', password: 'b' })).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect(calls).toHaveLength(1);
    expect(onAuthFailure).not.toHaveBeenCalled();
  });

  it('never refreshes for a wrong two-factor code, nor for an expired login challenge', async () => {
    const { adapter, calls } = fakeAdapter((c) =>
      c.url === '/auth/login/2fa' ? fail(401, 'unauthorized') : fail(401, 'invalid_code'),
    );
    const onAuthFailure = vi.fn();
    const api = createApiClient({ adapter, onAuthFailure });
    await expect(api.post('/auth/2fa/disable', { password: 'p', code: '123456' })).rejects.toMatchObject({ code: 'invalid_code' });
    await expect(api.post('/auth/login/2fa', { mfa_token: 't', code: '123456' })).rejects.toMatchObject({ code: 'unauthorized' });
    expect(calls.map((c) => c.url)).toEqual(['/auth/2fa/disable', '/auth/login/2fa']);
    expect(onAuthFailure).not.toHaveBeenCalled();
  });

  it('passes other errors through as ApiError without refreshing', async () => {
    const { adapter, calls } = fakeAdapter(() =>
      fail(422, 'validation_failed', { fields: { email: ['is not a valid email address'] } }),
    );
    const api = createApiClient({ adapter });
    const err = await api.post('/customers', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 422, code: 'validation_failed', requestId: 'req-1', fields: { email: ['is not a valid email address'] } });
    expect(calls).toHaveLength(1);
  });

  it('turns a network failure into code network_error', async () => {
    const { adapter } = fakeAdapter(() => 'network-error');
    const api = createApiClient({ adapter });
    await expect(api.get('/users/me')).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });
});
