import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, mayEdit, MetricReport } from '../lib/api';
import { LiveMetric, useAsync, useLive } from '../lib/hooks';
import { addPoint } from '../lib/series';
import { bytes, flattenHparams, metric } from '../lib/format';
import { Empty, ErrorNote, Loading, StateBadge, Tabs, Time } from '../components/common';
import { ChartSeries, LineChart } from '../components/LineChart';
import { LogsView } from '../components/LogsView';
import { NotesPanel } from '../components/NotesPanel';
import { useSession } from '../App';
import { formatHp } from './ExperimentDetail';

const TABS = [{ key: 'overview', label: 'Overview' }, { key: 'hparams', label: 'Hyperparameters' }, { key: 'checkpoints', label: 'Checkpoints' }, { key: 'logs', label: 'Logs' }, { key: 'notes', label: 'Notes' }];

type Group = 'training' | 'validation';

function toSeries(reports: MetricReport[]): Map<string, ChartSeries> {
  const byName = new Map<string, ChartSeries>();
  for (const r of reports) {
    for (const [name, v] of Object.entries(r.metrics.avgMetrics ?? {})) {
      if (typeof v !== 'number') continue;
      let s = byName.get(name);
      if (!s) byName.set(name, (s = { id: byName.size, label: name, steps: [], values: [] }));
      addPoint(s, r.stepsCompleted, v);
    }
  }
  return byName;
}

export default function TrialDetail() {
  const id = Number(useParams().id);
  const [tab, setTab] = useState('overview');
  const trial = useAsync(() => api.trial(id), [id]);
  const training = useAsync(() => api.trialMetrics(id, 'training'), [id]);
  const validation = useAsync(() => api.trialMetrics(id, 'validation'), [id]);
  const series = useRef<Record<Group, Map<string, ChartSeries>>>({ training: new Map(), validation: new Map() });
  const [version, setVersion] = useState(0);
  const [liveState, setLiveState] = useState<string>();
  const [liveWorkloads, setLiveWorkloads] = useState<LiveMetric[]>([]);

  useEffect(() => { if (training.data) { series.current.training = toSeries(training.data.metrics); setVersion((v) => v + 1); } }, [training.data]);
  useEffect(() => { if (validation.data) { series.current.validation = toSeries(validation.data.metrics); setVersion((v) => v + 1); } }, [validation.data]);

  const experimentId = trial.data?.trial.experimentId;
  useLive(experimentId, {
    onMetrics: (reports) => {
      const mine = reports.filter((r) => r.trialId === id);
      if (!mine.length) return;
      for (const r of mine) {
        const group = r.group as Group;
        const map = series.current[group];
        if (!map) continue;
        for (const [name, v] of Object.entries(r.metrics)) {
          let s = map.get(name);
          if (!s) map.set(name, (s = { id: map.size, label: name, steps: [], values: [] }));
          addPoint(s, r.steps, v);
        }
      }
      setLiveWorkloads((w) => [...w, ...mine.filter((r) => r.group === 'validation')]);
      setVersion((v) => v + 1);
    },
    onState: (s) => { const t = s.trials.find((x) => x.id === id); if (t) setLiveState(t.state); },
  });

  if (trial.error) return <ErrorNote error={trial.error} />;
  if (!trial.data) return <Loading what="trial" />;
  const t = trial.data.trial;
  return (
    <section>
      <div className="page-head">
        <h1>Trial {t.id}</h1>
        <StateBadge state={liveState ?? t.state} />
        <span className="muted">of <Link to={`/experiments/${t.experimentId}`}>experiment {t.experimentId}</Link> · {t.totalBatchesProcessed} batches · {t.restarts} restarts · started <Time iso={t.startTime} /></span>
      </div>
      <Tabs tabs={TABS} active={tab} onChange={setTab} />
      {tab === 'overview' && (
        <div>
          <div className="grid2">
            <MetricChart title="Training" map={series.current.training} version={version} loading={training.loading && !training.data} />
            <MetricChart title="Validation" map={series.current.validation} version={version} loading={validation.loading && !validation.data} />
          </div>
          <h2>Workloads (validations)</h2>
          <Workloads reports={validation.data?.metrics ?? []} live={liveWorkloads} />
        </div>
      )}
      {tab === 'hparams' && (
        <table className="table" data-testid="hparams-table"><tbody>
          {Object.entries(flattenHparams(t.hparams)).map(([k, v]) => <tr key={k}><td>{k}</td><td>{formatHp(v)}</td></tr>)}
          <tr><td className="muted">seed</td><td>{t.seed}</td></tr>
        </tbody></table>
      )}
      {tab === 'checkpoints' && <TrialCheckpoints experimentId={t.experimentId} trialId={t.id} />}
      {tab === 'logs' && <LogsView trialId={t.id} />}
      {tab === 'notes' && <TrialNotes trialId={t.id} experimentId={t.experimentId} notes={t.notes} onSaved={trial.reload} />}
    </section>
  );
}

