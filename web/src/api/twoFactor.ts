/**
 * Two-factor sign-in (docs/API.md, "Two-factor"): setting it up, turning it off, new recovery codes, and
 * the second step of a login. Each returns the envelope's `data`.
 */
import { api, data } from './client';
import type { LoginAnswer, MfaChallenge } from './types';

export const twoFactorApi = {
  /** A new secret and its QR code; nothing changes until `enable`. Wrong password → 422 `fields.password`. */
  setup: (password: string) => data(api.POST('/api/v1/auth/2fa/setup', { body: { password } })),
  /** Turns two-factor on with a code of the secret from `setup`; the recovery codes are answered only here. */
  enable: (code: string) => data(api.POST('/api/v1/auth/2fa/enable', { body: { code } })),
  /** Turns two-factor off; the account's other sessions end. */
  disable: (password: string, code: string) => data(api.POST('/api/v1/auth/2fa/disable', { body: { password, code } })),
  /** New recovery codes; the old ones stop working. */
  recoveryCodes: (password: string, code: string) =>
    data(api.POST('/api/v1/auth/2fa/recovery-codes', { body: { password, code } })),
  /** The second step of a login: a current code or an unused recovery code. Sets the cookies. */
  login: (mfa_token: string, code: string) => data(api.POST('/api/v1/auth/login/2fa', { body: { mfa_token, code } })),
};

/** Is this login answer the two-factor challenge rather than a session? */
export function isMfaChallenge(answer: LoginAnswer): answer is MfaChallenge {
  return (answer as Partial<MfaChallenge>).mfa_required === true;
}
