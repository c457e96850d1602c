/**
 * The audit log's filters and words, kept out of the page so they can be
 * tested alone. The filters live in the URL: `action`, `actor` (a user id), `from`, `to`
 * (YYYY-MM-DD), `page`.
 */
import type { AuditEntry, AuditListParams } from '../api/types';

/** The actions docs/API.md, "Audit log" lists (the server may record more; they show as they come). */
export const AUDIT_ACTIONS = [
  'member.role_changed',
  'member.removed',
  'invitation.created',
  'invitation.revoked',
  'invitation.accepted',
  'workspace.updated',
  'api_key.created',
  'api_key.revoked',
  'webhook.created',
  'webhook.updated',
  'webhook.deleted',
  'customers.imported',
  'customers.exported',
  'customer.deleted',
  'survey.sent',
] as const;

export const AUDIT_PER_PAGE = 50;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The list query of the URL's filters; anything malformed is left out. */
export function auditQuery(params: URLSearchParams): AuditListParams {
  const out: AuditListParams = { per_page: AUDIT_PER_PAGE };
  const action = params.get('action')?.trim();
  if (action) out.action = action;
  const actor = Number(params.get('actor'));
  if (Number.isInteger(actor) && actor > 0) out.actor_id = actor;
  const from = params.get('from') ?? '';
  if (DAY.test(from)) out.from = from;
  const to = params.get('to') ?? '';
  if (DAY.test(to)) out.to = to;
  const page = Number(params.get('page'));
  out.page = Number.isInteger(page) && page > 1 ? page : 1;
  return out;
}

/** `detail` on one line: `{"role":"admin"}`; "—" when there is nothing. */
export function compactJson(detail: unknown): string {
  if (detail === null || detail === undefined) return '—';
  if (typeof detail === 'object' && Object.keys(detail).length === 0) return '—';
  try {
    return JSON.stringify(detail) ?? '—';
  } catch {
    return String(detail);
  }
}

const ACTOR_TYPES: Record<string, string> = { user: 'user', api_key: 'API key' };

/** "user", "API key". */
export function actorTypeLabel(type: string): string {
  return ACTOR_TYPES[type] ?? type;
}

/** Who did it, e.g. "ada" or "a deleted user" (the server sends an empty name then). */
export function actorName(e: AuditEntry): string {
  return e.actor.name || (e.actor.type === 'api_key' ? 'a revoked key' : 'a deleted account');
}

/** What it was done to, e.g. "customer Ada Lovelace"; "—" when nothing. */
export function targetText(e: AuditEntry): string {
  const t = e.target;
  if (!t || (!t.type && !t.name && t.id === null)) return '—';
  const name = t.name || (t.id !== null ? `#${t.id}` : '');
  return [t.type.replace(/_/g, ' '), name].filter(Boolean).join(' ');
}
