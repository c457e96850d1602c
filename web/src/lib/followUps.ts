/**
 * Words and rules of closing the loop, kept out of the components so they can
 * be tested alone.
 */
import type { FollowUp, FollowUpListParams, FollowUpStats } from '../api/types';
import { formatNumber } from './format';
import { NOTE_MAX } from './lengths';

/** The longest note a follow-up may carry. */
export { NOTE_MAX };

/** The inbox's views: mine (open, assigned to me), every open one, everything. */
export const INBOX_VIEWS = [
  { id: 'mine', label: 'Mine' },
  { id: 'open', label: 'Open' },
  { id: 'all', label: 'All' },
] as const;

export type InboxView = (typeof INBOX_VIEWS)[number]['id'];

/** The ids tying the tabs to their panel. */
export const inboxTabId = (view: InboxView) => `inbox-tab-${view}`;
export const INBOX_PANEL_ID = 'inbox-panel';

/** The view of the URL's `?view=`; `open` when absent or unknown. */
export function readView(raw: string | null): InboxView {
  return INBOX_VIEWS.some((v) => v.id === raw) ? (raw as InboxView) : 'open';
}

/** The list query of a view. */
export function inboxQuery(view: InboxView): Pick<FollowUpListParams, 'status' | 'assignee'> {
  switch (view) {
    case 'mine':
      return { assignee: 'me', status: 'open' };
    case 'open':
      return { status: 'open' };
    case 'all':
      return {};
  }
}

/** Why a note cannot be saved, or undefined. */
export function noteError(note: string): string | undefined {
  return [...note].length > NOTE_MAX ? `Keep the note under ${formatNumber(NOTE_MAX)} characters.` : undefined;
}

/** "12 / 2,000 characters". */
export function noteCounter(note: string): string {
  return `${formatNumber([...note].length)} / ${formatNumber(NOTE_MAX)} characters`;
}

/** What an empty inbox view says. */
export function emptyText(view: InboxView, threshold: number): { title: string; body: string } {
  const opens = `A response scoring ${threshold === 1 ? '1' : `${threshold} or lower`} opens a follow-up.`;
  switch (view) {
    case 'mine':
      return { title: 'Nothing assigned to you', body: 'Open follow-ups assigned to you show up here.' };
    case 'open':
      return { title: 'No open follow-ups', body: `Every low score has been handled. ${opens}` };
    case 'all':
      return { title: 'No follow-ups yet', body: opens };
  }
}

/** The announcement after a change, for the status region. */
export function changeText(before: FollowUp, after: FollowUp): string {
  const who = after.customer.name;
  if (before.status !== after.status) {
    return after.status === 'closed' ? `The follow-up for ${who} was closed.` : `The follow-up for ${who} was reopened.`;
  }
  if ((before.assignee?.id ?? null) !== (after.assignee?.id ?? null)) {
    return after.assignee ? `Assigned to ${after.assignee.username}.` : 'Nobody is assigned now.';
  }
  return 'The note was saved.';
}

/** The median time to close, e.g. "5.5" hours, with a day equivalent from 24 hours on. */
export function hoursText(hours: number | null | undefined): { value: string; days?: string } {
  if (hours === null || hours === undefined || !Number.isFinite(hours)) return { value: '—' };
  const value = formatNumber(hours, 1);
  return hours >= 24 ? { value, days: `≈ ${formatNumber(hours / 24, 1)} days` } : { value };
}

/** Whether the period has any follow-up at all. */
export function hasFollowUps(s: FollowUpStats): boolean {
  return s.open + s.closed > 0;
}
