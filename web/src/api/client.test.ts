import { afterEach, describe, expect, it, vi } from 'vitest';
import { browserTransport, createApiClient, data, readCookie, type Transport } from './client';
import { ApiError } from './errors';
import { fail, fakeTransport, ok } from '../test/fakeServer';

describe('readCookie', () => {
  it('finds a cookie among others and decodes it', () => {
    expect(readCookie('csrf_token', 'a=1; csrf_token=abc%3D%3D; b=2')).toBe('abc==');
    expect(readCookie('csrf_token', 'a=1')).toBeUndefined();
    expect(readCookie('token', 'csrf_token=x')).toBeUndefined();
  });
});

describe('CSRF header', () => {
  it('is sent on POST, PUT, PATCH and DELETE but not on GET', async () => {
    const { transport, calls } = fakeTransport(() => ok());
    const api = createApiClient({ transport, getCsrfToken: () => 'tok123' });
    await api.GET('/api/v1/users/me');
    await api.POST('/api/v1/auth/logout');
    await api.PUT('/api/v1/workspaces/{wid}/notifications/me', {
      params: { path: { wid: 7 } },
      body: { low_score_email: true, weekly_digest: false },
    });
    await api.PATCH('/api/v1/users/me', { body: { username: 'a' } });
    await api.DELETE('/api/v1/auth/sessions/{id}', { params: { path: { id: 1 } } });
    expect(calls.map((c) => [c.method, c.headers.get('X-CSRF-Token')])).toEqual([
      ['GET', null],
      ['POST', 'tok123'],
      ['PUT', 'tok123'],
      ['PATCH', 'tok123'],
      ['DELETE', 'tok123'],
    ]);
  });

  it('reads the token from document.cookie by default', async () => {
    document.cookie = 'csrf_token=from-cookie';
    const { transport, calls } = fakeTransport(() => ok());
    const api = createApiClient({ transport });
    await api.POST('/api/v1/auth/logout');
    expect(calls[0].headers.get('X-CSRF-Token')).toBe('from-cookie');
    document.cookie = 'csrf_token=; expires=Thu, 01 Jan 1970 00:00:00 GMT';
  });

  it('sends cookies, to /api/v1 of the page’s origin', async () => {
    const sent: Request[] = [];
    const api = createApiClient({
      transport: async (request) => {
        sent.push(request);
        return Response.json({ ok: true, data: null });
      },
    });
    await api.GET('/api/v1/users/me');
    expect(sent[0].credentials).toBe('same-origin');
    expect(sent[0].url).toBe(`${window.location.origin}/api/v1/users/me`);
  });
});

