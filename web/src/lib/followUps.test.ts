import { describe, expect, it } from 'vitest';
import type { FollowUp } from '../api/types';
import { changeText, emptyText, hoursText, inboxQuery, noteCounter, noteError, readView } from './followUps';

const fu = (patch: Partial<FollowUp> = {}): FollowUp => ({
  id: 1,
  response_id: 3,
  customer: { id: 5, name: 'Ada', email: 'ada@example.com' },
  satisfaction_score: 1,
  review: 'Late',
  status: 'open',
  assignee: null,
  note: '',
  created_at: '2026-01-10T10:00:00Z',
  closed_at: null,
  recovered: false,
  ...patch,
});

describe('follow-up inbox', () => {
  it('maps each view to its query', () => {
    expect(inboxQuery('mine')).toEqual({ assignee: 'me', status: 'open' });
    expect(inboxQuery('open')).toEqual({ status: 'open' });
    expect(inboxQuery('all')).toEqual({});
  });

  it('reads the view of the URL, open by default', () => {
    expect(readView('mine')).toBe('mine');
    expect(readView('all')).toBe('all');
    expect(readView(null)).toBe('open');
    expect(readView('closed')).toBe('open');
  });

  it('counts note characters and refuses more than 2,000', () => {
    expect(noteCounter('héllo')).toBe('5 / 2,000 characters');
    expect(noteError('x'.repeat(2000))).toBeUndefined();
    expect(noteError('x'.repeat(2001))).toBe('Keep the note under 2,000 characters.');
    // Characters, not UTF-16 units.
    expect(noteError('😀'.repeat(2000))).toBeUndefined();
  });

  it('says what changed', () => {
    expect(changeText(fu(), fu({ status: 'closed' }))).toBe('The follow-up for Ada was closed.');
    expect(changeText(fu({ status: 'closed' }), fu())).toBe('The follow-up for Ada was reopened.');
    expect(changeText(fu(), fu({ assignee: { id: 2, username: 'bob' } }))).toBe('Assigned to bob.');
    expect(changeText(fu({ assignee: { id: 2, username: 'bob' } }), fu())).toBe('Nobody is assigned now.');
    expect(changeText(fu(), fu({ note: 'Called' }))).toBe('The note was saved.');
  });

  it('explains an empty view with the workspace’s threshold', () => {
    expect(emptyText('all', 2).body).toBe('A response scoring 2 or lower opens a follow-up.');
    expect(emptyText('open', 1).body).toContain('A response scoring 1 opens');
    expect(emptyText('mine', 2).title).toBe('Nothing assigned to you');
  });

  it('writes hours, with days from a day on, and a dash for none', () => {
    expect(hoursText(null)).toEqual({ value: '—' });
    expect(hoursText(5.5)).toEqual({ value: '5.5' });
    expect(hoursText(36)).toEqual({ value: '36.0', days: '≈ 1.5 days' });
  });
});
