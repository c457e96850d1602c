/**
 * Client-side checks run before submit. They mirror the server's rules (docs/API.md) so
 * people see mistakes at once; the server stays the judge and its field errors are shown too.
 */
import { isScore, SCORE_RANGE } from './scores';
import { formatNumber } from './format';
import { API_KEY_NAME_MAX, CUSTOMER_NAME_MAX, REVIEW_MAX, SLUG_MAX, WORKSPACE_NAME_MAX } from './lengths';

export type Errors<K extends string = string> = Partial<Record<K, string>>;

const USERNAME_RE = /^[A-Za-z0-9_.-]{3,32}$/;
// Deliberately simple: one @, something on each side, a dot in the domain, no spaces.
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateUsername(v: string): string | undefined {
  if (!v.trim()) return 'Enter a username.';
  if (v.length < 3 || v.length > 32) return 'Use 3 to 32 characters.';
  if (!USERNAME_RE.test(v)) return 'Use only letters, digits, and . _ -';
  return undefined;
}

export function validateEmail(v: string): string | undefined {
  if (!v.trim()) return 'Enter your email address.';
  if (!EMAIL_RE.test(v.trim())) return 'Enter a valid email address, like name@example.com.';
  return undefined;
}

export function validateNewPassword(v: string, ctx: { username?: string; email?: string } = {}): string | undefined {
  if (!v) return 'Enter a password.';
  if (v.length < 8) return 'Use at least 8 characters.';
  if (v.length > 128) return 'Use at most 128 characters.';
  const lower = v.toLowerCase();
  if (ctx.username && lower === ctx.username.toLowerCase()) return 'Your password cannot be your username.';
  if (ctx.email && lower === ctx.email.trim().toLowerCase()) return 'Your password cannot be your email.';
  return undefined;
}

function compact<K extends string>(e: Errors<K>): Errors<K> {
  const out: Errors<K> = {};
  for (const k of Object.keys(e) as K[]) if (e[k]) out[k] = e[k];
  return out;
}

export function hasErrors(e: Errors): boolean {
  return Object.values(e).some(Boolean);
}

export function validateLogin(v: { login: string; password: string }): Errors<'login' | 'password'> {
  return compact({
    login: v.login.trim() ? undefined : 'Enter your username or email.',
    password: v.password ? undefined : 'Enter your password.',
  });
}

export function validateSignup(v: {
  username: string;
  email: string;
  password: string;
  confirm: string;
}): Errors<'username' | 'email' | 'password' | 'confirm'> {
  return compact({
    username: validateUsername(v.username),
    email: validateEmail(v.email),
    password: validateNewPassword(v.password, { username: v.username, email: v.email }),
    confirm: v.confirm === v.password ? undefined : 'The passwords do not match.',
  });
}

export function validateResetPassword(v: { password: string; confirm: string }): Errors<'password' | 'confirm'> {
  return compact({
    password: validateNewPassword(v.password),
    confirm: v.confirm === v.password ? undefined : 'The passwords do not match.',
  });
}

export function validateChangePassword(v: {
  current: string;
  password: string;
  confirm: string;
}): Errors<'current' | 'password' | 'confirm'> {
  return compact({
    current: v.current ? undefined : 'Enter your current password.',
    password:
      validateNewPassword(v.password) ??
      (v.password === v.current ? 'Choose a password different from the current one.' : undefined),
    confirm: v.confirm === v.password ? undefined : 'The passwords do not match.',
  });
}

export function validateProfile(v: { username: string; email: string }): Errors<'username' | 'email'> {
  return compact({ username: validateUsername(v.username), email: validateEmail(v.email) });
}

export function validateCustomer(v: {
  name: string;
  email: string;
  satisfaction_score: string;
  review: string;
  feedback_at: string;
}): Errors<'name' | 'email' | 'satisfaction_score' | 'review' | 'feedback_at'> {
  const score = Number(v.satisfaction_score);
  return compact({
    name: v.name.trim() ? (v.name.length > CUSTOMER_NAME_MAX ? `Use at most ${CUSTOMER_NAME_MAX} characters.` : undefined) : 'Enter a name.',
    email: validateEmail(v.email),
    satisfaction_score:
      v.satisfaction_score === ''
        ? `Pick a score ${SCORE_RANGE}.`
        : isScore(score)
          ? undefined
          : `The score is a whole number ${SCORE_RANGE}.`,
    review: v.review.length > REVIEW_MAX ? `Keep the review under ${formatNumber(REVIEW_MAX)} characters.` : undefined,
    feedback_at: v.feedback_at && Number.isNaN(Date.parse(v.feedback_at)) ? 'Enter a valid date.' : undefined,
  });
}