describe('401 handling', () => {
  it('refreshes once and retries the original request', async () => {
    let meCalls = 0;
    const { transport, calls } = fakeTransport((c) => {
      if (c.url === '/users/me') return ++meCalls === 1 ? fail(401, 'unauthorized') : ok({ id: 1 });
      if (c.url === '/auth/refresh') return ok({});
      return ok();
    });
    const onAuthFailure = vi.fn();
    const api = createApiClient({ transport, onAuthFailure, getCsrfToken: () => 't' });
    const res = await api.GET('/api/v1/users/me');
    expect(res.data).toEqual({ ok: true, data: { id: 1 } });
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['GET /users/me', 'POST /auth/refresh', 'GET /users/me']);
    // The refresh is an unsafe, cookie-authenticated request: it carries the CSRF header.
    expect(calls[1].headers.get('X-CSRF-Token')).toBe('t');
    expect(onAuthFailure).not.toHaveBeenCalled();
  });

  it('sends the body again on the retry, with the CSRF token as it is after the refresh', async () => {
    let csrf = 'before';
    const { transport, calls } = fakeTransport((c) => {
      if (c.url === '/auth/refresh') {
        csrf = 'after';
        return ok({});
      }
      return calls.length === 1 ? fail(401, 'unauthorized') : ok(null, 201);
    });
    const api = createApiClient({ transport, getCsrfToken: () => csrf });
    await data(api.POST('/api/v1/workspaces', { body: { name: 'Acme' } }));
    expect(calls.map((c) => [c.url, c.data, c.headers.get('X-CSRF-Token')])).toEqual([
      ['/workspaces', { name: 'Acme' }, 'before'],
      ['/auth/refresh', undefined, 'before'],
      ['/workspaces', { name: 'Acme' }, 'after'],
    ]);
  });

  it('gives up and reports the session as over when the refresh fails', async () => {
    const { transport, calls } = fakeTransport(() => fail(401, 'unauthorized'));
    const onAuthFailure = vi.fn();
    const api = createApiClient({ transport, onAuthFailure });
    await expect(data(api.GET('/api/v1/workspaces'))).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    expect(calls.map((c) => c.url)).toEqual(['/workspaces', '/auth/refresh']);
    expect(onAuthFailure).toHaveBeenCalledTimes(1);
  });

  it('does not loop when the retried request is still 401', async () => {
    const { transport, calls } = fakeTransport((c) => (c.url === '/auth/refresh' ? ok({}) : fail(401, 'unauthorized')));
    const onAuthFailure = vi.fn();
    const api = createApiClient({ transport, onAuthFailure });
    await expect(data(api.GET('/api/v1/workspaces'))).rejects.toBeInstanceOf(ApiError);
    expect(calls.map((c) => c.url)).toEqual(['/workspaces', '/auth/refresh', '/workspaces']);
    expect(onAuthFailure).toHaveBeenCalledTimes(1);
  });

  it('shares one refresh between concurrent 401s', async () => {
    const seen = new Map<string, number>();
    const { transport, calls } = fakeTransport((c) => {
      const n = (seen.get(c.url) ?? 0) + 1;
      seen.set(c.url, n);
      if (c.url === '/auth/refresh') return ok({});
      return n === 1 ? fail(401, 'unauthorized') : ok(c.url);
    });
    const api = createApiClient({ transport });
    const [a, b] = await Promise.all([data(api.GET('/api/v1/users/me')), data(api.GET('/api/v1/workspaces'))]);
    expect([a, b]).toEqual(['/users/me', '/workspaces']);
    expect(calls.filter((c) => c.url === '/auth/refresh')).toHaveLength(1);
  });

  it('never refreshes for a failed login (wrong password is not an expired session)', async () => {
    const { transport, calls } = fakeTransport(() => fail(401, 'invalid_credentials'));
    const onAuthFailure = vi.fn();
    const api = createApiClient({ transport, onAuthFailure });
    await expect(data(api.POST('/api/v1/auth/login', { body: { login: 'a', password: 'b' } }))).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    expect(calls).toHaveLength(1);
    expect(onAuthFailure).not.toHaveBeenCalled();
  });

  it('never refreshes for a wrong two-factor code, nor for an expired login challenge', async () => {
    const { transport, calls } = fakeTransport((c) =>
      c.url === '/auth/login/2fa' ? fail(401, 'unauthorized') : fail(401, 'invalid_code'),
    );
    const onAuthFailure = vi.fn();
    const api = createApiClient({ transport, onAuthFailure });
    await expect(data(api.POST('/api/v1/auth/2fa/disable', { body: { password: 'p', code: '123456' } }))).rejects.toMatchObject({
      code: 'invalid_code',
    });
    await expect(data(api.POST('/api/v1/auth/login/2fa', { body: { mfa_token: 't', code: '123456' } }))).rejects.toMatchObject({
      code: 'unauthorized',
    });
    expect(calls.map((c) => c.url)).toEqual(['/auth/2fa/disable', '/auth/login/2fa']);
    expect(onAuthFailure).not.toHaveBeenCalled();
  });

  it('passes other errors through as ApiError without refreshing', async () => {
    const { transport, calls } = fakeTransport(() =>
      fail(422, 'validation_failed', { fields: { email: ['is not a valid email address'] } }),
    );
    const api = createApiClient({ transport });
    const err = await data(api.POST('/api/v1/workspaces', { body: { name: '' } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 422, code: 'validation_failed', requestId: 'req-1', fields: { email: ['is not a valid email address'] } });
    expect(calls).toHaveLength(1);
  });

  it('turns a network failure into code network_error', async () => {
    const { transport } = fakeTransport(() => 'network-error');
    const api = createApiClient({ transport });
    await expect(data(api.GET('/api/v1/users/me'))).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });
});

