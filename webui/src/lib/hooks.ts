import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ClusterTask } from './api';

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

/** How long a page waits before opening a stream again that the master closed or refused (the browser retries a dropped one itself). */
export const RECONNECT_MS = 2000;

/**
 * A server-sent event stream with a listener per event name, open while url is set. The browser reconnects a dropped
 * stream by itself (the master asks for 1 s); one it gave up on (an error answer, a restarted master) is opened again
 * after RECONNECT_MS. Returns whether the stream is open.
 */
export function useEventStream(url: string | undefined, listeners: Record<string, (data: unknown) => void>): boolean {
  const ref = useRef(listeners);
  ref.current = listeners;
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    if (url === undefined || typeof EventSource === 'undefined') return;
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let closed = false;
    const open = () => {
      source = new EventSource(url, { withCredentials: true });
      source.onopen = () => setConnected(true);
      source.onerror = () => {
        setConnected(false);
        if (source?.readyState === EventSource.CLOSED && !closed) {
          source.close();
          retry = setTimeout(open, RECONNECT_MS);
        }
      };
      for (const name of Object.keys(ref.current)) {
        source.addEventListener(name, (e) => ref.current[name]?.(JSON.parse((e as MessageEvent).data)));
      }
    };
    open();
    return () => { closed = true; if (retry) clearTimeout(retry); source?.close(); setConnected(false); };
  }, [url]);
  return connected;
}

/** The experiment's server-sent events (/experiments/{id}/live). */
export function useLive(experimentId: number | undefined, handlers: LiveHandlers): boolean {
  // useEventStream calls the listeners of the latest render, so these see the latest handlers.
  return useEventStream(experimentId === undefined ? undefined : `/api/v1/experiments/${experimentId}/live`, {
    metrics: (d) => handlers.onMetrics?.(d as LiveMetric[]),
    state: (d) => handlers.onState?.(d as LiveState),
    reload: () => handlers.onReload?.(),
  });
}

/** One experiment's row as /experiments/live pushes it (state STATE_DELETED and nothing else when it is gone). */
export interface LiveRow {
  id: number; state: string; progress?: number; archived?: boolean; numTrials?: number; endTime?: string | null;
  bestMetric?: number | null; checkpointCount?: number; checkpointSize?: number;
}
export interface Overview { latestId: number; total: number; active: number; slotsUsed: number; slotsTotal: number; agents: number }

/**
 * Pushed changes of the experiments shown (ids) and the cluster overview (/experiments/live). Rows accumulate by id;
 * onNewOrGone runs when the newest experiment or the number of experiments moved after the first overview, so a page
 * reloads its rows only then.
 */
export function useExperimentsLive(ids: number[], onNewOrGone: () => void): { rows: Record<number, LiveRow>; overview: Overview | undefined; connected: boolean } {
  const [rows, setRows] = useState<Record<number, LiveRow>>({});
  const [overview, setOverview] = useState<Overview>();
  const last = useRef<Overview>();
  const reload = useRef(onNewOrGone);
  reload.current = onNewOrGone;
  const key = [...ids].sort((a, b) => a - b).join(',');
  useEffect(() => { setRows({}); }, [key]);
  const connected = useEventStream(`/api/v1/experiments/live?ids=${key}`, {
    rows: (d) => setRows((r) => {
      const next = { ...r };
      for (const row of d as LiveRow[]) next[row.id] = row;
      return next;
    }),
    overview: (d) => {
      const o = d as Overview;
      const before = last.current;
      last.current = o;
      setOverview(o);
      if (before && (before.latestId !== o.latestId || before.total !== o.total)) reload.current();
    },
  });
  return { rows, overview, connected };
}

/** Runs onChange when the pushed slots, agents or active experiments moved (not for the first overview). */
export function useOverviewChange(o: Overview | undefined, onChange: () => void): void {
  const seen = useRef<string>();
  const run = useRef(onChange);
  run.current = onChange;
  useEffect(() => {
    if (!o) return;
    const key = `${o.slotsUsed}/${o.slotsTotal}/${o.agents}/${o.active}`;
    if (seen.current !== undefined && seen.current !== key) run.current();
    seen.current = key;
  }, [o]);
}

/** How often pages read the notebooks, TensorBoards and commands again (the master pushes no change of them). */
export const TASKS_POLL_MS = 3000;

/** GET /api/v1/tasks, read again every everyMs. */
export function useClusterTasks(everyMs = TASKS_POLL_MS): Async<{ tasks: ClusterTask[] }> {
  const tasks = useAsync(() => api.clusterTasks(), []);
  const { reload } = tasks;
  useEffect(() => {
    const timer = setInterval(reload, everyMs);
    return () => clearInterval(timer);
  }, [reload, everyMs]);
  return tasks;
}
