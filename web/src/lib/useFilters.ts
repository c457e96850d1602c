import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { patchParams, readFilters, type Preset } from './filters';

/** The URL-backed filter state, and setters that keep the rest of the URL. */
export function useFilters() {
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => readFilters(params), [params]);
  const update = (patch: Record<string, string | number | undefined | null>) =>
    setParams((p) => patchParams(p, patch), { replace: true });
  const setPreset = (preset: Preset) => {
    if (preset === 'custom') {
      update({ range: 'custom', from: state.filters.from, to: state.filters.to });
    } else {
      update({ range: preset === 'all' ? undefined : preset, from: undefined, to: undefined });
    }
  };
  const clear = () => setParams(new URLSearchParams(), { replace: true });
  return { ...state, params, update, setPreset, clear };
}
