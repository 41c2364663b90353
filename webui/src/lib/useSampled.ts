import { useCallback, useEffect, useRef, useState } from 'react';
import { api, TrialsSample } from './api';
import { addPoint, datapointsFor } from './series';
import type { ChartSeries } from '../components/LineChart';
import type { LiveMetric } from './hooks';

export interface Sampled {
  series: ChartSeries[];
  version: number;
  meta: Omit<TrialsSample, 'trials'> | undefined;
  hparams: Record<number, Record<string, unknown>>;
  loading: boolean;
  error: Error | undefined;
  /** Applies live reports: points of the shown metric go into the series in place; the chart redraws at most every 250 ms. */
  apply: (reports: LiveMetric[]) => void;
  reload: () => void;
}

/** The sampled learning curves of an experiment (server-side sampling), then kept current by live reports. */
export function useSampled(experimentId: number, metricName: string, metricType: string, maxTrials: number): Sampled {
  const [series, setSeries] = useState<ChartSeries[]>([]);
  const [version, setVersion] = useState(0);
  const [meta, setMeta] = useState<Sampled['meta']>();
  const [hparams, setHparams] = useState<Record<number, Record<string, unknown>>>({});
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error>();
  const [tick, setTick] = useState(0);
  const current = useRef<ChartSeries[]>([]);
  const pending = useRef<LiveMetric[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const ready = useRef(false);

  useEffect(() => {
    if (!metricName) return;
    const abort = new AbortController();
    ready.current = false;
    setLoading(true);
    // One point per device pixel across the window (the chart's widest), so a redraw never needs more.
    const maxDatapoints = datapointsFor(window.innerWidth, window.devicePixelRatio);
    api.sample(experimentId, metricName, metricType, maxTrials, maxDatapoints, abort.signal).then((r) => {
      performance.mark('det:sample-parsed');
      const next = r.trials.map((t) => ({ id: t.trialId, label: `trial ${t.trialId}`, steps: t.steps, values: t.values }));
      current.current = next;
      ready.current = true;
      const { trials, ...rest } = r;
      setHparams(Object.fromEntries(trials.map((t) => [t.trialId, t.hparams])));
      setMeta(rest);
      setSeries(next);
      setError(undefined);
      setLoading(false);
      // Reports that came while the sample was on its way: applied on top (a point at the same steps just replaces).
      flush();
    }, (e: Error) => { if (!abort.signal.aborted) { setError(e); setLoading(false); } });
    return () => abort.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [experimentId, metricName, metricType, maxTrials, tick]);

  const flush = useCallback(() => {
    timer.current = null;
    if (!ready.current) return;
    const reports = pending.current;
    pending.current = [];
    let added = false;
    let grew = false;
    for (const r of reports) {
      if (r.group !== metricType || !(metricName in r.metrics)) continue;
      let s = current.current.find((x) => x.id === r.trialId);
      if (!s) {
        if (current.current.length >= maxTrials) continue;
        s = { id: r.trialId, label: `trial ${r.trialId}`, steps: [], values: [] };
        current.current = [...current.current, s].sort((a, b) => a.id - b.id);
        grew = true;
      }
      addPoint(s, r.steps, r.metrics[metricName]);
      added = true;
    }
    if (grew) setSeries(current.current);
    if (added) setVersion((v) => v + 1);
  }, [metricName, metricType, maxTrials]);

  const apply = useCallback((reports: LiveMetric[]) => {
    pending.current.push(...reports);
    if (!timer.current) timer.current = setTimeout(flush, 250);
  }, [flush]);

  useEffect(() => () => { if (timer.current) clearTimeout(timer.current); }, []);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { series, version, meta, hparams, loading, error, apply, reload };
}
