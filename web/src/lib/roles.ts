/**
 * What a workspace role may do (docs/API.md, "Workspaces and roles"), so the UI shows only the
 * buttons a person can use. The server stays the judge: these rules only decide what is offered.
 */
import type { Member, WorkspaceRole } from '../api/types';

export const WORKSPACE_ROLES: readonly WorkspaceRole[] = ['viewer', 'member', 'admin', 'owner'];

export const ROLE_LABELS: Record<WorkspaceRole, string> = {
  viewer: 'Viewer',
  member: 'Member',
  admin: 'Admin',
  owner: 'Owner',
};

/** What each role can do, to follow "can" (pickers, confirmations, the invitation page). */
export const ROLE_DESCRIPTIONS: Record<WorkspaceRole, string> = {
  viewer: 'read customers, responses, surveys, follow-ups, analytics and members, and export them',
  member:
    'do what a viewer does, and add, edit, delete and import customers and responses, ask customers for feedback, and work follow-ups',
  admin: 'do what a member does, and manage members, invitations, settings, API keys and webhooks, and read the audit log',
  owner: 'do everything, including renaming and deleting the workspace and managing its owners',
};

/** A role the server sent, or `viewer` (the least) for anything this UI does not know. */
export function asRole(raw: string | null | undefined): WorkspaceRole {
  return WORKSPACE_ROLES.includes(raw as WorkspaceRole) ? (raw as WorkspaceRole) : 'viewer';
}

export function roleRank(role: WorkspaceRole): number {
  return WORKSPACE_ROLES.indexOf(role);
}

export function atLeast(role: WorkspaceRole, min: WorkspaceRole): boolean {
  return roleRank(role) >= roleRank(min);
}

/** What one role may do in its workspace. */
export interface Permissions {
  /** Add, edit, delete and import customers and responses; send surveys. */
  write: boolean;
  /** Invite, change roles and remove members (never owners, unless `manageOwners`). */
  manageMembers: boolean;
  /** The workspace's settings (`settings` of PATCH /workspaces/{wid}). */
  editSettings: boolean;
  /** Create, list and revoke the workspace's API keys. */
  manageApiKeys: boolean;
  /** Assign, annotate, close and reopen follow-ups. */
  workFollowUps: boolean;
  /** Create, change, test and delete the workspace's webhooks. */
  manageWebhooks: boolean;
  /** Read the workspace's audit log. */
  viewAudit: boolean;
  /** Name and slug. */
  rename: boolean;
  /** Grant, change or revoke `owner`. */
  manageOwners: boolean;
  deleteWorkspace: boolean;
}

export function permissions(role: WorkspaceRole): Permissions {
  const admin = atLeast(role, 'admin');
  const owner = role === 'owner';
  return {
    write: atLeast(role, 'member'),
    manageMembers: admin,
    editSettings: admin,
    manageApiKeys: admin,
    workFollowUps: atLeast(role, 'member'),
    manageWebhooks: admin,
    viewAudit: admin,
    rename: owner,
    manageOwners: owner,
    deleteWorkspace: owner,
  };
}

/** The roles `actor` may give, to an invitation or to a member. */
export function grantableRoles(actor: WorkspaceRole): WorkspaceRole[] {
  if (actor === 'owner') return [...WORKSPACE_ROLES];
  if (actor === 'admin') return ['viewer', 'member', 'admin'];
  return [];
}

/** May `actor` change `member`'s role? (Yourself included: an admin may step down.) */
export function canChangeRole(actor: WorkspaceRole, member: Pick<Member, 'role'>): boolean {
  if (!atLeast(actor, 'admin')) return false;
  return actor === 'owner' || asRole(member.role) !== 'owner';
}

/** May `actor` remove `member` (someone else: leaving is `canLeave`)? */
export function canRemove(actor: WorkspaceRole, member: Pick<Member, 'role'>): boolean {
  return canChangeRole(actor, member);
}

export function ownerCount(members: Pick<Member, 'role'>[]): number {
  return members.filter((m) => m.role === 'owner').length;
}

/**
 * Why `me` cannot leave or stop being an owner, or undefined when they can: a workspace
 * always keeps an owner (the server answers 409 `conflict` otherwise).
 */
export function lastOwnerReason(me: Pick<Member, 'role'>, members: Pick<Member, 'role'>[]): string | undefined {
  if (me.role === 'owner' && ownerCount(members) <= 1) {
    return 'You are the only owner. Make another member an owner first: a workspace always needs one.';
  }
  return undefined;
}

/** "an admin", "a member". */
export function withArticle(role: WorkspaceRole): string {
  const label = ROLE_LABELS[role].toLowerCase();
  return `${/^[aeiou]/.test(label) ? 'an' : 'a'} ${label}`;
}

const ABILITIES: [keyof Permissions, string][] = [
  ['write', 'add, edit, delete or import customers'],
  ['manageMembers', 'manage members and invitations'],
  ['editSettings', 'change its settings'],
  ['manageApiKeys', 'manage its API keys'],
  ['rename', 'rename or delete it, or manage its owners'],
];

/** What someone can no longer do after going from `from` to `to`. */
export function lostAbilities(from: WorkspaceRole, to: WorkspaceRole): string[] {
  const before = permissions(from);
  const after = permissions(to);
  return ABILITIES.filter(([k]) => before[k] && !after[k]).map(([, text]) => text);
}

/** "a", "a or b", "a, b or c". */
export function joinOr(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** The words of the dialog confirming a role change. */
export function roleChangeCopy(p: {
  username: string;
  self: boolean;
  from: WorkspaceRole;
  to: WorkspaceRole;
  workspace: string;
}): { title: string; body: string; confirmLabel: string; danger: boolean } {
  const danger = roleRank(p.to) < roleRank(p.from);
  if (p.self) {
    const lost = lostAbilities(p.from, p.to);
    return {
      title: 'Change your own role?',
      body:
        `You will be ${withArticle(p.to)} of ${p.workspace}.` +
        (lost.length > 0
          ? ` You will no longer be able to ${joinOr(lost)}, and only an admin or owner can give that back.`
          : ''),
      confirmLabel: `Become ${withArticle(p.to)}`,
      danger,
    };
  }
  return {
    title: `Change ${p.username}’s role?`,
    body: `${p.username} will be ${withArticle(p.to)} of ${p.workspace}, and can ${ROLE_DESCRIPTIONS[p.to]}.`,
    confirmLabel: 'Change role',
    danger,
  };
}
