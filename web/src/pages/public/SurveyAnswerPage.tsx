import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useParams, useSearchParams } from 'react-router';
import { errorMessage, fieldErrors, toApiError } from '../../api/errors';
import { publicApi } from '../../api/public';
import { queryKeys } from '../../api/queryKeys';
import type { PublicSurvey, PublicSurveyAnswer } from '../../api/types';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { TextAreaField } from '../../components/Field';
import { Spinner } from '../../components/Spinner';
import { SCORE_RANGE } from '../../lib/scores';
import { parseScore, scoreWord, surveySubject } from '../../lib/surveys';
import { PublicNotice, PublicShell, StepHeading } from './PublicShell';
import { ScorePicker } from './ScorePicker';
import { REVIEW_MAX } from '../../lib/lengths';

const EXPIRED = 'This link has expired or is not valid';

function GivenAnswer({ answer }: { answer: PublicSurveyAnswer }) {
  return (
    <div className="given-answer" data-testid="given-answer">
      <p>
        Your answer:{' '}
        <strong>
          {answer.satisfaction_score} out of 5 ({scoreWord(answer.satisfaction_score)})
        </strong>
      </p>
      {answer.review && <blockquote className="given-review">{answer.review}</blockquote>}
    </div>
  );
}

type Step = 'form' | 'thanks' | 'final';

/** The answer page once the link is known to be good. */
function AnswerFlow({ token, survey, preset }: { token: string; survey: PublicSurvey; preset: number | null }) {
  const already: PublicSurveyAnswer | null =
    survey.answered && survey.satisfaction_score !== null
      ? { satisfaction_score: survey.satisfaction_score, review: survey.review ?? '' }
      : null;
  const [given, setGiven] = useState(already);
  const [step, setStep] = useState<Step>(already ? 'thanks' : 'form');
  // Whether the step changed on this page (not how it opened): then its heading takes the focus.
  const [moved, setMoved] = useState(false);
  const [replaced, setReplaced] = useState(false);
  const [score, setScore] = useState<number | null>(already ? already.satisfaction_score : preset);
  const [review, setReview] = useState(already?.review ?? '');
  const [scoreError, setScoreError] = useState<string>();
  const [announce, setAnnounce] = useState('');

  const go = (next: Step, words: string) => {
    setStep(next);
    setMoved(true);
    setAnnounce(words);
  };

  const send = useMutation({
    mutationFn: (body: PublicSurveyAnswer) => publicApi.answerSurvey(token, body),
    onSuccess: ({ answer, replaced: wasReplaced }) => {
      setGiven({ satisfaction_score: answer.satisfaction_score, review: answer.review ?? '' });
      setReplaced(wasReplaced);
      go('thanks', wasReplaced ? 'Your answer was updated. Thank you!' : 'Your answer was sent. Thank you!');
    },
    onError: (err) => {
      if (toApiError(err).code === 'already_answered') go('final', 'Your answer is final, thank you.');
    },
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (score === null) {
      setScoreError(`Choose a score ${SCORE_RANGE}.`);
      return;
    }
    setScoreError(undefined);
    send.mutate({ satisfaction_score: score, review });
  };

  const server = fieldErrors(send.error);
  const failed = send.isError && toApiError(send.error).code !== 'already_answered';
  // One live region for the whole flow, so screen readers hear each result.
  const live = (
    <p className="sr-only" role="status" aria-live="polite">
      {announce}
    </p>
  );

  if (step === 'final') {
    return (
      <>
        {live}
        <StepHeading focus={moved}>Your answer is final, thank you</StepHeading>
        <p className="muted">The time to change it is over. {survey.workspace.name} has your feedback.</p>
        {given && <GivenAnswer answer={given} />}
      </>
    );
  }

  if (step === 'thanks' && given) {
    return (
      <>
        {live}
        <StepHeading focus={moved}>
          {moved ? (replaced ? 'Your answer was updated, thank you!' : `Thank you, ${survey.customer.name}!`) : 'You already answered, thank you!'}
        </StepHeading>
        <p className="muted">{survey.workspace.name} has your feedback.</p>
        <GivenAnswer answer={given} />
        <p className="small muted">Changed your mind? You can change your answer for a short while after sending it.</p>
        <Button
          variant="secondary"
          onClick={() => {
            send.reset();
            setScore(given.satisfaction_score);
            setReview(given.review ?? '');
            go('form', '');
          }}
        >
          Change my answer
        </Button>
      </>
    );
  }

  return (
    <>
      {live}
      <StepHeading focus={moved}>{surveySubject(survey.workspace.name)}</StepHeading>
      <p>
        Hi {survey.customer.name}, {given ? 'change your answer below.' : 'how did it go? Choose a score and press Submit.'}
      </p>
      {failed && <Alert tone="error">{server.satisfaction_score || server.review ? 'Please check your answer.' : errorMessage(send.error)}</Alert>}
      <form onSubmit={onSubmit} noValidate>
        <ScorePicker
          value={score}
          onChange={(n) => {
            setScore(n);
            setScoreError(undefined);
          }}
          error={scoreError ?? server.satisfaction_score}
        />
        <TextAreaField
          label="Comment (optional)"
          name="review"
          rows={4}
          maxLength={REVIEW_MAX}
          value={review}
          onChange={(e) => setReview(e.target.value)}
          error={server.review}
          hint="What went well, or what should be better?"
        />
        <div className="public-actions">
          <Button type="submit" busy={send.isPending} className="btn-large">
            Submit
          </Button>
          {given && (
            <Button variant="ghost" onClick={() => go('thanks', '')}>
              Keep my answer
            </Button>
          )}
        </div>
        <p className="small muted">Nothing is saved until you press Submit.</p>
      </form>
    </>
  );
}

/**
 * `/r/{token}`: the page a survey email's score links open. Opening it records nothing
 * (mail scanners open every link): the `?score=` of the link is only preselected, and the
 * answer is sent by the Submit button.
 */
export function SurveyAnswerPage() {
  const { token = '' } = useParams();
  const [params] = useSearchParams();
  const preset = parseScore(params.get('score'));
  const survey = useQuery({
    queryKey: queryKeys.publicSurvey(token),
    queryFn: () => publicApi.survey(token),
    staleTime: Infinity,
    enabled: token !== '',
  });

  if (token === '' || (survey.isError && toApiError(survey.error).status === 404)) {
    return <PublicNotice title={EXPIRED}>Links in feedback emails work for a limited time.</PublicNotice>;
  }
  if (survey.isError) {
    return (
      <PublicShell title="Feedback">
        <Alert tone="error">{errorMessage(survey.error)}</Alert>
        <Button variant="secondary" onClick={() => void survey.refetch()}>
          Try again
        </Button>
      </PublicShell>
    );
  }
  if (survey.isPending) {
    return (
      <PublicShell title="Feedback">
        <Spinner label="Loading" />
      </PublicShell>
    );
  }
  return (
    <PublicShell title={surveySubject(survey.data.workspace.name)}>
      <AnswerFlow token={token} survey={survey.data} preset={preset} />
    </PublicShell>
  );
}
