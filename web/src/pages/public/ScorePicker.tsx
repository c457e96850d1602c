import { useId } from 'react';
import { SCORE_MAX, SCORE_MIN, SCORES } from '../../lib/scores';
import { scoreWord } from '../../lib/surveys';

/**
 * Five large score buttons (radio buttons underneath: one choice, arrow keys move it), for
 * thumbs on a phone. `value` null: none chosen yet.
 */
export function ScorePicker({
  value,
  onChange,
  error,
  legend = 'Your score',
  name = 'satisfaction_score',
}: {
  value: number | null;
  onChange: (score: number) => void;
  error?: string;
  legend?: string;
  name?: string;
}) {
  const id = useId();
  return (
    <fieldset className={`score-picker${error ? ' field-invalid' : ''}`} aria-describedby={error ? `${id}-error` : `${id}-scale`}>
      <legend>{legend}</legend>
      <p className="field-hint" id={`${id}-scale`}>
        {SCORE_MIN} is very poor, {SCORE_MAX} is excellent.
      </p>
      <div className="score-options">
        {SCORES.map((n) => (
          <label key={n} className={`score-option score-opt-${n}`}>
            <input
              type="radio"
              className="visually-hidden-input"
              name={name}
              value={n}
              checked={value === n}
              onChange={() => onChange(n)}
              aria-invalid={error ? true : undefined}
            />
            <span className="score-num">{n}</span> <span className="score-word">{scoreWord(n)}</span>
          </label>
        ))}
      </div>
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  );
}

