import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { errorMessage, fieldErrors } from '../../api/errors';
import { queryKeys } from '../../api/queryKeys';
import type { Customer, FeedbackResponse, ResponseCreate, ResponseUpdate } from '../../api/types';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { Field, SelectField, TextAreaField } from '../../components/Field';
import { isoDay } from '../../lib/filters';
import { SCORES_DESC } from '../../lib/scores';
import { hasErrors, validateResponse, type Errors } from '../../lib/validation';
import { useWorkspace } from '../../workspace/context';
import { REVIEW_MAX } from '../../lib/lengths';

type Key = 'satisfaction_score' | 'review' | 'feedback_at';

function initial(r?: FeedbackResponse): Record<Key, string> {
  return {
    satisfaction_score: r ? String(r.satisfaction_score) : '',
    review: r?.review ?? '',
    feedback_at: r ? r.feedback_at.slice(0, 10) : '',
  };
}

/**
 * Add a response to a customer (no `response`), or correct one. Only what changed is sent,
 * so correcting the score keeps the time of day of a survey's answer. Mounted while open.
 */
export function ResponseDialog({
  customer,
  response,
  onClose,
}: {
  customer: Customer;
  response?: FeedbackResponse;
  onClose: (saved?: FeedbackResponse) => void;
}) {
  const [values, setValues] = useState(() => initial(response));
  const [errors, setErrors] = useState<Errors<Key>>({});
  const qc = useQueryClient();
  const { wid, responses } = useWorkspace();
  const save = useMutation({
    mutationFn: (body: ResponseUpdate) =>
      response ? responses.update(response.id, body) : responses.create(customer.id, body as ResponseCreate),
    onSuccess: (saved) => {
      // The customer shows its latest response: the list, this customer and the analytics change.
      qc.invalidateQueries({ queryKey: queryKeys.customers(wid) });
      qc.invalidateQueries({ queryKey: queryKeys.analytics(wid) });
      onClose(saved);
    },
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    // One day of slack, as the server's bound: "today" differs across time zones.
    const errs = validateResponse(values, isoDay(new Date(Date.now() + 86_400_000)));
    setErrors(errs);
    if (hasErrors(errs)) return;
    const before = initial(response);
    const body: ResponseUpdate = {};
    if (!response || values.satisfaction_score !== before.satisfaction_score) body.satisfaction_score = Number(values.satisfaction_score);
    if (!response ? values.review !== '' : values.review !== before.review) body.review = values.review;
    if (values.feedback_at && values.feedback_at !== before.feedback_at) body.feedback_at = `${values.feedback_at}T00:00:00Z`;
    if (response && Object.keys(body).length === 0) {
      onClose();
      return;
    }
    save.mutate(body);
  };

  const server = fieldErrors(save.error);
  const set = (k: Key) => (e: { target: { value: string } }) => setValues({ ...values, [k]: e.target.value });
  const err = (k: Key) => errors[k] ?? server[k];
  return (
    <Dialog open title={response ? 'Correct this response' : `Add a response from ${customer.name}`} onClose={() => onClose()}>
      {save.isError && <Alert tone="error">{errorMessage(save.error)}</Alert>}
      <form onSubmit={onSubmit} noValidate>
        <div className="form-row">
          <SelectField
            label="Satisfaction score"
            name="satisfaction_score"
            value={values.satisfaction_score}
            onChange={set('satisfaction_score')}
            error={err('satisfaction_score')}
            autoFocus
          >
            <option value="">Choose…</option>
            {SCORES_DESC.map((n) => (
              <option key={n} value={n}>
                {n} {'★'.repeat(n)}
              </option>
            ))}
          </SelectField>
          <Field
            label="Feedback date"
            name="feedback_at"
            type="date"
            value={values.feedback_at}
            onChange={set('feedback_at')}
            error={err('feedback_at')}
            hint={response ? undefined : 'Defaults to now.'}
          />
        </div>
        <TextAreaField label="Review" name="review" rows={4} value={values.review} onChange={set('review')} error={err('review')} maxLength={REVIEW_MAX} />
        <div className="dialog-actions">
          <Button variant="secondary" onClick={() => onClose()}>
            Cancel
          </Button>
          <Button type="submit" busy={save.isPending}>
            {response ? 'Save correction' : 'Add response'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
