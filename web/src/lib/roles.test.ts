import { describe, expect, it } from 'vitest';
import {
  asRole,
  canChangeRole,
  canRemove,
  grantableRoles,
  joinOr,
  lastOwnerReason,
  lostAbilities,
  permissions,
  roleChangeCopy,
  withArticle,
} from './roles';

describe('permissions', () => {
  it('follows the role table of docs/API.md', () => {
    expect(permissions('viewer')).toEqual({
      write: false,
      manageMembers: false,
      editSettings: false,
      manageApiKeys: false,
      workFollowUps: false,
      manageWebhooks: false,
      viewAudit: false,
      rename: false,
      manageOwners: false,
      deleteWorkspace: false,
    });
    expect(permissions('member')).toMatchObject({
      write: true,
      workFollowUps: true,
      manageMembers: false,
      editSettings: false,
      manageApiKeys: false,
      manageWebhooks: false,
      viewAudit: false,
    });
    expect(permissions('admin')).toEqual({
      write: true,
      manageMembers: true,
      editSettings: true,
      manageApiKeys: true,
      workFollowUps: true,
      manageWebhooks: true,
      viewAudit: true,
      rename: false,
      manageOwners: false,
      deleteWorkspace: false,
    });
    expect(Object.values(permissions('owner')).every(Boolean)).toBe(true);
  });

  it('treats a role it does not know as a viewer', () => {
    expect(asRole('superuser')).toBe('viewer');
    expect(asRole(undefined)).toBe('viewer');
    expect(asRole('admin')).toBe('admin');
  });
});

describe('who may do what to whom', () => {
  it('lets admins grant up to admin, owners everything, others nothing', () => {
    expect(grantableRoles('owner')).toEqual(['viewer', 'member', 'admin', 'owner']);
    expect(grantableRoles('admin')).toEqual(['viewer', 'member', 'admin']);
    expect(grantableRoles('member')).toEqual([]);
    expect(grantableRoles('viewer')).toEqual([]);
  });

  it('never lets an admin touch an owner', () => {
    expect(canChangeRole('admin', { role: 'owner' })).toBe(false);
    expect(canRemove('admin', { role: 'owner' })).toBe(false);
    expect(canChangeRole('admin', { role: 'admin' })).toBe(true);
    expect(canRemove('admin', { role: 'viewer' })).toBe(true);
    expect(canChangeRole('owner', { role: 'owner' })).toBe(true);
    expect(canChangeRole('member', { role: 'viewer' })).toBe(false);
    expect(canRemove('viewer', { role: 'viewer' })).toBe(false);
  });

  it('keeps the last owner from leaving or stepping down', () => {
    const members = [{ role: 'owner' }, { role: 'admin' }];
    expect(lastOwnerReason({ role: 'owner' }, members)).toMatch(/only owner/);
    expect(lastOwnerReason({ role: 'owner' }, [...members, { role: 'owner' }])).toBeUndefined();
    expect(lastOwnerReason({ role: 'admin' }, members)).toBeUndefined();
  });
});

describe('words', () => {
  it('joins lists and picks articles', () => {
    expect(joinOr([])).toBe('');
    expect(joinOr(['a'])).toBe('a');
    expect(joinOr(['a', 'b'])).toBe('a or b');
    expect(joinOr(['a', 'b', 'c'])).toBe('a, b or c');
    expect(withArticle('admin')).toBe('an admin');
    expect(withArticle('owner')).toBe('an owner');
    expect(withArticle('member')).toBe('a member');
  });

  it('lists what a demotion takes away, and nothing for a promotion', () => {
    expect(lostAbilities('admin', 'member')).toEqual(['manage members and invitations', 'change its settings', 'manage its API keys']);
    expect(lostAbilities('member', 'viewer')).toEqual(['add, edit, delete or import customers']);
    expect(lostAbilities('viewer', 'owner')).toEqual([]);
  });

  it('warns people changing their own role about what they lose', () => {
    const copy = roleChangeCopy({ username: 'ada', self: true, from: 'admin', to: 'member', workspace: 'Acme' });
    expect(copy).toMatchObject({ title: 'Change your own role?', confirmLabel: 'Become a member', danger: true });
    expect(copy.body).toBe(
      'You will be a member of Acme. You will no longer be able to manage members and invitations, change its settings or manage its API keys, and only an admin or owner can give that back.',
    );
  });

  it('describes someone else’s new role; a promotion is not a danger', () => {
    const copy = roleChangeCopy({ username: 'bob', self: false, from: 'viewer', to: 'admin', workspace: 'Acme' });
    expect(copy.title).toBe('Change bob’s role?');
    expect(copy.body).toMatch(/^bob will be an admin of Acme, and can do what a member does/);
    expect(copy.danger).toBe(false);
  });
});
