import { useEffect, useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { allowedActions, api, Experiment, mayEdit, Trial } from '../lib/api';
import { LiveState, useAsync, useLive } from '../lib/hooks';
import { useSampled } from '../lib/useSampled';
import { useOpenTensorboard } from '../lib/useOpenTensorboard';
import { bytes, flattenHparams, metric } from '../lib/format';
import { HpPoint } from '../lib/hp';
import { readModelDefinition, TarFile } from '../lib/tar';
import { Empty, ErrorNote, Loading, ProgressBar, StateBadge, Tabs, Time } from '../components/common';
import { LineChart } from '../components/LineChart';
import { HeatMaps, ParallelCoordinates, ScatterPlots } from '../components/HpViews';
import { LogsView } from '../components/LogsView';
import { NotesPanel } from '../components/NotesPanel';
import { useSession } from '../App';

const TABS = [
  { key: 'visualization', label: 'Visualization' }, { key: 'trials', label: 'Trials' }, { key: 'checkpoints', label: 'Checkpoints' },
  { key: 'code', label: 'Code' }, { key: 'config', label: 'Config' }, { key: 'logs', label: 'Logs' }, { key: 'notes', label: 'Notes' },
];
const VIEWS = [
  { key: 'curves', label: 'Learning curves' }, { key: 'parallel', label: 'HP parallel coordinates' },
  { key: 'scatter', label: 'HP scatter plots' }, { key: 'heatmap', label: 'HP heat map' },
];

export default function ExperimentDetail() {
  const id = Number(useParams().id);
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'visualization';
  const view = params.get('view') ?? 'curves';
  const setParam = (key: string, value: string) => { const n = new URLSearchParams(params); n.set(key, value); setParams(n, { replace: true }); };

  const experiment = useAsync(() => api.experiment(id), [id]);
  const trials = useAsync(() => api.trials(id), [id]);
  const names = useAsync(() => api.metricNames(id), [id]);
  const [live, setLive] = useState<LiveState>();
  const [actionError, setActionError] = useState<Error>();
  const { user } = useSession();
  const tensorboard = useOpenTensorboard();

  const searcherMetric = names.data?.searcherMetric ?? '';
  // ?metric=training:loss opens the page on that metric (links and the benchmark use it).
  const [choice, setChoice] = useState<string>(params.get('metric') ?? '');
  const metricKey = choice || (searcherMetric ? `validation:${searcherMetric}` : '');
  const [metricType, metricName] = metricKey ? (metricKey.split(/:(.*)/s) as [string, string]) : ['validation', ''];
  const [maxTrials, setMaxTrials] = useState(100);
  const sampled = useSampled(id, metricName, metricType, maxTrials);

  const connected = useLive(id, {
    onMetrics: (m) => {
      sampled.apply(m);
      // A metric name the picker does not list yet (the first training report, say): ask for the names again.
      const known = names.data;
      if (known && !names.loading && m.some((r) => Object.keys(r.metrics).some((n) => !(r.group === 'training' ? known.training : known.validation).includes(n))))
        names.reload();
    },
    onState: (s) => setLive(s),
    onReload: () => sampled.reload(),
  });
  // A trial that was not there when the page loaded: fetch the trials again (new hyperparameters to show).
  const knownTrials = trials.data?.trials.length ?? 0;
  useEffect(() => {
    if (live && trials.data && live.trials.length !== knownTrials) trials.reload();
  }, [live, knownTrials, trials]);

  if (experiment.error) return <ErrorNote error={experiment.error} />;
  if (!experiment.data) return <Loading what="experiment" />;
  const e: Experiment = { ...experiment.data.experiment, ...(live ? { state: live.state as Experiment['state'], progress: live.progress } : {}) };
  const trialList = mergeLive(trials.data?.trials ?? [], live);
  const smallerIsBetter = sampled.meta?.smallerIsBetter ?? true;
  const act = async (action: string) => {
    if (action === 'kill' && !window.confirm(`Kill experiment ${id}? Trials stop without a checkpoint.`)) return;
    setActionError(undefined);
    try { await api.act(id, action); experiment.reload(); } catch (err) { setActionError(err as Error); }
  };

  return (
    <section>
      <div className="page-head">
        <h1>Experiment {e.id}: {e.name}</h1>
        <StateBadge state={e.state} />
        <ProgressBar value={e.progress} />
        <span className="muted">{e.searcherType} · {e.numTrials} trials · by {e.username} · started <Time iso={e.startTime} /></span>
        <span className={connected ? 'live on' : 'live'} title="live updates">{connected ? '● live' : '○ offline'}</span>
        <span className="spacer" />
        {allowedActions(e).map((a) => <button key={a} onClick={() => void act(a)}>{a}</button>)}
        <button disabled={tensorboard.busy} onClick={() => void tensorboard.open([id])}>{tensorboard.busy ? 'Starting TensorBoard…' : 'Open TensorBoard'}</button>
      </div>
      {e.description && <p className="muted">{e.description}</p>}
      <ErrorNote error={actionError ?? tensorboard.error} />
      <Tabs tabs={TABS} active={tab} onChange={(k) => setParam('tab', k)} />
      {tab === 'visualization' && (
        <div>
          <div className="filters">
            <Tabs tabs={VIEWS} active={view} onChange={(k) => setParam('view', k)} />
            <label>Metric <select aria-label="metric" value={metricKey} onChange={(ev) => setChoice(ev.target.value)}>
              {!names.data && <option value={metricKey}>{metricName || '…'}</option>}
              {names.data && !names.data.validation.includes(searcherMetric) && searcherMetric && <option value={`validation:${searcherMetric}`}>validation {searcherMetric}</option>}
              {names.data?.validation.map((n) => <option key={`v${n}`} value={`validation:${n}`}>validation {n}</option>)}
              {names.data?.training.map((n) => <option key={`t${n}`} value={`training:${n}`}>training {n}</option>)}
            </select></label>
            <label>Max trials <select value={maxTrials} onChange={(ev) => setMaxTrials(Number(ev.target.value))}>
              {[10, 25, 50, 100].map((n) => <option key={n}>{n}</option>)}
            </select></label>
          </div>
          <ErrorNote error={sampled.error} />
          {view === 'curves' && <Curves sampled={sampled} metricName={metricName} />}
          {view !== 'curves' && <HpView view={view} trials={trialList} sampled={sampled} metricName={metricName} metricType={metricType}
            searcherMetric={searcherMetric} smallerIsBetter={smallerIsBetter} experimentId={id} />}
        </div>
      )}
      {tab === 'trials' && <TrialsTab trials={trialList} loading={trials.loading && !trials.data} sampled={sampled} metricName={metricName} />}
      {tab === 'checkpoints' && <CheckpointsTab id={id} />}
      {tab === 'code' && <CodeTab id={id} />}
      {tab === 'config' && <pre className="code" data-testid="config">{JSON.stringify(experiment.data.config, null, 2)}</pre>}
      {tab === 'logs' && <LogsTab trials={trialList} />}
      {tab === 'notes' && <NotesPanel notes={e.notes} editable={mayEdit(user, e.userId)}
        onSave={async (text) => { const r = await api.setExperimentNotes(id, text); experiment.reload(); return r.experiment.notes; }} />}
    </section>
  );
}

function mergeLive(trials: Trial[], live: LiveState | undefined): Trial[] {
  if (!live) return trials;
  const byId = new Map(live.trials.map((t) => [t.id, t]));
  return trials.map((t) => {
    const l = byId.get(t.id);
    return l ? { ...t, state: l.state, totalBatchesProcessed: l.totalBatches, restarts: l.restarts,
      bestValidation: l.best === null ? t.bestValidation : { ...(t.bestValidation ?? { totalBatches: 0, endTime: '', metrics: {} }), searcherMetric: l.best } } : t;
  });
}

function Curves({ sampled, metricName }: { sampled: ReturnType<typeof useSampled>; metricName: string }) {
  const [smoothing, setSmoothing] = useState(0);
  const [log, setLog] = useState(false);
  if (sampled.loading && sampled.series.length === 0) return <Loading what="learning curves" />;
  const points = sampled.series.reduce((n, s) => n + s.steps.length, 0);
  return (
    <div>
      <div className="filters">
        <label>Smoothing <input type="range" min={0} max={0.99} step={0.01} value={smoothing} onChange={(e) => setSmoothing(Number(e.target.value))} /> {smoothing.toFixed(2)}</label>
        <label className="inline"><input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} /> log scale</label>
        <span className="muted" data-testid="curve-points">{sampled.series.length} trials, {points} points{sampled.meta && sampled.meta.totalTrials > sampled.series.length ? ` (best ${sampled.series.length} of ${sampled.meta.totalTrials} trials)` : ''}</span>
      </div>
      {points === 0 ? <Empty>No {metricName} reported yet; the curve appears with the first report.</Empty>
        : <LineChart testId="learning-curve" series={sampled.series} version={sampled.version} yLabel={metricName} smoothing={smoothing} log={log} />}
    </div>
  );
}

