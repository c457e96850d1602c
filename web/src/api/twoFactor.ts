/**
 * Two-factor sign-in (API.md §15): setting it up, turning it off, new recovery codes, and
 * the second step of a login. Each returns the envelope's `data`.
 */
import { api } from './client';
import { data } from './endpoints';
import type { LoginAnswer, LoginResponse, MfaChallenge, RecoveryCodes, TwoFactorSetup } from './types';

export const twoFactorApi = {
  /** A new secret and its QR code; nothing changes until `enable`. Wrong password → 422 `fields.password`. */
  setup: (password: string) => data<TwoFactorSetup>(api.post('/auth/2fa/setup', { password })),
  /** Turns two-factor on with a code of the secret from `setup`; the recovery codes are answered only here. */
  enable: (code: string) => data<RecoveryCodes>(api.post('/auth/2fa/enable', { code })),
  /** Turns two-factor off; the account's other sessions end. */
  disable: (password: string, code: string) => data<null>(api.post('/auth/2fa/disable', { password, code })),
  /** New recovery codes; the old ones stop working. */
  recoveryCodes: (password: string, code: string) =>
    data<RecoveryCodes>(api.post('/auth/2fa/recovery-codes', { password, code })),
  /** The second step of a login: a current code or an unused recovery code. Sets the cookies. */
  login: (mfa_token: string, code: string) => data<LoginResponse>(api.post('/auth/login/2fa', { mfa_token, code })),
};

/** Is this login answer the two-factor challenge rather than a session? */
export function isMfaChallenge(answer: LoginAnswer): answer is MfaChallenge {
  return (answer as Partial<MfaChallenge>).mfa_required === true;
}
