import { useId } from 'react';
import type { WebhookEvent } from '../../api/types';
import { WEBHOOK_EVENTS } from '../../lib/webhooks';

/** A checkbox per event, with what it means; the error under the group. */
export function EventsFieldset({
  value,
  onChange,
  error,
}: {
  value: WebhookEvent[];
  onChange: (events: WebhookEvent[]) => void;
  error?: string;
}) {
  const id = useId();
  const toggle = (e: WebhookEvent, on: boolean) =>
    onChange(WEBHOOK_EVENTS.map((x) => x.id).filter((x) => (x === e ? on : value.includes(x))));
  return (
    <fieldset className={`radio-group${error ? ' field-invalid' : ''}`} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>Events</legend>
      {WEBHOOK_EVENTS.map((e) => (
        <div key={e.id} className="radio-option">
          <label>
            <input
              type="checkbox"
              name="events"
              value={e.id}
              checked={value.includes(e.id)}
              onChange={(ev) => toggle(e.id, ev.target.checked)}
              aria-describedby={`${id}-${e.id}`}
            />
            <code>{e.id}</code>
          </label>
          <p className="muted small radio-desc" id={`${id}-${e.id}`}>
            {e.description}
          </p>
        </div>
      ))}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
