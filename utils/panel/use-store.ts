import { useEffect, useState } from 'preact/hooks';
import type { StoreApi } from 'zustand/vanilla';

/**
 * Subscribe a Preact component to a vanilla Zustand store. Zustand's own `useStore` goes through
 * React's useSyncExternalStore, which would pull preact/compat into the popup bundle for one hook.
 */
export function useStoreState<S>(store: StoreApi<S>): S {
  const [state, setState] = useState(() => store.getState());
  useEffect(() => {
    setState(store.getState());
    return store.subscribe((s) => setState(s));
  }, [store]);
  return state;
}
