import { describe, expect, it } from 'vitest';
import { ApiError, apiErrorFromResponse, errorMessage, fieldErrors, formatWait, toApiError } from './errors';

/** What the client throws for a failed answer with this body. */
function failure(status: number, body: unknown, headers: Record<string, string> = {}) {
  return apiErrorFromResponse(new Response(null, { status, headers }), body);
}

const networkError = new ApiError({ status: 0, code: 'network_error', message: 'Failed to fetch' });

const envelope = (code: string, extra: object = {}) => ({ ok: false, error: { code, message: 'Server says no.', request_id: 'r1', ...extra } });

describe('apiErrorFromResponse', () => {
  it('reads the envelope, the request id and Retry-After', () => {
    const e = failure(429, envelope('account_locked'), { 'retry-after': '840' });
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 429, code: 'account_locked', message: 'Server says no.', requestId: 'r1', retryAfter: 840 });
  });

  it('copes with a body that is not an envelope', () => {
    expect(failure(502, '<html>bad gateway</html>')).toMatchObject({ status: 502, code: 'internal' });
    expect(failure(400, undefined)).toMatchObject({ status: 400, code: 'bad_request' });
  });

  it('leaves an ApiError as it is, and makes anything else an internal one', () => {
    expect(toApiError(networkError)).toBe(networkError);
    expect(toApiError(new SyntaxError('Unexpected token <'))).toMatchObject({ status: 0, code: 'internal' });
  });
});

describe('errorMessage', () => {
  const msg = (code: string, extra: object = {}, headers: Record<string, string> = {}, status = 400) =>
    errorMessage(failure(status, envelope(code, extra), headers));

  it('explains wrong credentials without saying which part was wrong', () => {
    expect(msg('invalid_credentials', {}, {}, 401)).toMatch(/username\/email and password do not match/);
  });
  it('says how long a locked account must wait', () => {
    expect(msg('account_locked', {}, { 'retry-after': '900' }, 429)).toMatch(/locked.*15 minutes/);
    expect(msg('account_locked', {}, { 'retry-after': '42' }, 429)).toMatch(/42 seconds/);
  });
  it('covers taken emails, validation, rate limits and the network', () => {
    expect(msg('email_taken', {}, {}, 409)).toMatch(/already registered/);
    expect(msg('validation_failed', {}, {}, 422)).toMatch(/fields need attention/);
    expect(msg('rate_limited', {}, { 'retry-after': '60' }, 429)).toMatch(/wait 1 minute/);
    expect(errorMessage(networkError)).toMatch(/Cannot reach the server/);
  });
  it('shows the server message for conflicts (e.g. the last-admin guard)', () => {
    expect(msg('conflict', {}, {}, 409)).toBe('Server says no.');
  });
  it('explains the workspace and invitation codes', () => {
    expect(msg('slug_taken', {}, {}, 409)).toMatch(/already uses that address/);
    expect(msg('already_member', {}, {}, 409)).toMatch(/already a member/);
    expect(msg('invitation_email_mismatch', {}, {}, 403)).toMatch(/different email address/);
    expect(msg('signup_closed', {}, {}, 403)).toMatch(/need an invitation/);
    expect(msg('forbidden', {}, {}, 403)).toMatch(/permission/);
    expect(msg('invalid_token', {}, {}, 400)).toMatch(/invalid or has expired/);
  });
  it('explains the two-factor codes', () => {
    expect(msg('invalid_code', {}, {}, 401)).toMatch(/not valid, or it has already been used/);
    expect(msg('two_factor_required', {}, {}, 403)).toMatch(/requires two-factor authentication/);
  });
  it('falls back to the server message for unknown codes', () => {
    expect(msg('brand_new_code')).toBe('Server says no.');
  });
});

describe('fieldErrors', () => {
  it('joins the messages of each field and capitalises them', () => {
    const err = failure(422, envelope('validation_failed', { fields: { password: ['is too short', 'is too common'] } }));
    expect(fieldErrors(err)).toEqual({ password: 'Is too short; is too common' });
  });
  it('puts email_taken and username_taken under their field', () => {
    expect(fieldErrors(failure(409, envelope('email_taken')))).toEqual({ email: 'This email is already registered.' });
    expect(fieldErrors(failure(409, envelope('username_taken')))).toEqual({ username: 'This username is already taken.' });
  });
  it('puts slug_taken, already_member and invitation_email_mismatch under their field', () => {
    expect(fieldErrors(failure(409, envelope('slug_taken')))).toEqual({ slug: 'Another workspace already uses this address.' });
    expect(fieldErrors(failure(409, envelope('already_member')))).toEqual({ email: 'This person is already a member.' });
    expect(fieldErrors(failure(403, envelope('invitation_email_mismatch')))).toEqual({
      email: 'Use the address the invitation was sent to.',
    });
  });
  it('puts a wrong two-factor code under the code field', () => {
    expect(fieldErrors(failure(401, envelope('invalid_code')))).toEqual({ code: 'This code is not valid, or it has already been used.' });
  });
  it('is empty for no error', () => {
    expect(fieldErrors(null)).toEqual({});
  });
});

describe('formatWait', () => {
  it.each([
    [undefined, 'a little while'],
    [1, '1 second'],
    [59, '59 seconds'],
    [60, '1 minute'],
    [61, '2 minutes'],
    [900, '15 minutes'],
  ])('%s → %s', (s, out) => expect(formatWait(s)).toBe(out));
});
