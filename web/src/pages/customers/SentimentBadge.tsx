import type { Sentiment } from '../../api/types';

/** The server's class of a score (its threshold lives there alone) and the score on hover. */
export function SentimentBadge({ score, cls }: { score: number; cls: Sentiment }) {
  return (
    <span className={`badge sentiment-${cls}`} title={`Sentiment score ${score.toFixed(2)}`}>
      {cls}
    </span>
  );
}

export function Stars({ score }: { score: number }) {
  return (
    <span className={`stars score-${score}`} aria-label={`${score} out of 5`}>
      <span aria-hidden="true">{'★'.repeat(score)}</span>
      <span aria-hidden="true" className="stars-off">
        {'★'.repeat(5 - score)}
      </span>
    </span>
  );
}
