import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { allowedActions, api, Experiment, Summary } from '../lib/api';
import { useAsync, useExperimentsLive } from '../lib/hooks';
import { useOpenTensorboard } from '../lib/useOpenTensorboard';
import { summaryWithLive, withLive } from '../lib/live';
import { bytes, duration, metric } from '../lib/format';
import { Empty, ErrorNote, Loading, ProgressBar, StateBadge, Time } from '../components/common';

const PAGE_SIZE = 50;
const STATES = ['ACTIVE', 'PAUSED', 'COMPLETED', 'CANCELED', 'ERROR', 'STOPPING_CANCELED', 'STOPPING_KILLED', 'STOPPING_COMPLETED', 'STOPPING_ERROR'];
const SORTABLE: Record<string, string> = { id: 'ID', name: 'Name', state: 'State', start_time: 'Start time', user: 'User', progress: 'Progress', end_time: 'End time' };

export function ExperimentList() {
  const [params, setParams] = useSearchParams();
  const sortBy = params.get('sort') ?? 'id';
  const orderBy = (params.get('order') ?? 'desc') as 'asc' | 'desc';
  const state = params.get('state') ?? '';
  const user = params.get('user') ?? '';
  const archived = params.get('archived') ?? 'false';
  const page = Math.max(0, Number(params.get('page') ?? 0) || 0);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [actionError, setActionError] = useState<Error>();
  const tensorboard = useOpenTensorboard();

  const list = useAsync(() => api.experiments({
    sortBy, orderBy, offset: page * PAGE_SIZE, limit: PAGE_SIZE,
    archived: archived === 'all' ? undefined : archived === 'true',
    states: state ? [state] : undefined, users: user ? [user] : undefined,
  }), [sortBy, orderBy, state, user, archived, page]);
  const loaded = list.data?.experiments ?? [];
  const ids = loaded.map((e) => e.id).join(',');
  const summaries = useAsync<Record<number, Summary>>(async () => {
    if (!ids) return {};
    const r = await api.summaries(ids.split(',').map(Number));
    return Object.fromEntries(r.summaries.map((s) => [s.id, s]));
  }, [ids]);
  // Pushed changes of these rows (state, progress, best metric, checkpoints); a new or deleted experiment reloads the page of rows.
  const live = useExperimentsLive(loaded.map((e) => e.id), list.reload);
  const experiments = loaded.map((e) => withLive(e, live.rows[e.id]));
  const gone = experiments.some((e) => live.rows[e.id] && (e.state === 'STATE_DELETED'
    || (state !== '' && e.state !== `STATE_${state}`) || (archived === 'false' && e.archived) || (archived === 'true' && !e.archived)));
  const reload = list.reload;
  useEffect(() => {
    // A row left the filter (or was deleted): the page of rows is fetched again.
    if (gone) reload();
  }, [gone, reload]);

  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) { if (v === null || v === '') next.delete(k); else next.set(k, v); }
    if (!('page' in changes)) next.delete('page');
    setParams(next, { replace: true });
  };
  const sortOn = (key: string) => set({ sort: key, order: sortBy === key && orderBy === 'desc' ? 'asc' : 'desc' });
  const act = async (targets: number[], action: string) => {
    if (action === 'kill' && !window.confirm(`Kill ${targets.length === 1 ? `experiment ${targets[0]}` : `${targets.length} experiments`}? Trials stop without a checkpoint.`)) return;
    setActionError(undefined);
    try {
      for (const id of targets) await api.act(id, action);
    } catch (e) {
      setActionError(e as Error);
    }
    setSelected(new Set());
    list.reload();
  };
  const total = list.data?.pagination.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const header = (key: string) => (
    <th key={key} className="sortable" aria-sort={sortBy === key ? (orderBy === 'asc' ? 'ascending' : 'descending') : 'none'} onClick={() => sortOn(key)}>
      {SORTABLE[key]}{sortBy === key ? (orderBy === 'asc' ? ' ▲' : ' ▼') : ''}
    </th>
  );
  const selectedExperiments = experiments.filter((e) => selected.has(e.id));
  const bulkActions = ['activate', 'pause', 'cancel', 'kill', 'archive'].filter((a) => selectedExperiments.length > 0 && selectedExperiments.every((e) => allowedActions(e).includes(a)));

  return (
    <section>
      <h1>Experiments <span className={live.connected ? 'live on' : 'live'} title="live updates" data-testid="list-live">{live.connected ? '● live' : '○ offline'}</span></h1>
      <div className="filters">
        <label>State <select value={state} onChange={(e) => set({ state: e.target.value })} aria-label="state filter">
          <option value="">any</option>
          {STATES.map((s) => <option key={s} value={s}>{s.toLowerCase().replace(/_/g, ' ')}</option>)}
        </select></label>
        <label>User <input value={user} placeholder="any" onChange={(e) => set({ user: e.target.value })} aria-label="user filter" /></label>
        <label>Archived <select value={archived} onChange={(e) => set({ archived: e.target.value })}>
          <option value="false">hide</option><option value="true">only archived</option><option value="all">show all</option>
        </select></label>
        {bulkActions.length > 0 && <span className="bulk">{selected.size} selected: {bulkActions.map((a) => <button key={a} onClick={() => void act([...selected], a)}>{a}</button>)}</span>}
      </div>
      <ErrorNote error={list.error ?? actionError ?? tensorboard.error} />
      {list.loading && !list.data ? <Loading what="experiments" /> : experiments.length === 0 ? <Empty>No experiments match.</Empty> : (
        <table className="table" data-testid="experiment-table">
          <thead>
            <tr>
              <th><input type="checkbox" aria-label="select all" checked={selected.size === experiments.length} onChange={(e) => setSelected(e.target.checked ? new Set(experiments.map((x) => x.id)) : new Set())} /></th>
              {header('id')}{header('name')}{header('state')}{header('start_time')}{header('user')}
              <th>Trials</th><th>Searcher</th><th>Searcher metric</th><th>Best</th>{header('progress')}<th>Duration</th><th>Checkpoints</th><th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {experiments.map((e) => <Row key={e.id} e={e} summary={summaryWithLive(summaries.data?.[e.id], live.rows[e.id])} selected={selected.has(e.id)}
              onSelect={(on) => setSelected((s) => { const n = new Set(s); if (on) n.add(e.id); else n.delete(e.id); return n; })}
              onAct={(a) => void (a === 'tensorboard' ? tensorboard.open([e.id]) : act([e.id], a))} />)}
          </tbody>
        </table>
      )}
      <div className="pager">
        <button disabled={page === 0} onClick={() => set({ page: String(page - 1) })}>‹ Previous</button>
        <span>Page {page + 1} of {pages} ({total} experiments)</span>
        <button disabled={page + 1 >= pages} onClick={() => set({ page: String(page + 1) })}>Next ›</button>
      </div>
    </section>
  );
}

