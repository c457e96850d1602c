import { describe, expect, it } from 'vitest';
import { accessOf, curlExample, expiryFromDate, isExpired, localToday, scopesFor } from './apiKeys';

describe('API key helpers', () => {
  it('maps the access choice to scopes and back', () => {
    expect(scopesFor('read')).toEqual(['read']);
    expect(scopesFor('write')).toEqual(['read', 'write']);
    expect(accessOf(['read'])).toBe('read');
    expect(accessOf(['read', 'write'])).toBe('write');
    expect(accessOf(['write'])).toBe('write');
  });

  it('makes a picked date the end of that local day', () => {
    const iso = expiryFromDate('2026-05-31')!;
    const d = new Date(iso);
    expect([d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes()]).toEqual([2026, 5, 31, 23, 59]);
    expect(iso).toMatch(/Z$/);
    expect(expiryFromDate('')).toBeUndefined();
    expect(expiryFromDate('31/05/2026')).toBeUndefined();
  });

  it('knows today and whether a key has expired', () => {
    expect(localToday(new Date(2026, 0, 5, 23, 30))).toBe('2026-01-05');
    const now = new Date('2026-02-01T12:00:00Z');
    expect(isExpired({ expires_at: null }, now)).toBe(false);
    expect(isExpired({ expires_at: '2026-02-01T11:59:59Z' }, now)).toBe(true);
    expect(isExpired({ expires_at: '2026-02-02T00:00:00Z' }, now)).toBe(false);
  });

  it('shows how to call the workspace’s routes with the key', () => {
    expect(curlExample('https://pulse.example', 7, 'pk_abc')).toBe(
      'curl -H "Authorization: Bearer pk_abc" https://pulse.example/api/v1/workspaces/7/customers',
    );
  });
});
