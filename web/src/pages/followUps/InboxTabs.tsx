import { useRef, type KeyboardEvent } from 'react';
import { INBOX_PANEL_ID, INBOX_VIEWS, inboxTabId, type InboxView } from '../../lib/followUps';

/**
 * Mine / Open / All as ARIA tabs (a segmented look): arrow keys, Home and End move between
 * them, and the chosen one is the only one in the tab order.
 */
export function InboxTabs({ view, onChange }: { view: InboxView; onChange: (v: InboxView) => void }) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKeyDown = (e: KeyboardEvent, index: number) => {
    const last = INBOX_VIEWS.length - 1;
    const next =
      e.key === 'ArrowRight' ? (index === last ? 0 : index + 1)
      : e.key === 'ArrowLeft' ? (index === 0 ? last : index - 1)
      : e.key === 'Home' ? 0
      : e.key === 'End' ? last
      : null;
    if (next === null) return;
    e.preventDefault();
    refs.current[next]?.focus();
    onChange(INBOX_VIEWS[next].id);
  };
  return (
    <div className="segmented inbox-tabs" role="tablist" aria-label="Follow-ups to show">
      {INBOX_VIEWS.map((v, i) => (
        <button
          key={v.id}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="tab"
          id={inboxTabId(v.id)}
          aria-selected={view === v.id}
          aria-controls={INBOX_PANEL_ID}
          tabIndex={view === v.id ? 0 : -1}
          onClick={() => onChange(v.id)}
          onKeyDown={(e) => onKeyDown(e, i)}
        >
          {v.label}
        </button>
      ))}
    </div>
  );
}
