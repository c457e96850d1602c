import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { errorMessage, fieldErrors } from '../../api/errors';
import { queryKeys } from '../../api/queryKeys';
import type { Customer, CustomerInput } from '../../api/types';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { Field, SelectField, TextAreaField } from '../../components/Field';
import { SCORES_DESC } from '../../lib/scores';
import { hasErrors, validateCustomer, type Errors } from '../../lib/validation';
import { useWorkspace } from '../../workspace/context';
import { REVIEW_MAX } from '../../lib/lengths';

type Key = 'name' | 'email' | 'satisfaction_score' | 'review' | 'feedback_at';

function initial(c?: Customer): Record<Key, string> {
  return {
    name: c?.name ?? '',
    email: c?.email ?? '',
    satisfaction_score: c ? String(c.satisfaction_score) : '',
    review: c?.review ?? '',
    feedback_at: c ? c.feedback_at.slice(0, 10) : '',
  };
}

/** Add (no `customer`) or edit a customer. Mounted only while open, so state starts fresh. */
export function CustomerDialog({ customer, onClose }: { customer?: Customer; onClose: (saved?: Customer) => void }) {
  const [values, setValues] = useState(() => initial(customer));
  const [errors, setErrors] = useState<Errors<Key>>({});
  const qc = useQueryClient();
  const { wid, customers } = useWorkspace();
  const save = useMutation({
    mutationFn: (body: Partial<CustomerInput>) =>
      customer ? customers.update(customer.id, body) : customers.create(body as CustomerInput),
    onSuccess: (saved) => {
      qc.invalidateQueries({ queryKey: queryKeys.customers(wid) });
      qc.invalidateQueries({ queryKey: queryKeys.analytics(wid) });
      onClose(saved);
    },
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const errs = validateCustomer(values);
    setErrors(errs);
    if (hasErrors(errs)) return;
    const body: Partial<CustomerInput> = {
      name: values.name.trim(),
      email: values.email.trim(),
      satisfaction_score: Number(values.satisfaction_score),
      review: values.review,
    };
    const before = initial(customer);
    if (values.feedback_at && values.feedback_at !== before.feedback_at) body.feedback_at = `${values.feedback_at}T00:00:00Z`;
    save.mutate(body);
  };

  const server = fieldErrors(save.error);
  const set = (k: Key) => (e: { target: { value: string } }) => setValues({ ...values, [k]: e.target.value });
  const err = (k: Key) => errors[k] ?? server[k];
  return (
    <Dialog open title={customer ? `Edit ${customer.name}` : 'Add customer'} onClose={() => onClose()}>
      {save.isError && <Alert tone="error">{errorMessage(save.error)}</Alert>}
      <form onSubmit={onSubmit} noValidate>
        <Field label="Name" name="name" autoComplete="off" value={values.name} onChange={set('name')} error={err('name')} autoFocus />
        <Field label="Email" name="email" type="email" autoComplete="off" value={values.email} onChange={set('email')} error={err('email')} />
        <div className="form-row">
          <SelectField label="Satisfaction score" name="satisfaction_score" value={values.satisfaction_score} onChange={set('satisfaction_score')} error={err('satisfaction_score')}>
            <option value="">Choose…</option>
            {SCORES_DESC.map((n) => (
              <option key={n} value={n}>
                {n} {'★'.repeat(n)}
              </option>
            ))}
          </SelectField>
          <Field label="Feedback date" name="feedback_at" type="date" value={values.feedback_at} onChange={set('feedback_at')} error={err('feedback_at')} hint={customer ? undefined : 'Defaults to today.'} />
        </div>
        <TextAreaField label="Review" name="review" rows={4} value={values.review} onChange={set('review')} error={err('review')} maxLength={REVIEW_MAX} />
        <div className="dialog-actions">
          <Button variant="secondary" onClick={() => onClose()}>
            Cancel
          </Button>
          <Button type="submit" busy={save.isPending}>
            {customer ? 'Save changes' : 'Add customer'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
