import { describe, expect, it } from 'vitest';
import { safeNextPath } from './safeNext';

const ORIGIN = 'https://pulse.example.com';

describe('safeNextPath', () => {
  // [raw value, expected destination]
  const cases: [string | null | undefined, string][] = [
    // Paths of this site are followed, query and fragment included.
    ['/customers', '/customers'],
    ['/customers?x=1#y', '/customers?x=1#y'],
    ['/customers/import', '/customers/import'],
    ['/', '/'],
    // Encoded slashes stay a path on this origin: harmless.
    ['/%2F%2Fevil.com', '/%2F%2Fevil.com'],
    // Dot segments are resolved; what is returned is what was checked.
    ['/a/../customers', '/customers'],
    // Nothing, or nothing usable.
    [null, '/'],
    [undefined, '/'],
    ['', '/'],
    ['customers', '/'],
    ['?next=/customers', '/'],
    // Other hosts, however spelled.
    ['//evil.com', '/'],
    ['///evil.com', '/'],
    ['/\\evil.com', '/'],
    ['\\\\evil.com', '/'],
    ['\\/evil.com', '/'],
    ['/customers\\..\\..\\evil.com', '/'],
    ['https://evil.com', '/'],
    ['https://pulse.example.com.evil.com/', '/'],
    ['http://pulse.example.com/customers', '/'], // another scheme is another origin; and not a path anyway
    ['javascript:alert(1)', '/'],
    ['JavaScript:alert(1)', '/'],
    ['data:text/html,<script>alert(1)</script>', '/'],
    [' /customers', '/'],
    // Browsers drop tabs and newlines inside URLs: `/\t/evil.com` would become `//evil.com`.
    ['/\t/evil.com', '/'],
    ['/\n/evil.com', '/'],
    ['/\r\n/evil.com', '/'],
    ['/customers\u0000', '/'],
    ['/customers\u007f', '/'],
    ['/customers\u0085', '/'],
    // A path that normalizes into a host-relative URL.
    ['/..//evil.com', '/'],
    ['/.//evil.com', '/'],
  ];

  it.each(cases)('%j → %j', (raw, expected) => {
    expect(safeNextPath(raw, ORIGIN)).toBe(expected);
  });

  it('falls back to the given default', () => {
    expect(safeNextPath('//evil.com', ORIGIN, '/dashboard')).toBe('/dashboard');
    expect(safeNextPath(null, ORIGIN, '/dashboard')).toBe('/dashboard');
    expect(safeNextPath('/customers', ORIGIN, '/dashboard')).toBe('/customers');
  });

  it('works against a development origin with a port', () => {
    expect(safeNextPath('/account', 'http://localhost:5173')).toBe('/account');
    expect(safeNextPath('//localhost:5174/account', 'http://localhost:5173')).toBe('/');
  });
});
