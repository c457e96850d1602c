/**
 * One function per API route used by the UI, each checked against the OpenAPI document
 * (see ./client.ts) and returning the envelope's `data`.
 */
import { api, data, file } from './client';
import type { components, paths } from './schema';
import type {
  AdminUpdateUser,
  ChangePasswordRequest,
  CustomerFilters,
  CustomerInput,
  CustomerUpdate,
  Granularity,
  LoginRequest,
  SignupRequest,
  UpdateMe,
} from './types';

// ---- auth ---------------------------------------------------------------
export const authApi = {
  /** A session, or `{mfa_required, mfa_token}` when two-factor is on: see ./twoFactor.ts. */
  login: (body: LoginRequest) => data(api.POST('/api/v1/auth/login', { body })),
  signup: (body: SignupRequest) => data(api.POST('/api/v1/auth/signup', { body })),
  logout: () => data(api.POST('/api/v1/auth/logout')),
  logoutAll: () => data(api.POST('/api/v1/auth/logout-all')),
  verifyEmail: (token: string) => data(api.POST('/api/v1/auth/verify-email', { body: { token } })),
  resendVerification: (email: string) => data(api.POST('/api/v1/auth/resend-verification', { body: { email } })),
  forgotPassword: (email: string) => data(api.POST('/api/v1/auth/forgot-password', { body: { email } })),
  resetPassword: (token: string, new_password: string) =>
    data(api.POST('/api/v1/auth/reset-password', { body: { token, new_password } })),
  changePassword: (body: ChangePasswordRequest) => data(api.POST('/api/v1/auth/change-password', { body })),
  sessions: () => data(api.GET('/api/v1/auth/sessions')),
  revokeSession: (id: number) => data(api.DELETE('/api/v1/auth/sessions/{id}', { params: { path: { id } } })),
};

// ---- users --------------------------------------------------------------
export type UserListParams = NonNullable<paths['/api/v1/users']['get']['parameters']['query']>;

export const usersApi = {
  me: () => data(api.GET('/api/v1/users/me')),
  updateMe: (body: UpdateMe) => data(api.PATCH('/api/v1/users/me', { body })),
  list: (params: UserListParams) => data(api.GET('/api/v1/users', { params: { query: clean(params) } })),
  update: (id: number, body: AdminUpdateUser) => data(api.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body })),
  remove: (id: number) => data(api.DELETE('/api/v1/users/{id}', { params: { path: { id } } })),
};

// ---- customers ----------------------------------------------------------
export interface CustomerListParams extends CustomerFilters {
  page?: number;
  per_page?: number;
  sort?: string;
}

export type OnConflict = components['schemas']['OnConflict'];
/** How an import reads dates like 31/12/2025 (`dmy`) or 12/31/2025 (`mdy`); unset: year first only. */
export type DateFormat = components['schemas']['DateOrder'];

/** The customer routes of one workspace. */
export function customersApi(wid: number) {
  const path = { wid };
  return {
    list: ({ page, per_page, sort, ...filters }: CustomerListParams) =>
      data(
        api.GET('/api/v1/workspaces/{wid}/customers', {
          params: { path, query: { ...filterQuery(filters), ...clean({ page, per_page, sort }) } },
        }),
      ),
    get: (id: number) => data(api.GET('/api/v1/workspaces/{wid}/customers/{id}', { params: { path: { wid, id } } })),
    create: (body: CustomerInput) => data(api.POST('/api/v1/workspaces/{wid}/customers', { params: { path }, body })),
    update: (id: number, body: CustomerUpdate) =>
      data(api.PATCH('/api/v1/workspaces/{wid}/customers/{id}', { params: { path: { wid, id } }, body })),
    remove: (id: number) => data(api.DELETE('/api/v1/workspaces/{wid}/customers/{id}', { params: { path: { wid, id } } })),
    import: (
      csv: File,
      opts: { dryRun: boolean; onConflict: OnConflict; dateFormat?: DateFormat; onProgress?: (fraction: number) => void },
    ) => {
      const { onProgress } = opts;
      const form = new FormData();
      form.append('file', csv);
      return data(
        api.POST('/api/v1/workspaces/{wid}/customers/import', {
          params: { path, query: clean({ dry_run: opts.dryRun, on_conflict: opts.onConflict, date_format: opts.dateFormat }) },
          // The document lists only the `text/csv` body; the multipart form, which sends the
          // File as it is instead of reading it into a string, is only in its prose: this one
          // body is not checked.
          body: form as unknown as string,
          // fetch cannot report upload progress: this call goes through XMLHttpRequest (see
          // `browserTransport`), still with the URL, query and answer typed from the document.
          fetch: onProgress ? (request: Request) => api.send(request, onProgress) : undefined,
        }),
      );
    },
    /** The CSV export of the current filters (goes through refresh-on-401). */
    exportCsv: ({ sort, ...filters }: CustomerFilters & { sort?: string }) =>
      file(
        api.GET('/api/v1/workspaces/{wid}/customers/export', {
          params: { path, query: { ...filterQuery(filters), ...clean({ sort }) } },
          parseAs: 'blob',
        }),
      ),
    sampleCsv: () => file(api.GET('/api/v1/customers/sample.csv', { parseAs: 'blob' })),
  };
}
export type CustomersApi = ReturnType<typeof customersApi>;

// ---- analytics ----------------------------------------------------------
/** The analytics routes of one workspace. */
export function analyticsApi(wid: number) {
  const path = { wid };
  return {
    summary: (f: CustomerFilters) =>
      data(api.GET('/api/v1/workspaces/{wid}/analytics/summary', { params: { path, query: filterQuery(f) } })),
    trends: (f: CustomerFilters, granularity: Granularity) =>
      data(api.GET('/api/v1/workspaces/{wid}/analytics/trends', { params: { path, query: { ...filterQuery(f), granularity } } })),
    distribution: (f: CustomerFilters) =>
      data(api.GET('/api/v1/workspaces/{wid}/analytics/distribution', { params: { path, query: filterQuery(f) } })),
    keywords: (f: CustomerFilters, limit = 8) =>
      data(api.GET('/api/v1/workspaces/{wid}/analytics/keywords', { params: { path, query: { ...filterQuery(f), limit } } })),
  };
}
export type AnalyticsApi = ReturnType<typeof analyticsApi>;

/** The customer filters as the query string takes them: the document has the scores as text. */
export function filterQuery(f: CustomerFilters) {
  return clean({ ...f, min_score: f.min_score?.toString(), max_score: f.max_score?.toString() });
}

/** Drop empty values so the query string stays tidy. */
export function clean<T extends object>(params: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(params) as [keyof T, T[keyof T]][]) {
    if (v === undefined || v === null || v === '') continue;
    out[k] = v;
  }
  return out;
}
