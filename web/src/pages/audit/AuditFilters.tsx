import type { Member } from '../../api/types';
import { Button } from '../../components/Button';
import { Field, SelectField } from '../../components/Field';
import { AUDIT_ACTIONS } from '../../lib/audit';

export interface AuditFilterValues {
  action: string;
  actor: string;
  from: string;
  to: string;
}

/** Action, actor (a member) and a date range; every change applies at once. */
export function AuditFilters({
  values,
  members,
  onChange,
  onClear,
}: {
  values: AuditFilterValues;
  members: Member[];
  onChange: (patch: Partial<AuditFilterValues>) => void;
  onClear: () => void;
}) {
  const active = Object.values(values).some(Boolean);
  // An action or actor from a link that this list does not know stays selectable.
  const actions: string[] = [...AUDIT_ACTIONS];
  if (values.action && !actions.includes(values.action)) actions.push(values.action);
  return (
    <section className="filterbar audit-filters" aria-label="Filters">
      <SelectField label="Action" name="action" value={values.action} onChange={(e) => onChange({ action: e.target.value })}>
        <option value="">Any action</option>
        {actions.map((a) => (
          <option key={a} value={a}>
            {a}
          </option>
        ))}
      </SelectField>
      <SelectField label="Actor" name="actor" value={values.actor} onChange={(e) => onChange({ actor: e.target.value })}>
        <option value="">Anyone</option>
        {values.actor && !members.some((m) => String(m.user_id) === values.actor) && (
          <option value={values.actor}>User #{values.actor}</option>
        )}
        {members.map((m) => (
          <option key={m.user_id} value={m.user_id}>
            {m.username}
          </option>
        ))}
      </SelectField>
      <Field label="From" name="from" type="date" value={values.from} max={values.to || undefined} onChange={(e) => onChange({ from: e.target.value })} />
      <Field label="To" name="to" type="date" value={values.to} min={values.from || undefined} onChange={(e) => onChange({ to: e.target.value })} />
      {active && (
        <Button variant="ghost" onClick={onClear}>
          Clear filters
        </Button>
      )}
    </section>
  );
}
