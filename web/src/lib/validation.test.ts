import { describe, expect, it } from 'vitest';
import {
  hasErrors,
  validateChangePassword,
  validateCustomer,
  validateInvitation,
  validateSlug,
  validateWorkspaceName,
  validateEmail,
  validateLogin,
  validateNewPassword,
  validateResetPassword,
  validateSignup,
  validateUsername,
  validateApiKey,
  validatePasswordAndCode,
  validateTwoFactorCode,
} from './validation';

describe('validateUsername', () => {
  it.each([
    ['ada', undefined],
    ['ada.lovelace_1-x', undefined],
    ['a'.repeat(32), undefined],
    ['', 'Enter a username.'],
    ['ab', 'Use 3 to 32 characters.'],
    ['a'.repeat(33), 'Use 3 to 32 characters.'],
    ['ada lovelace', 'Use only letters, digits, and . _ -'],
    ['ada@home', 'Use only letters, digits, and . _ -'],
  ])('%j → %s', (v, expected) => expect(validateUsername(v)).toBe(expected));
});

describe('validateEmail', () => {
  it.each([
    ['ada@example.com', true],
    [' ada@example.com ', true],
    ['ADA@Example.co.uk', true],
    ['', false],
    ['ada', false],
    ['ada@', false],
    ['ada@example', false],
    ['a da@example.com', false],
  ])('%j valid=%s', (v, valid) => expect(validateEmail(v) === undefined).toBe(valid));
});

describe('validateNewPassword', () => {
  it('enforces 8–128 characters', () => {
    expect(validateNewPassword('')).toBe('Enter a password.');
    expect(validateNewPassword('1234567')).toMatch(/at least 8/);
    expect(validateNewPassword('12345678')).toBeUndefined();
    expect(validateNewPassword('x'.repeat(128))).toBeUndefined();
    expect(validateNewPassword('x'.repeat(129))).toMatch(/at most 128/);
  });
  it('refuses the username or the email, ignoring case', () => {
    expect(validateNewPassword('AdaLovelace', { username: 'adalovelace' })).toMatch(/username/);
    expect(validateNewPassword('ada@example.com', { email: 'ADA@example.com' })).toMatch(/email/);
  });
  it('asks for no composition rules', () => {
    expect(validateNewPassword('all lowercase words here')).toBeUndefined();
  });
});

describe('form validators', () => {
  it('login needs both fields', () => {
    expect(validateLogin({ login: ' ', password: '' })).toEqual({
      login: 'Enter your username or email.',
      password: 'Enter your password.',
    });
    expect(hasErrors(validateLogin({ login: 'ada', password: 'x' }))).toBe(false);
  });

  it('signup checks every field and the confirmation', () => {
    const errs = validateSignup({ username: 'ada', email: 'ada@example.com', password: 'long enough pw', confirm: 'different' });
    expect(errs).toEqual({ confirm: 'The passwords do not match.' });
    expect(validateSignup({ username: '', email: 'x', password: 'short', confirm: 'short' })).toEqual({
      username: 'Enter a username.',
      email: expect.stringMatching(/valid email/),
      password: expect.stringMatching(/at least 8/),
    });
  });

  it('reset needs matching passwords', () => {
    expect(validateResetPassword({ password: 'long enough pw', confirm: 'long enough pw' })).toEqual({});
    expect(validateResetPassword({ password: 'long enough pw', confirm: '' })).toEqual({ confirm: 'The passwords do not match.' });
  });

  it('change password wants a new password that differs from the current one', () => {
    expect(validateChangePassword({ current: 'same password', password: 'same password', confirm: 'same password' })).toEqual({
      password: 'Choose a password different from the current one.',
    });
    expect(validateChangePassword({ current: '', password: 'new password 1', confirm: 'new password 1' })).toEqual({
      current: 'Enter your current password.',
    });
  });

  it('customer: name, email, score 1–5, review length, date', () => {
    const good = { name: 'Ada', email: 'ada@example.com', satisfaction_score: '5', review: '', feedback_at: '' };
    expect(validateCustomer(good)).toEqual({});
    expect(validateCustomer({ ...good, name: '  ', satisfaction_score: '' })).toEqual({
      name: 'Enter a name.',
      satisfaction_score: 'Pick a score from 1 to 5.',
    });
    expect(validateCustomer({ ...good, satisfaction_score: '6' }).satisfaction_score).toMatch(/1 to 5/);
    expect(validateCustomer({ ...good, satisfaction_score: '2.5' }).satisfaction_score).toMatch(/whole number/);
    expect(validateCustomer({ ...good, review: 'x'.repeat(5001) }).review).toMatch(/5,000/);
    expect(validateCustomer({ ...good, feedback_at: 'not a date' }).feedback_at).toBe('Enter a valid date.');
  });

  it('workspace name: 1–80 characters', () => {
    expect(validateWorkspaceName('Acme')).toBeUndefined();
    expect(validateWorkspaceName('   ')).toBe('Enter a name.');
    expect(validateWorkspaceName('x'.repeat(80))).toBeUndefined();
    expect(validateWorkspaceName('x'.repeat(81))).toBe('Use at most 80 characters.');
  });

  it.each([
    ['acme', undefined],
    ['acme-2', undefined],
    ['a'.repeat(48), undefined],
    ['', 'Enter an address.'],
    ['ab', 'Use 3 to 48 characters.'],
    ['a'.repeat(49), 'Use 3 to 48 characters.'],
    ['Acme', 'Use only lowercase letters, digits and dashes.'],
    ['acme corp', 'Use only lowercase letters, digits and dashes.'],
    ['acmé', 'Use only lowercase letters, digits and dashes.'],
  ])('slug %j → %j', (slug, message) => {
    expect(validateSlug(slug)).toBe(message);
  });

  it('invitation: an email to invite', () => {
    expect(validateInvitation({ email: 'bob@example.com' })).toEqual({});
    expect(validateInvitation({ email: ' ' })).toEqual({ email: 'Enter the email address to invite.' });
    expect(validateInvitation({ email: 'bob' }).email).toMatch(/valid email/);
  });
});

