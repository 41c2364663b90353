import { useCallback, useEffect, useRef, useState } from 'react';

export interface Async<T> { data: T | undefined; error: Error | undefined; loading: boolean; reload: () => void }

/** Runs a load when its dependencies change; keeps the last data while reloading. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): Async<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: Error) => live && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => { live = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

export interface LiveMetric { trialId: number; group: string; steps: number; metrics: Record<string, number | null> }
export interface LiveTrialState { id: number; state: string; totalBatches: number; restarts: number; best: number | null }
export interface LiveState { state: string; progress: number; trials: LiveTrialState[] }

export interface LiveHandlers { onMetrics?: (m: LiveMetric[]) => void; onState?: (s: LiveState) => void; onReload?: () => void }

/** The experiment's server-sent events (/experiments/{id}/live); the browser reconnects by itself. */
export function useLive(experimentId: number | undefined, handlers: LiveHandlers): boolean {
  const ref = useRef(handlers);
  ref.current = handlers;
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    if (experimentId === undefined || typeof EventSource === 'undefined') return;
    const source = new EventSource(`/api/v1/experiments/${experimentId}/live`, { withCredentials: true });
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.addEventListener('metrics', (e) => ref.current.onMetrics?.(JSON.parse((e as MessageEvent).data)));
    source.addEventListener('state', (e) => ref.current.onState?.(JSON.parse((e as MessageEvent).data)));
    source.addEventListener('reload', () => ref.current.onReload?.());
    return () => source.close();
  }, [experimentId]);
  return connected;
}