function MetricChart({ title, map, version, loading }: { title: string; map: Map<string, ChartSeries>; version: number; loading: boolean }) {
  const names = [...map.keys()].sort();
  const [name, setName] = useState<string>();
  const [log, setLog] = useState(false);
  const chosen = name && map.has(name) ? name : names[0];
  const s = chosen ? map.get(chosen) : undefined;
  const list = useMemo(() => (s ? [s] : []), [s]);
  return (
    <div className="panel">
      <div className="filters">
        <h3>{title}</h3>
        <select aria-label={`${title} metric`} value={chosen ?? ''} onChange={(e) => setName(e.target.value)}>{names.map((n) => <option key={n}>{n}</option>)}</select>
        <label className="inline"><input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} /> log</label>
      </div>
      {loading ? <Loading what="metrics" /> : !s ? <Empty>No {title.toLowerCase()} metrics yet.</Empty>
        : <LineChart series={list} version={version} yLabel={chosen} log={log} height={260} testId={`trial-${title.toLowerCase()}-chart`} />}
    </div>
  );
}

function Workloads({ reports, live }: { reports: MetricReport[]; live: LiveMetric[] }) {
  const rows = new Map<number, Record<string, unknown>>();
  for (const r of reports) rows.set(r.stepsCompleted, r.metrics.avgMetrics ?? {});
  for (const r of live) rows.set(r.steps, r.metrics);
  if (rows.size === 0) return <Empty>No validations yet.</Empty>;
  const names = [...new Set([...rows.values()].flatMap((m) => Object.keys(m)))].sort();
  return (
    <table className="table">
      <thead><tr><th>Batches</th>{names.map((n) => <th key={n}>{n}</th>)}</tr></thead>
      <tbody>{[...rows.entries()].sort((a, b) => a[0] - b[0]).map(([steps, m]) => (
        <tr key={steps}><td>{steps}</td>{names.map((n) => <td key={n}>{typeof m[n] === 'number' ? metric(m[n] as number) : ''}</td>)}</tr>
      ))}</tbody>
    </table>
  );
}

function TrialCheckpoints({ experimentId, trialId }: { experimentId: number; trialId: number }) {
  const r = useAsync(() => api.checkpoints(experimentId), [experimentId]);
  if (r.error) return <ErrorNote error={r.error} />;
  if (!r.data) return <Loading what="checkpoints" />;
  const mine = r.data.checkpoints.filter((c) => c.trialId === trialId);
  if (mine.length === 0) return <Empty>No checkpoints yet.</Empty>;
  return (
    <table className="table">
      <thead><tr><th>UUID</th><th>Batches</th><th>State</th><th>Size</th><th>Searcher metric</th><th>Reported</th></tr></thead>
      <tbody>{mine.map((c) => <tr key={c.uuid}><td className="mono">{c.uuid}</td><td>{c.stepsCompleted}</td><td><StateBadge state={c.state} /></td><td>{bytes(c.size)}</td><td>{metric(c.searcherMetric)}</td><td><Time iso={c.reportTime} /></td></tr>)}</tbody>
    </table>
  );
}

/** The trial's notes; the experiment's owner (or an admin) may edit them. */
function TrialNotes({ trialId, experimentId, notes, onSaved }: { trialId: number; experimentId: number; notes: string | null | undefined; onSaved: () => void }) {
  const { user } = useSession();
  const owner = useAsync(() => api.experiment(experimentId), [experimentId]);
  if (owner.error) return <ErrorNote error={owner.error} />;
  if (!owner.data) return <Loading what="notes" />;
  return <NotesPanel notes={notes} editable={mayEdit(user, owner.data.experiment.userId)}
    onSave={async (text) => { const r = await api.setTrialNotes(trialId, text); onSaved(); return r.trial.notes; }} />;
}