function Row({ e, summary, selected, onSelect, onAct }: { e: Experiment; summary?: Summary; selected: boolean; onSelect: (on: boolean) => void; onAct: (a: string) => void }) {
  return (
    <tr data-experiment-id={e.id}>
      <td><input type="checkbox" aria-label={`select ${e.id}`} checked={selected} onChange={(ev) => onSelect(ev.target.checked)} /></td>
      <td><Link to={`/experiments/${e.id}`}>{e.id}</Link></td>
      <td><Link to={`/experiments/${e.id}`}>{e.name}</Link>{e.description ? <div className="muted">{e.description}</div> : null}</td>
      <td><StateBadge state={e.state} /></td>
      <td><Time iso={e.startTime} /></td>
      <td>{e.username}</td>
      <td>{e.numTrials}</td>
      <td>{e.searcherType}</td>
      <td>{summary?.searcherMetric ?? ''}</td>
      <td>{summary ? metric(summary.bestMetric) : ''}</td>
      <td><ProgressBar value={e.progress} /></td>
      <td>{duration(e.startTime, e.endTime)}</td>
      <td>{summary ? `${summary.checkpointCount} (${bytes(summary.checkpointSize)})` : ''}</td>
      <td className="actions">{allowedActions(e).map((a) => <button key={a} className="small" onClick={() => onAct(a)}>{a}</button>)}
        <button className="small" title="Open TensorBoard" onClick={() => onAct('tensorboard')}>TensorBoard</button></td>
    </tr>
  );
}
