import type { Survey } from '../../api/types';
import { formatNumber } from '../../lib/format';
import { pending, progressText, share } from '../../lib/surveys';

/**
 * A survey's progress as one bar (answered, sent without an answer yet, failed, waiting,
 * each a share of the queued emails) and the numbers beside it.
 */
export function SurveyProgress({ survey }: { survey: Survey }) {
  const { queued, sent, failed, answered } = survey;
  const left = pending(survey);
  const segments = [
    { key: 'answered', value: Math.min(answered, sent) },
    { key: 'sent', value: Math.max(0, sent - answered) },
    { key: 'failed', value: failed },
    { key: 'waiting', value: left },
  ];
  return (
    <div className="survey-progress">
      <div className="progress-bar" role="img" aria-label={progressText(survey)}>
        {segments.map((s) =>
          s.value > 0 ? <span key={s.key} className={`progress-seg seg-${s.key}`} style={{ width: `${share(s.value, queued)}%` }} /> : null,
        )}
      </div>
      <dl className="progress-numbers">
        <div>
          <dt>Queued</dt>
          <dd>{formatNumber(queued)}</dd>
        </div>
        <div>
          <dt>Sent</dt>
          <dd>{formatNumber(sent)}</dd>
        </div>
        <div className={failed > 0 ? 'is-bad' : undefined}>
          <dt>Failed</dt>
          <dd>{formatNumber(failed)}</dd>
        </div>
        <div className="is-good">
          <dt>Answered</dt>
          <dd>{formatNumber(answered)}</dd>
        </div>
      </dl>
      {left > 0 && (
        <p className="muted small sending-note">
          <span className="btn-spinner" aria-hidden="true" /> Sending: {formatNumber(left)} to go
        </p>
      )}
    </div>
  );
}
