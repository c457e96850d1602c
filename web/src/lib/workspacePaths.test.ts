import { describe, expect, it } from 'vitest';
import { makeWorkspace } from '../test/workspace';
import { pickWorkspace, publicFormUrl, slugOf, switchPath, workspacePath, workspaceUrl } from './workspacePaths';

describe('workspace paths', () => {
  it('builds /w/{slug}/…', () => {
    expect(workspacePath('acme')).toBe('/w/acme');
    expect(workspacePath('acme', 'customers')).toBe('/w/acme/customers');
    expect(workspacePath('acme', '/customers/import')).toBe('/w/acme/customers/import');
    expect(workspaceUrl('https://pulse.example', 'acme')).toBe('https://pulse.example/w/acme');
    expect(publicFormUrl('https://pulse.example', 'acme')).toBe('https://pulse.example/f/acme');
  });

  it('reads the slug of a path', () => {
    expect(slugOf('/w/acme')).toBe('acme');
    expect(slugOf('/w/acme/customers/import')).toBe('acme');
    expect(slugOf('/customers')).toBeUndefined();
    expect(slugOf('/account')).toBeUndefined();
  });

  it.each([
    ['/w/acme', '/w/beta'],
    ['/w/acme/', '/w/beta'],
    ['/w/acme/customers', '/w/beta/customers'],
    ['/w/acme/customers/import', '/w/beta/customers'],
    ['/w/acme/customers/12', '/w/beta/customers'],
    ['/w/acme/surveys', '/w/beta/surveys'],
    ['/w/acme/members', '/w/beta/members'],
    ['/w/acme/settings', '/w/beta/settings'],
    ['/w/acme/api-keys', '/w/beta/api-keys'],
    ['/w/acme/follow-ups?id=4', '/w/beta/follow-ups'],
    ['/w/acme/webhooks', '/w/beta/webhooks'],
    ['/w/acme/audit', '/w/beta/audit'],
    ['/w/acme/something-else', '/w/beta'],
    ['/account', '/w/beta'],
    ['/admin/users', '/w/beta'],
  ])('switching from %s goes to %s', (from, to) => {
    expect(switchPath(from, 'beta')).toBe(to);
  });

  it('picks the default workspace, else the first, else none', () => {
    const a = makeWorkspace({ id: 1, slug: 'a' });
    const b = makeWorkspace({ id: 2, slug: 'b' });
    expect(pickWorkspace([a, b], 2)).toBe(b);
    expect(pickWorkspace([a, b], null)).toBe(a);
    expect(pickWorkspace([a, b], 99)).toBe(a);
    expect(pickWorkspace([], 1)).toBeUndefined();
  });
});
