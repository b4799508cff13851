// Hooks shared by the pages: the view's time range and refresh tick from the URL, and cancellable async loads.
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { errorMessage, isAbort } from '../api/client';
import { parseRange, type TimeRange } from './time';
import { useLocation } from './url';

/** Auto-refresh choices (URL parameter `refresh`). */
export const REFRESH_CHOICES = ['', '5s', '10s', '30s', '1m', '5m'];

const REFRESH_MS: Record<string, number> = { '5s': 5000, '10s': 10_000, '30s': 30_000, '1m': 60_000, '5m': 300_000 };

let manualRefreshes = 0;
const refreshListeners = new Set<() => void>();

/** Reloads every view now (the refresh button and the `r` key). */
export function refreshNow(): void {
  manualRefreshes++;
  refreshListeners.forEach((l) => l());
}

function subscribeRefresh(l: () => void): () => void {
  refreshListeners.add(l);
  return () => refreshListeners.delete(l);
}

/** The view's time range and a counter that grows at every auto-refresh (use both as effect dependencies). */
export function useViewTime(): { range: TimeRange; rangeKey: string; tick: number } {
  const { params } = useLocation();
  const range = parseRange(params);
  const rangeKey = range.kind === 'relative' ? range.value : `${range.from}-${range.to}`;
  const refresh = params.get('refresh') ?? '';
  const [tick, setTick] = useState(0);
  const manual = useSyncExternalStore(subscribeRefresh, () => manualRefreshes);
  useEffect(() => {
    const ms = REFRESH_MS[refresh];
    if (!ms) return undefined;
    const id = window.setInterval(() => {
      if (document.visibilityState === 'visible') setTick((t) => t + 1);
    }, ms);
    return () => window.clearInterval(id);
  }, [refresh]);
  return { range, rangeKey, tick: tick + manual };
}

export interface AsyncState<T> {
  data?: T;
  error?: string;
  loading: boolean;
}

/**
 * Runs `load` whenever `key` changes (null: run nothing), cancelling the previous run; keeps the last data while a
 * new load runs, so refreshes do not flicker.
 */
export function useAsync<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): AsyncState<T> {
  const [state, setState] = useState<AsyncState<T>>({ loading: key !== null });
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    if (key === null) {
      setState({ loading: false });
      return undefined;
    }
    const controller = new AbortController();
    setState((s) => ({ data: s.data, loading: true }));
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, loading: false });
      },
      (e: unknown) => {
        if (!controller.signal.aborted && !isAbort(e)) setState({ error: errorMessage(e), loading: false });
      },
    );
    return () => controller.abort();
  }, [key]);
  return state;
}