function hpPoints(trials: Trial[], sampled: ReturnType<typeof useSampled>, metricName: string, metricType: string, searcherMetric: string): HpPoint[] {
  const last = new Map<number, number | null>();
  for (const s of sampled.series) {
    let v: number | null = null;
    for (let i = s.values.length - 1; i >= 0; i--) if (s.values[i] !== null) { v = s.values[i]; break; }
    last.set(s.id, v);
  }
  return trials.map((t) => ({
    trialId: t.id, state: t.state, hp: flattenHparams(t.hparams),
    metric: metricType === 'validation' && metricName === searcherMetric ? (t.bestValidation?.searcherMetric ?? null) : (last.get(t.id) ?? null),
  }));
}

function HpView(props: { view: string; trials: Trial[]; sampled: ReturnType<typeof useSampled>; metricName: string; metricType: string; searcherMetric: string; smallerIsBetter: boolean; experimentId: number }) {
  const [hideFailed, setHideFailed] = useState(false);
  const all = hpPoints(props.trials, props.sampled, props.metricName, props.metricType, props.searcherMetric);
  const points = hideFailed ? all.filter((p) => !['STATE_ERROR', 'STATE_CANCELED'].includes(p.state)) : all;
  const shared = { points, metricName: props.metricName, smallerIsBetter: props.smallerIsBetter, experimentId: props.experimentId };
  return (
    <div>
      <label className="inline"><input type="checkbox" checked={hideFailed} onChange={(e) => setHideFailed(e.target.checked)} /> hide errored and canceled trials</label>
      <span className="muted"> {points.length} trials; dashed lines and grey marks: no {props.metricName} yet</span>
      {props.view === 'parallel' && <ParallelCoordinates {...shared} />}
      {props.view === 'scatter' && <ScatterPlots {...shared} />}
      {props.view === 'heatmap' && <HeatMaps {...shared} />}
    </div>
  );
}

