import { useEffect, useState, useSyncExternalStore } from 'react';

/**
 * `value`, or while it is undefined the last defined value it had (e.g. the workspace of
 * the URL, kept while on a page outside any workspace).
 *
 * The last value is kept in a small store written after each render, not in React state
 * set while rendering.
 */
export function useLastDefined<T>(value: T | undefined): T | undefined {
  const [slot] = useState(() => createSlot(value));
  useEffect(() => {
    if (value !== undefined) slot.set(value);
  }, [slot, value]);
  const last = useSyncExternalStore(slot.subscribe, slot.get);
  return value ?? last;
}

function createSlot<T>(initial: T | undefined) {
  let current = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => current,
    set(next: T) {
      if (Object.is(next, current)) return;
      current = next;
      for (const notify of listeners) notify();
    },
    subscribe(notify: () => void) {
      listeners.add(notify);
      return () => listeners.delete(notify);
    },
  };
}
