import type { Keyword, Keywords } from '../../api/types';
import { formatNumber } from '../../lib/format';

const SIDE = { positive: '4–5★', negative: '1–2★' } as const;

/**
 * The server lists only terms (words or two-word phrases) significantly more frequent on
 * one side, strongest first: the bar is the strength (z) within the list, the number the
 * occurrences on that side.
 */
function TermList({ terms, tone, onSelect }: { terms: Keyword[]; tone: 'positive' | 'negative'; onSelect: (term: string) => void }) {
  if (terms.length === 0) return <p className="muted small">Nothing stands out.</p>;
  const max = Math.max(...terms.map((t) => t.z));
  return (
    <ul className="keywords">
      {terms.map((t) => (
        <li key={t.term}>
          <button
            type="button"
            className={`keyword keyword-${tone}`}
            onClick={() => onSelect(t.term)}
            title={`Show customers mentioning “${t.term}” (${formatNumber(t.count)} in ${SIDE[tone]} reviews; strength z = ${formatNumber(t.z, 2)})`}
          >
            <span className="keyword-bar" style={{ width: `${max > 0 ? (t.z / max) * 100 : 0}%` }} aria-hidden="true" />
            <span className="keyword-term">{t.term}</span>
            <span className="keyword-count">{formatNumber(t.count)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

export function KeywordsPanel({ keywords, onSelect }: { keywords: Keywords; onSelect: (term: string, tone: 'positive' | 'negative') => void }) {
  return (
    <>
      <p className="muted small keywords-help">
        Words and phrases that set low reviews apart from high ones (and the reverse). Empty when there is not enough difference to tell.
      </p>
      <div className="keywords-grid">
        <div>
          <h3 className="keywords-title positive">What people love ({SIDE.positive})</h3>
          <TermList terms={keywords.positive} tone="positive" onSelect={(t) => onSelect(t, 'positive')} />
        </div>
        <div>
          <h3 className="keywords-title negative">What hurts ({SIDE.negative})</h3>
          <TermList terms={keywords.negative} tone="negative" onSelect={(t) => onSelect(t, 'negative')} />
        </div>
      </div>
    </>
  );
}
