/**
 * Helpers of the API keys page: scopes as people read them, the expiry date
 * picked as the key's `expires_at`, and how to use a key.
 */
import type { ApiKey, ApiKeyScope } from '../api/types';

/** What the create dialog offers: `read`, or `write` (which includes `read`). */
export type ApiKeyAccess = 'read' | 'write';

export const ACCESS_LABELS: Record<ApiKeyAccess, string> = {
  read: 'Read',
  write: 'Read & write',
};

export const ACCESS_DESCRIPTIONS: Record<ApiKeyAccess, string> = {
  read: 'Read customers, responses, analytics, surveys and follow-ups.',
  write: 'Also add, change, delete and import customers and responses, and work surveys and follow-ups.',
};

export function scopesFor(access: ApiKeyAccess): ApiKeyScope[] {
  return access === 'write' ? ['read', 'write'] : ['read'];
}

/** The scopes of a key as one label; `write` wins. */
export function accessOf(scopes: readonly string[]): ApiKeyAccess {
  return scopes.includes('write') ? 'write' : 'read';
}

/**
 * A date from `<input type="date">` (`YYYY-MM-DD`) as the instant the key stops working:
 * the end of that day where the person is, so "expires on the 31st" still works on the 31st.
 */
export function expiryFromDate(date: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const end = new Date(`${date}T23:59:59.999`);
  return Number.isNaN(end.getTime()) ? undefined : end.toISOString();
}

/** Today as `YYYY-MM-DD` in the local zone: the earliest expiry the date picker offers. */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function isExpired(key: Pick<ApiKey, 'expires_at'>, now: Date = new Date()): boolean {
  return Boolean(key.expires_at) && new Date(key.expires_at!).getTime() <= now.getTime();
}

/** A command that lists the workspace's customers with `key`. */
export function curlExample(origin: string, wid: number, key: string): string {
  return `curl -H "Authorization: Bearer ${key}" ${origin}/api/v1/workspaces/${wid}/customers`;
}
