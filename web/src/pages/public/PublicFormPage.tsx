import { useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { errorMessage, fieldErrors, toApiError } from '../../api/errors';
import { publicApi } from '../../api/public';
import { queryKeys } from '../../api/queryKeys';
import type { PublicFormAnswer } from '../../api/types';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { Field, TextAreaField } from '../../components/Field';
import { Spinner } from '../../components/Spinner';
import { surveySubject } from '../../lib/surveys';
import { hasErrors, validatePublicForm, type Errors } from '../../lib/validation';
import { PublicNotice, PublicShell, StepHeading } from './PublicShell';
import { ScorePicker } from './ScorePicker';
import { CUSTOMER_NAME_MAX, REVIEW_MAX } from '../../lib/lengths';

type Key = 'name' | 'email' | 'satisfaction_score' | 'review';

const TOO_MANY = 'Too many answers from your network, try later';

/**
 * A field people never see (off screen, out of the tab order, hidden from screen readers)
 * that form-filling bots do fill: an answer with it is thanked and dropped by the server.
 */
function Honeypot({ inputRef }: { inputRef: RefObject<HTMLInputElement | null> }) {
  const id = useId();
  return (
    <div className="hp-field" aria-hidden="true">
      <label htmlFor={id}>Website</label>
      <input ref={inputRef} id={id} type="text" name="website" tabIndex={-1} autoComplete="off" defaultValue="" />
    </div>
  );
}

function AnswerForm({ slug, workspaceName }: { slug: string; workspaceName: string }) {
  const [values, setValues] = useState<Record<Key, string>>({ name: '', email: '', satisfaction_score: '', review: '' });
  const [errors, setErrors] = useState<Errors<Key>>({});
  const honeypot = useRef<HTMLInputElement>(null);
  const send = useMutation({ mutationFn: (body: PublicFormAnswer) => publicApi.answerForm(slug, body) });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const errs = validatePublicForm(values);
    setErrors(errs);
    if (hasErrors(errs)) return;
    const body: PublicFormAnswer = {
      name: values.name.trim(),
      email: values.email.trim(),
      satisfaction_score: Number(values.satisfaction_score),
    };
    if (values.review.trim()) body.review = values.review;
    // Read from the DOM: a bot may set the value without any event.
    const trap = honeypot.current?.value ?? '';
    if (trap) body.website = trap;
    send.mutate(body);
  };

  const server = fieldErrors(send.error);
  const err = (k: Key) => errors[k] ?? server[k];
  const set = (k: Key) => (e: { target: { value: string } }) => setValues({ ...values, [k]: e.target.value });
  const code = send.isError ? toApiError(send.error).code : undefined;

  const live = (
    <p className="sr-only" role="status" aria-live="polite">
      {send.isSuccess ? 'Your feedback was sent. Thank you!' : ''}
    </p>
  );

  if (send.isSuccess) {
    return (
      <>
        {live}
        <StepHeading focus>Thank you, {values.name.trim()}!</StepHeading>
        <p>Your feedback was sent to {workspaceName}.</p>
      </>
    );
  }

  return (
    <>
      {live}
      <StepHeading>{surveySubject(workspaceName)}</StepHeading>
      <p className="muted">Tell {workspaceName} in a minute: your answer goes straight to their team.</p>
      {send.isError && (
        <Alert tone="error">
          {code === 'rate_limited' ? TOO_MANY : code === 'validation_failed' ? 'Please check the fields marked below.' : errorMessage(send.error)}
        </Alert>
      )}
      <form onSubmit={onSubmit} noValidate>
        <Field label="Your name" name="name" autoComplete="name" value={values.name} onChange={set('name')} error={err('name')} maxLength={CUSTOMER_NAME_MAX} />
        <Field
          label="Your email"
          name="email"
          type="email"
          inputMode="email"
          autoComplete="email"
          value={values.email}
          onChange={set('email')}
          error={err('email')}
          hint="Only to tell your answers apart: no newsletter."
        />
        <ScorePicker
          value={values.satisfaction_score === '' ? null : Number(values.satisfaction_score)}
          onChange={(n) => setValues({ ...values, satisfaction_score: String(n) })}
          error={err('satisfaction_score')}
        />
        <TextAreaField label="Comment (optional)" name="review" rows={4} maxLength={REVIEW_MAX} value={values.review} onChange={set('review')} error={err('review')} />
        <Honeypot inputRef={honeypot} />
        <div className="public-actions">
          <Button type="submit" busy={send.isPending} className="btn-large">
            Submit
          </Button>
        </div>
      </form>
    </>
  );
}

/** `/f/{slug}`: a workspace's public feedback form, when its admins turned it on. */
export function PublicFormPage() {
  const { slug = '' } = useParams();
  const form = useQuery({ queryKey: queryKeys.publicForm(slug), queryFn: () => publicApi.form(slug), staleTime: 60_000, enabled: slug !== '' });

  if (slug === '' || (form.isError && toApiError(form.error).status === 404)) {
    return <PublicNotice title="This form is not available">Check the link, or ask the business that shared it.</PublicNotice>;
  }
  if (form.isError) {
    return (
      <PublicShell title="Feedback">
        <Alert tone="error">{toApiError(form.error).code === 'rate_limited' ? TOO_MANY : errorMessage(form.error)}</Alert>
        <Button variant="secondary" onClick={() => void form.refetch()}>
          Try again
        </Button>
      </PublicShell>
    );
  }
  if (form.isPending) {
    return (
      <PublicShell title="Feedback">
        <Spinner label="Loading" />
      </PublicShell>
    );
  }
  return (
    <PublicShell title={surveySubject(form.data.workspace.name)}>
      <AnswerForm slug={slug} workspaceName={form.data.workspace.name} />
    </PublicShell>
  );
}