describe('two-factor codes', () => {
  it.each([
    ['123456', 'totp', undefined],
    ['123 456', 'totp', undefined],
    ['', 'totp', 'Enter the 6-digit code from your authenticator app.'],
    ['12345', 'totp', 'The code is 6 digits.'],
    ['12345a', 'totp', 'The code is 6 digits.'],
    ['K7QX-M2PD', 'recovery', undefined],
    ['k7qxm2pd', 'recovery', undefined],
    ['', 'recovery', 'Enter one of your recovery codes.'],
    ['K7QX', 'recovery', 'A recovery code has 8 letters and digits, like K7QX-M2PD.'],
  ] as const)('%j as %s → %s', (v, kind, expected) => expect(validateTwoFactorCode(v, kind)).toBe(expected));

  it('asks for the password and a code of either kind', () => {
    expect(validatePasswordAndCode({ password: 'p', code: '123456' })).toEqual({});
    expect(validatePasswordAndCode({ password: 'p', code: 'K7QX-M2PD' })).toEqual({});
    expect(validatePasswordAndCode({ password: '', code: '' })).toEqual({
      password: 'Enter your password.',
      code: 'Enter a code from your authenticator app, or a recovery code.',
    });
    expect(validatePasswordAndCode({ password: 'p', code: '12' }).code).toMatch(/6-digit code/);
  });
});

describe('validateApiKey', () => {
  const today = '2026-03-10';
  it('needs a name of at most 80 characters', () => {
    expect(validateApiKey({ name: 'Nightly export', expires: '' }, today)).toEqual({});
    expect(validateApiKey({ name: '  ', expires: '' }, today).name).toMatch(/Give the key a name/);
    expect(validateApiKey({ name: 'x'.repeat(81), expires: '' }, today).name).toBe('Use at most 80 characters.');
  });
  it('takes no expiry, today or later', () => {
    expect(validateApiKey({ name: 'k', expires: '2026-03-10' }, today)).toEqual({});
    expect(validateApiKey({ name: 'k', expires: '2027-01-01' }, today)).toEqual({});
    expect(validateApiKey({ name: 'k', expires: '2026-03-09' }, today).expires).toBe('Pick today or a later date.');
    expect(validateApiKey({ name: 'k', expires: 'soon' }, today).expires).toBe('Enter a date, or leave it empty.');
  });
});
