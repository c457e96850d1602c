/**
 * One function per API route used by the UI. Each returns the envelope's `data`.
 */
import type { AxiosProgressEvent } from 'axios';
import { api, unwrap } from './client';
import type { components } from './schema';
import type {
  AdminUpdateUser,
  ChangePasswordRequest,
  Customer,
  CustomerFilters,
  CustomerInput,
  CustomerUpdate,
  Distribution,
  Granularity,
  ImportReport,
  Keywords,
  LoginAnswer,
  LoginRequest,
  Page,
  SessionRead,
  SignupRequest,
  Summary,
  Trends,
  UpdateMe,
  UserRead,
} from './types';

/** The envelope's `data` of a response. */
export const data = <T>(p: Promise<{ data: unknown }>) => p.then((r) => unwrap<T>(r.data));

// ---- auth ---------------------------------------------------------------
export const authApi = {
  /** A session, or `{mfa_required, mfa_token}` when two-factor is on: see ./twoFactor.ts. */
  login: (body: LoginRequest) => data<LoginAnswer>(api.post('/auth/login', body)),
  signup: (body: SignupRequest) => data<{ user: UserRead }>(api.post('/auth/signup', body)),
  logout: () => data<null>(api.post('/auth/logout')),
  logoutAll: () => data<null>(api.post('/auth/logout-all')),
  verifyEmail: (token: string) => data<{ user: UserRead }>(api.post('/auth/verify-email', { token })),
  resendVerification: (email: string) => data<null>(api.post('/auth/resend-verification', { email })),
  forgotPassword: (email: string) => data<null>(api.post('/auth/forgot-password', { email })),
  resetPassword: (token: string, new_password: string) =>
    data<null>(api.post('/auth/reset-password', { token, new_password })),
  changePassword: (body: ChangePasswordRequest) => data<null>(api.post('/auth/change-password', body)),
  sessions: () => data<{ items: SessionRead[] }>(api.get('/auth/sessions')),
  revokeSession: (id: number) => data<null>(api.delete(`/auth/sessions/${id}`)),
};

// ---- users --------------------------------------------------------------
export interface UserListParams {
  page?: number;
  per_page?: number;
  q?: string;
  role?: string;
  is_active?: boolean;
  is_verified?: boolean;
}

export const usersApi = {
  me: () => data<UserRead>(api.get('/users/me')),
  updateMe: (body: UpdateMe) => data<UserRead>(api.patch('/users/me', body)),
  list: (params: UserListParams) => data<Page<UserRead>>(api.get('/users', { params: clean(params) })),
  update: (id: number, body: AdminUpdateUser) => data<UserRead>(api.patch(`/users/${id}`, body)),
  remove: (id: number) => data<null>(api.delete(`/users/${id}`)),
};

// ---- customers ----------------------------------------------------------
export interface CustomerListParams extends CustomerFilters {
  page?: number;
  per_page?: number;
  sort?: string;
}

export type OnConflict = components['schemas']['OnConflict'];
/** How an import reads dates like 31/12/2025 (`dmy`) or 12/31/2025 (`mdy`); unset: year first only (API.md §18). */
export type DateFormat = 'dmy' | 'mdy';

/**
 * The customer routes under `base`: `/workspaces/{wid}` for one workspace (bound in
 * ./workspaces.ts; the UI always names the workspace), or `''` for the first release's
 * paths, which act on the caller's default workspace.
 */
export function customersApiAt(base: string) {
  return {
    list: (params: CustomerListParams) => data<Page<Customer>>(api.get(`${base}/customers`, { params: clean(params) })),
    get: (id: number) => data<Customer>(api.get(`${base}/customers/${id}`)),
    create: (body: CustomerInput) => data<Customer>(api.post(`${base}/customers`, body)),
    update: (id: number, body: CustomerUpdate) => data<Customer>(api.patch(`${base}/customers/${id}`, body)),
    remove: (id: number) => data<null>(api.delete(`${base}/customers/${id}`)),
    import: (
      file: File,
      opts: { dryRun: boolean; onConflict: OnConflict; dateFormat?: DateFormat; onProgress?: (fraction: number) => void },
    ) => {
      const form = new FormData();
      form.append('file', file);
      const params: Record<string, string | boolean> = { dry_run: opts.dryRun, on_conflict: opts.onConflict };
      if (opts.dateFormat) params.date_format = opts.dateFormat;
      return data<ImportReport>(
        api.post(`${base}/customers/import`, form, {
          params,
          onUploadProgress: (e: AxiosProgressEvent) => {
            if (opts.onProgress) opts.onProgress(e.total ? e.loaded / e.total : (e.progress ?? 0));
          },
        }),
      );
    },
    /** The CSV export of the current filters, as a Blob (goes through refresh-on-401). */
    exportCsv: async (filters: CustomerFilters & { sort?: string }) => {
      const res = await api.get(`${base}/customers/export`, { params: clean(filters), responseType: 'blob' });
      return res.data as Blob;
    },
    sampleCsv: async () => {
      const res = await api.get(`${base}/customers/sample.csv`, { responseType: 'blob' });
      return res.data as Blob;
    },
  };
}
export type CustomersApi = ReturnType<typeof customersApiAt>;

// ---- analytics ----------------------------------------------------------
/** The analytics routes under `base`, as `customersApiAt`. */
export function analyticsApiAt(base: string) {
  return {
    summary: (f: CustomerFilters) => data<Summary>(api.get(`${base}/analytics/summary`, { params: clean(f) })),
    trends: (f: CustomerFilters, granularity: Granularity) =>
      data<Trends>(api.get(`${base}/analytics/trends`, { params: { ...clean(f), granularity } })),
    distribution: (f: CustomerFilters) => data<Distribution>(api.get(`${base}/analytics/distribution`, { params: clean(f) })),
    keywords: (f: CustomerFilters, limit = 8) =>
      data<Keywords>(api.get(`${base}/analytics/keywords`, { params: { ...clean(f), limit } })),
  };
}
export type AnalyticsApi = ReturnType<typeof analyticsApiAt>;

/** Drop empty values so the query string stays tidy. */
export function clean<T extends object>(params: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(params) as [keyof T, T[keyof T]][]) {
    if (v === undefined || v === null || v === '') continue;
    out[k] = v;
  }
  return out;
}