type SortKey = 'id' | 'state' | 'best' | 'latest' | 'batches' | 'restarts';

function TrialsTab({ trials, loading, sampled, metricName }: { trials: Trial[]; loading: boolean; sampled: ReturnType<typeof useSampled>; metricName: string }) {
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [compare, setCompare] = useState(false);
  const [stateFilter, setStateFilter] = useState('');
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'id', desc: false });
  const hpNames = useMemo(() => [...new Set(trials.flatMap((t) => Object.keys(flattenHparams(t.hparams))))].sort(), [trials]);
  if (loading) return <Loading what="trials" />;
  if (trials.length === 0) return <Empty>No trials yet.</Empty>;
  const value = (t: Trial): number | string => {
    switch (sort.key) {
      case 'state': return t.state;
      case 'best': return t.bestValidation?.searcherMetric ?? Number.POSITIVE_INFINITY;
      case 'latest': return t.latestValidation?.searcherMetric ?? Number.POSITIVE_INFINITY;
      case 'batches': return t.totalBatchesProcessed;
      case 'restarts': return t.restarts;
      default: return t.id;
    }
  };
  const shown = trials.filter((t) => !stateFilter || t.state === stateFilter)
    .sort((a, b) => { const x = value(a); const y = value(b); const c = x < y ? -1 : x > y ? 1 : 0; return sort.desc ? -c : c; });
  const states = [...new Set(trials.map((t) => t.state))];
  const th = (key: SortKey, label: string) => (
    <th className="sortable" onClick={() => setSort((s) => ({ key, desc: s.key === key ? !s.desc : false }))}>{label}{sort.key === key ? (sort.desc ? ' ▼' : ' ▲') : ''}</th>
  );
  const chosen = trials.filter((t) => selected.has(t.id));
  return (
    <div>
      <div className="filters">
        <label>State <select value={stateFilter} onChange={(e) => setStateFilter(e.target.value)} aria-label="trial state filter">
          <option value="">any</option>{states.map((s) => <option key={s} value={s}>{s.replace('STATE_', '').toLowerCase()}</option>)}
        </select></label>
        <button disabled={selected.size < 1} onClick={() => setCompare(true)}>Compare {selected.size || ''}</button>
      </div>
      <table className="table" data-testid="trials-table">
        <thead><tr><th />{th('id', 'ID')}{th('state', 'State')}{hpNames.map((n) => <th key={n}>{n}</th>)}{th('best', 'Best')}{th('latest', 'Latest')}{th('batches', 'Batches')}{th('restarts', 'Restarts')}</tr></thead>
        <tbody>{shown.map((t) => {
          const hp = flattenHparams(t.hparams);
          return (
            <tr key={t.id}>
              <td><input type="checkbox" aria-label={`select trial ${t.id}`} checked={selected.has(t.id)} onChange={(e) => setSelected((s) => { const n = new Set(s); if (e.target.checked) n.add(t.id); else n.delete(t.id); return n; })} /></td>
              <td><Link to={`/trials/${t.id}`}>{t.id}</Link></td><td><StateBadge state={t.state} /></td>
              {hpNames.map((n) => <td key={n}>{formatHp(hp[n])}</td>)}
              <td>{metric(t.bestValidation?.searcherMetric)}</td><td>{metric(t.latestValidation?.searcherMetric)}</td>
              <td>{t.totalBatchesProcessed}</td><td>{t.restarts}</td>
            </tr>
          );
        })}</tbody>
      </table>
      {compare && chosen.length > 0 && (
        <div className="compare" data-testid="compare">
          <div className="page-head"><h2>Compare trials {chosen.map((t) => t.id).join(', ')}</h2><span className="spacer" /><button onClick={() => setCompare(false)}>Close</button></div>
          <LineChart series={sampled.series.filter((s) => selected.has(s.id))} version={sampled.version} yLabel={metricName} height={260} />
          <table className="table">
            <thead><tr><th>Hyperparameter</th>{chosen.map((t) => <th key={t.id}>trial {t.id}</th>)}</tr></thead>
            <tbody>
              {hpNames.map((n) => <tr key={n}><td>{n}</td>{chosen.map((t) => <td key={t.id}>{formatHp(flattenHparams(t.hparams)[n])}</td>)}</tr>)}
              <tr><td>best</td>{chosen.map((t) => <td key={t.id}>{metric(t.bestValidation?.searcherMetric)}</td>)}</tr>
              <tr><td>batches</td>{chosen.map((t) => <td key={t.id}>{t.totalBatchesProcessed}</td>)}</tr>
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export function formatHp(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v === 'number') return metric(v);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function CheckpointsTab({ id }: { id: number }) {
  const r = useAsync(() => api.checkpoints(id), [id]);
  if (r.error) return <ErrorNote error={r.error} />;
  if (!r.data) return <Loading what="checkpoints" />;
  if (r.data.checkpoints.length === 0) return <Empty>No checkpoints yet.</Empty>;
  return (
    <table className="table" data-testid="checkpoints-table">
      <thead><tr><th>UUID</th><th>Trial</th><th>Batches</th><th>State</th><th>Size</th><th>Searcher metric</th><th>Reported</th></tr></thead>
      <tbody>{r.data.checkpoints.map((c) => (
        <tr key={c.uuid}><td className="mono">{c.uuid}</td><td>{c.trialId !== null ? <Link to={`/trials/${c.trialId}`}>{c.trialId}</Link> : ''}</td>
          <td>{c.stepsCompleted}</td><td><StateBadge state={c.state} /></td><td>{bytes(c.size)}</td><td>{metric(c.searcherMetric)}</td><td><Time iso={c.reportTime} /></td></tr>
      ))}</tbody>
    </table>
  );
}

function CodeTab({ id }: { id: number }) {
  const r = useAsync<TarFile[]>(async () => readModelDefinition((await api.modelDef(id)).b64Tgz), [id]);
  const [path, setPath] = useState<string>();
  if (r.error) return <ErrorNote error={r.error} />;
  if (!r.data) return <Loading what="model definition" />;
  if (r.data.length === 0) return <Empty>The model definition has no files.</Empty>;
  const file = r.data.find((f) => f.path === path) ?? r.data.find((f) => f.path.endsWith('.cs')) ?? r.data[0];
  return (
    <div className="code-view">
      <ul className="file-tree" data-testid="file-tree">
        {r.data.map((f) => <li key={f.path}><button className={f === file ? 'link active' : 'link'} onClick={() => setPath(f.path)}>{f.path}</button> <span className="muted">{bytes(f.size)}</span></li>)}
      </ul>
      <pre className="code" data-testid="code-file">{file.size > 1_000_000 ? 'This file is larger than 1 MB; download the model definition to read it.' : file.content}</pre>
    </div>
  );
}

function LogsTab({ trials }: { trials: Trial[] }) {
  const [trialId, setTrialId] = useState<number>();
  if (trials.length === 0) return <Empty>No trials yet, so no logs.</Empty>;
  const id = trialId ?? trials[0].id;
  return (
    <div>
      <label>Trial <select value={id} onChange={(e) => setTrialId(Number(e.target.value))}>{trials.map((t) => <option key={t.id} value={t.id}>{t.id}</option>)}</select></label>
      <LogsView key={id} trialId={id} />
    </div>
  );
}
