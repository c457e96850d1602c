/**
 * Workspace URLs: the current workspace lives in the path (`/w/{slug}/customers`), so a
 * link names the workspace it shows and can be shared.
 */
import type { Workspace } from '../api/types';

/**
 * `/w/{slug}` plus `sub` (`customers`, `customers/12`, `customers/import`, `surveys`, `follow-ups`, `members`,
 * `settings`, `api-keys`, `webhooks`, `audit`; '' = dashboard).
 */
export function workspacePath(slug: string, sub = ''): string {
  const rest = sub.replace(/^\/+/, '');
  return `/w/${encodeURIComponent(slug)}${rest ? `/${rest}` : ''}`;
}

/** The slug in a `/w/{slug}/…` path, if any. */
export function slugOf(pathname: string): string | undefined {
  const m = /^\/w\/([^/]+)/.exec(pathname);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
}

/** The sections of a workspace that exist in every workspace (switching keeps them). */
const SECTIONS = ['customers', 'surveys', 'follow-ups', 'members', 'settings', 'api-keys', 'webhooks', 'audit'];

/**
 * Where to go when switching to `slug` from `pathname`: the same section of the other
 * workspace (its customers for customers, its members for members), without the filters
 * or ids of this one; the dashboard from anywhere else.
 */
export function switchPath(pathname: string, slug: string): string {
  const m = /^\/w\/[^/]+\/?([^/?#]*)/.exec(pathname);
  const section = m?.[1] ?? '';
  return workspacePath(slug, SECTIONS.includes(section) ? section : '');
}

/**
 * The workspace the paths without a slug stand for: the account's default one, else the
 * first listed (the server lists the caller's workspaces).
 */
export function pickWorkspace(workspaces: Workspace[], defaultId?: number | null): Workspace | undefined {
  return workspaces.find((w) => w.id === defaultId) ?? workspaces[0];
}

/** The public address of a workspace's page, for showing what a slug change does. */
export function workspaceUrl(origin: string, slug: string): string {
  return `${origin}${workspacePath(slug)}`;
}

/** The address of a workspace's public feedback form, to share with customers. */
export function publicFormUrl(origin: string, slug: string): string {
  return `${origin}/f/${encodeURIComponent(slug)}`;
}
