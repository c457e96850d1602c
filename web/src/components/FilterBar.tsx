import { PRESETS, SENTIMENTS } from '../lib/filters';
import { SCORES } from '../lib/scores';
import { useFilters } from '../lib/useFilters';
import { Button } from './Button';

/** Date range presets + score and sentiment filters; drives every panel through the URL. */
export function FilterBar() {
  const { preset, filters, params, update, setPreset, clear } = useFilters();
  const active = [...params.keys()].some((k) => k !== 'page' && k !== 'sort');
  return (
    <section className="filterbar" aria-label="Filters">
      <div className="segmented" role="group" aria-label="Date range">
        {PRESETS.map((p) => (
          <button key={p.id} type="button" aria-pressed={preset === p.id} onClick={() => setPreset(p.id)}>
            {p.label}
          </button>
        ))}
        <button type="button" aria-pressed={preset === 'custom'} onClick={() => setPreset('custom')}>
          Custom
        </button>
      </div>
      {preset === 'custom' && (
        <div className="filter-dates">
          <div className="field field-inline">
            <label htmlFor="f-from">From</label>
            <input id="f-from" type="date" value={filters.from ?? ''} max={filters.to} onChange={(e) => update({ range: 'custom', from: e.target.value })} />
          </div>
          <div className="field field-inline">
            <label htmlFor="f-to">To</label>
            <input id="f-to" type="date" value={filters.to ?? ''} min={filters.from} onChange={(e) => update({ range: 'custom', to: e.target.value })} />
          </div>
        </div>
      )}
      <div className="filter-selects">
        <ScoreSelect id="f-min" label="Min score" value={filters.min_score} onChange={(v) => update({ min_score: v })} />
        <ScoreSelect id="f-max" label="Max score" value={filters.max_score} onChange={(v) => update({ max_score: v })} />
        <div className="field field-inline">
          <label htmlFor="f-sentiment">Sentiment</label>
          <select id="f-sentiment" value={filters.sentiment ?? ''} onChange={(e) => update({ sentiment: e.target.value })}>
            <option value="">Any</option>
            {SENTIMENTS.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        {active && (
          <Button variant="ghost" onClick={clear}>
            Clear filters
          </Button>
        )}
      </div>
    </section>
  );
}

function ScoreSelect(props: { id: string; label: string; value?: number; onChange: (value: string) => void }) {
  return (
    <div className="field field-inline">
      <label htmlFor={props.id}>{props.label}</label>
      <select id={props.id} value={props.value ?? ''} onChange={(e) => props.onChange(e.target.value)}>
        <option value="">Any</option>
        {SCORES.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </div>
  );
}
