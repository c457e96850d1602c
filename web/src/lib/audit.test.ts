import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../api/types';
import { actorName, auditQuery, compactJson, targetText } from './audit';

const entry = (patch: Partial<AuditEntry> = {}): AuditEntry => ({
  id: 1,
  at: '2026-01-10T10:00:00Z',
  actor: { type: 'user', id: 1, name: 'ada' },
  action: 'member.role_changed',
  target: { type: 'user', id: 2, name: 'bob' },
  ip: '203.0.113.9',
  detail: { from: 'member', to: 'admin' },
  ...patch,
});

describe('audit log', () => {
  it('builds the query from the URL', () => {
    expect(auditQuery(new URLSearchParams(''))).toEqual({ per_page: 50, page: 1 });
    expect(auditQuery(new URLSearchParams('action=webhook.created&actor=3&from=2026-01-01&to=2026-01-31&page=2'))).toEqual({
      action: 'webhook.created',
      actor_id: 3,
      from: '2026-01-01',
      to: '2026-01-31',
      page: 2,
      per_page: 50,
    });
  });

  it('leaves malformed filters out', () => {
    expect(auditQuery(new URLSearchParams('actor=me&from=yesterday&to=2026-1-1&page=-4'))).toEqual({ per_page: 50, page: 1 });
  });

  it('shows the detail compactly', () => {
    expect(compactJson({ from: 'member', to: 'admin' })).toBe('{"from":"member","to":"admin"}');
    expect(compactJson(null)).toBe('—');
    expect(compactJson({})).toBe('—');
    expect(compactJson([1, 2])).toBe('[1,2]');
  });

  it('names actors and targets, also when they are gone', () => {
    expect(actorName(entry())).toBe('ada');
    expect(actorName(entry({ actor: { type: 'api_key', id: 4, name: '' } }))).toBe('a revoked key');
    expect(targetText(entry())).toBe('user bob');
    expect(targetText(entry({ target: { type: 'api_key', id: 9, name: '' } }))).toBe('api key #9');
    expect(targetText(entry({ target: { type: '', id: null, name: '' } }))).toBe('—');
  });
});