describe('uploads', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('hand the progress callback to the transport, and go through the refresh like the rest', async () => {
    const paths: string[] = [];
    const transport: Transport = async (request, onUploadProgress) => {
      const path = new URL(request.url).pathname;
      paths.push(path);
      onUploadProgress?.(1);
      if (path === '/api/v1/auth/refresh') return Response.json({ ok: true, data: {} });
      return paths.length === 1 ? Response.json(fail(401, 'unauthorized').data, { status: 401 }) : Response.json({ ok: true, data: 'done' });
    };
    const api = createApiClient({ transport });
    const onProgress = vi.fn();
    const form = new FormData();
    form.append('file', new File(['name,email\n'], 'a.csv', { type: 'text/csv' }));
    const answer = await data(
      api.POST('/api/v1/workspaces/{wid}/customers/import', {
        params: { path: { wid: 7 } },
        body: form as unknown as string,
        fetch: (request: Request) => api.send(request, onProgress),
      }),
    );
    expect(answer).toBe('done');
    expect(paths).toEqual(['/api/v1/workspaces/7/customers/import', '/api/v1/auth/refresh', '/api/v1/workspaces/7/customers/import']);
    // Not for the refresh, which has no body to send.
    expect(onProgress).toHaveBeenCalledTimes(2);
  });

  it('use XMLHttpRequest in the browser, which reports how much was sent', async () => {
    const sent: { method: string; url: string; headers: Record<string, string>; body: unknown }[] = [];
    class FakeXhr {
      upload = { onprogress: null as ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null };
      onload: (() => void) | null = null;
      status = 0;
      statusText = '';
      response: Blob | null = null;
      responseType = '';
      private req = { method: '', url: '', headers: {} as Record<string, string> };
      open(method: string, url: string) {
        this.req.method = method;
        this.req.url = url;
      }
      setRequestHeader(name: string, value: string) {
        this.req.headers[name] = value;
      }
      getAllResponseHeaders() {
        return 'content-type: application/json\r\nretry-after: 5\r\n';
      }
      send(body: unknown) {
        sent.push({ ...this.req, body });
        this.upload.onprogress?.({ lengthComputable: true, loaded: 50, total: 200 });
        this.status = 503;
        // A Blob of the same kind as fetch's (jsdom has its own).
        void new Response(JSON.stringify(fail(503, 'unavailable').data)).blob().then((b) => {
          this.response = b;
          this.onload?.();
        });
      }
    }
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    const onProgress = vi.fn();
    const form = new FormData();
    form.append('file', new File(['name,email\n'], 'a.csv', { type: 'text/csv' }));
    const request = new Request('http://localhost/api/v1/x', { method: 'POST', body: form, headers: { 'X-CSRF-Token': 't' } });
    const response = await browserTransport(request, onProgress);
    expect(onProgress).toHaveBeenCalledWith(0.25);
    expect(sent[0]).toMatchObject({ method: 'POST', url: 'http://localhost/api/v1/x', headers: { 'x-csrf-token': 't' } });
    expect(sent[0].headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(await (sent[0].body as Blob).text()).toContain('name,email');
    expect(response.status).toBe(503);
    expect(response.headers.get('Retry-After')).toBe('5');
    expect(await response.json()).toMatchObject({ error: { code: 'unavailable' } });
  });
});
