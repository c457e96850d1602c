/**
 * The one place where the envelope's error `code` becomes words for people.
 */
export type FieldErrors = Record<string, string[]>;

export interface ErrorBody {
  code: string;
  message: string;
  fields?: FieldErrors;
  request_id?: string;
}

/** Every failed API call is turned into this. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldErrors;
  readonly requestId?: string;
  /** Seconds from `Retry-After` (429). */
  readonly retryAfter?: number;

  constructor(opts: {
    status: number;
    code: string;
    message: string;
    fields?: FieldErrors;
    requestId?: string;
    retryAfter?: number;
  }) {
    super(opts.message);
    this.name = 'ApiError';
    this.status = opts.status;
    this.code = opts.code;
    this.fields = opts.fields ?? {};
    this.requestId = opts.requestId;
    this.retryAfter = opts.retryAfter;
  }
}

function isErrorBody(v: unknown): v is { ok: false; error: ErrorBody } {
  if (typeof v !== 'object' || v === null) return false;
  const e = (v as { error?: unknown }).error;
  return typeof e === 'object' && e !== null && typeof (e as ErrorBody).code === 'string';
}

/** An ApiError from a failed answer and its body (the envelope, when the server sent one). */
export function apiErrorFromResponse(response: Response, body: unknown): ApiError {
  const retryHeader = response.headers.get('retry-after');
  const retry = retryHeader === null ? undefined : Number(retryHeader);
  const retryAfter = retry !== undefined && Number.isFinite(retry) ? retry : undefined;
  if (isErrorBody(body)) {
    return new ApiError({
      status: response.status,
      code: body.error.code,
      message: body.error.message,
      fields: body.error.fields,
      requestId: body.error.request_id,
      retryAfter,
    });
  }
  return new ApiError({
    status: response.status,
    code: response.status >= 500 ? 'internal' : 'bad_request',
    message: `HTTP ${response.status}`,
    retryAfter,
  });
}

/** Anything an API call threw, as an ApiError (the client already throws ApiErrors). */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError({ status: 0, code: 'internal', message: err instanceof Error ? err.message : String(err) });
}

/** "45 seconds", "1 minute", "15 minutes". */
export function formatWait(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) return 'a little while';
  if (seconds < 60) return `${Math.ceil(seconds)} second${Math.ceil(seconds) === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

const MESSAGES: Record<string, string | ((e: ApiError) => string)> = {
  invalid_credentials: 'That username/email and password do not match. Check them and try again.',
  account_locked: (e) =>
    `Too many failed attempts: this account is locked. Try again in ${formatWait(e.retryAfter)}, or reset your password.`,
  rate_limited: (e) => `Too many requests. Please wait ${formatWait(e.retryAfter)} and try again.`,
  email_taken: 'That email address is already registered.',
  username_taken: 'That username is already taken.',
  validation_failed: 'Some fields need attention.',
  network_error: 'Cannot reach the server. Check your connection and try again.',
  invalid_token: 'This link is invalid or has expired. Request a new one.',
  token_reused: 'Your session ended for safety. Please log in again.',
  unauthorized: 'Your session has ended. Please log in again.',
  forbidden: 'You do not have permission to do that.',
  email_not_verified: 'Verify your email address first: use the link we sent you.',
  csrf_failed: 'Your session could not be confirmed. Reload the page and try again.',
  account_disabled: 'This account has been deactivated. Contact an administrator.',
  not_found: 'That item no longer exists.',
  conflict: (e) => e.message || 'That change conflicts with the current state.',
  payload_too_large: 'That file is too large to upload.',
  unsupported_media_type: 'That file type is not supported.',
  bad_request: (e) => e.message || 'The request was not understood.',
  unavailable: 'The service is temporarily unavailable. Try again shortly.',
  // Workspaces and invitations.
  slug_taken: 'Another workspace already uses that address. Choose a different one.',
  already_member: 'That person is already a member of this workspace.',
  invitation_email_mismatch:
    'This invitation was sent to a different email address. Use the account (or sign up with the address) the invitation was sent to.',
  signup_closed:
    'New accounts need an invitation here. Ask a workspace admin to invite you, then open the link in the invitation email.',
  two_factor_required: 'This workspace requires two-factor authentication. Turn it on for your account to see its data.',
  // Surveys.
  already_answered: 'Your answer is final, thank you.',
  // Two-factor.
  invalid_code: 'That code is not valid, or it has already been used. Enter the current code from your app, or an unused recovery code.',
  internal: 'Something went wrong on our side. Please try again.',
};

/** A sentence for the person, from the error's code. */
export function errorMessage(err: unknown): string {
  const e = toApiError(err);
  const m = MESSAGES[e.code];
  if (typeof m === 'function') return m(e);
  if (typeof m === 'string') return m;
  return e.message || 'Something went wrong.';
}

/**
 * Field errors to show under inputs: the envelope's `fields`, plus the conflict codes
 * that belong to one field.
 */
export function fieldErrors(err: unknown): Record<string, string> {
  const e = toApiError(err);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.fields)) {
    if (v.length > 0) out[k] = capitalize(v.join('; '));
  }
  if (e.code === 'email_taken' && !out.email) out.email = 'This email is already registered.';
  if (e.code === 'username_taken' && !out.username) out.username = 'This username is already taken.';
  if (e.code === 'slug_taken' && !out.slug) out.slug = 'Another workspace already uses this address.';
  if (e.code === 'already_member' && !out.email) out.email = 'This person is already a member.';
  if (e.code === 'invitation_email_mismatch' && !out.email) out.email = 'Use the address the invitation was sent to.';
  if (e.code === 'invalid_code' && !out.code) out.code = 'This code is not valid, or it has already been used.';
  return out;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
