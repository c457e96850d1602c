import type { Keyword, Keywords } from '../../api/types';

function TermList({ terms, tone, onSelect }: { terms: Keyword[]; tone: 'positive' | 'negative'; onSelect: (term: string) => void }) {
  if (terms.length === 0) return <p className="muted small">No recurring words yet.</p>;
  const max = Math.max(...terms.map((t) => t.count));
  return (
    <ul className="keywords">
      {terms.map((t) => (
        <li key={t.term}>
          <button type="button" className={`keyword keyword-${tone}`} onClick={() => onSelect(t.term)} title={`Show customers mentioning “${t.term}”`}>
            <span className="keyword-bar" style={{ width: `${(t.count / max) * 100}%` }} aria-hidden="true" />
            <span className="keyword-term">{t.term}</span>
            <span className="keyword-count">{t.count}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

export function KeywordsPanel({ keywords, onSelect }: { keywords: Keywords; onSelect: (term: string, tone: 'positive' | 'negative') => void }) {
  return (
    <div className="keywords-grid">
      <div>
        <h3 className="keywords-title positive">What people love (4–5★)</h3>
        <TermList terms={keywords.positive} tone="positive" onSelect={(t) => onSelect(t, 'positive')} />
      </div>
      <div>
        <h3 className="keywords-title negative">What hurts (1–2★)</h3>
        <TermList terms={keywords.negative} tone="negative" onSelect={(t) => onSelect(t, 'negative')} />
      </div>
    </div>
  );
}