const SLUG_RE = new RegExp(`^[a-z0-9-]{3,${SLUG_MAX}}$`);

/** A workspace's name: 1–80 characters. */
export function validateWorkspaceName(v: string): string | undefined {
  if (!v.trim()) return 'Enter a name.';
  if ([...v.trim()].length > WORKSPACE_NAME_MAX) return `Use at most ${WORKSPACE_NAME_MAX} characters.`;
  return undefined;
}

/** A workspace's address: 3–48 of lowercase letters, digits and dashes. */
export function validateSlug(v: string): string | undefined {
  if (!v) return 'Enter an address.';
  if (v.length < 3 || v.length > SLUG_MAX) return `Use 3 to ${SLUG_MAX} characters.`;
  if (!SLUG_RE.test(v)) return 'Use only lowercase letters, digits and dashes.';
  return undefined;
}

export function validateInvitation(v: { email: string }): Errors<'email'> {
  return compact({ email: v.email.trim() ? validateEmail(v.email) : 'Enter the email address to invite.' });
}

/** A 6-digit code from an authenticator app (spaces allowed), or a recovery code. */
export function validateTwoFactorCode(v: string, kind: 'totp' | 'recovery' = 'totp'): string | undefined {
  const code = v.replace(/[\s-]+/g, '');
  if (kind === 'recovery') {
    if (!code) return 'Enter one of your recovery codes.';
    if (!/^[A-Za-z0-9]{8}$/.test(code)) return 'A recovery code has 8 letters and digits, like K7QX-M2PD.';
    return undefined;
  }
  if (!code) return 'Enter the 6-digit code from your authenticator app.';
  if (!/^\d{6}$/.test(code)) return 'The code is 6 digits.';
  return undefined;
}

/** The password and code that turning two-factor off or new recovery codes ask for. */
export function validatePasswordAndCode(v: { password: string; code: string }): Errors<'password' | 'code'> {
  const code = v.code.replace(/[\s-]+/g, '');
  return compact({
    password: v.password ? undefined : 'Enter your password.',
    code: !code
      ? 'Enter a code from your authenticator app, or a recovery code.'
      : /^(\d{6}|[A-Za-z0-9]{8})$/.test(code)
        ? undefined
        : 'Enter the 6-digit code from your app, or a recovery code (8 letters and digits).',
  });
}

/** An API key's name (1–80 characters) and its optional expiry date, not in the past. */
export function validateApiKey(v: { name: string; expires: string }, today: string): Errors<'name' | 'expires'> {
  return compact({
    name: !v.name.trim()
      ? 'Give the key a name, like “Nightly export”.'
      : [...v.name.trim()].length > API_KEY_NAME_MAX
        ? `Use at most ${API_KEY_NAME_MAX} characters.`
        : undefined,
    expires: !v.expires
      ? undefined
      : !/^\d{4}-\d{2}-\d{2}$/.test(v.expires)
        ? 'Enter a date, or leave it empty.'
        : v.expires < today
          ? 'Pick today or a later date.'
          : undefined,
  });
}

/** A score from a form: required, a whole number of the scale. */
function scoreError(v: string): string | undefined {
  if (v === '') return `Pick a score ${SCORE_RANGE}.`;
  return isScore(Number(v)) ? undefined : `The score is a whole number ${SCORE_RANGE}.`;
}

/** A response added or corrected by hand (its date between 1970-01-01 and tomorrow). */
export function validateResponse(
  v: { satisfaction_score: string; review: string; feedback_at: string },
  today: string,
): Errors<'satisfaction_score' | 'review' | 'feedback_at'> {
  return compact({
    satisfaction_score: scoreError(v.satisfaction_score),
    review: v.review.length > REVIEW_MAX ? `Keep the review under ${formatNumber(REVIEW_MAX)} characters.` : undefined,
    feedback_at: !v.feedback_at
      ? undefined
      : Number.isNaN(Date.parse(v.feedback_at))
        ? 'Enter a valid date.'
        : v.feedback_at > today
          ? 'Feedback cannot come from the future.'
          : undefined,
  });
}

/** The public feedback form. */
export function validatePublicForm(v: {
  name: string;
  email: string;
  satisfaction_score: string;
  review: string;
}): Errors<'name' | 'email' | 'satisfaction_score' | 'review'> {
  return compact({
    name: v.name.trim() ? (v.name.length > CUSTOMER_NAME_MAX ? `Use at most ${CUSTOMER_NAME_MAX} characters.` : undefined) : 'Enter your name.',
    email: validateEmail(v.email),
    satisfaction_score: scoreError(v.satisfaction_score),
    review: v.review.length > REVIEW_MAX ? `Keep your comment under ${formatNumber(REVIEW_MAX)} characters.` : undefined,
  });
}
