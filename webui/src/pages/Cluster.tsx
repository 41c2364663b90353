import { useCallback, useEffect } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../lib/api';
import { TasksTable } from '../components/TasksTable';
import { useAsync, useExperimentsLive, useOverviewChange } from '../lib/hooks';
import { Empty, ErrorNote, Loading, Time } from '../components/common';

/** Agents and their slots, pools, the running tasks and the queue (active trials waiting for slots, in scheduling order). */
export default function ClusterPage() {
  const agents = useAsync(() => api.agents(), []);
  const pools = useAsync(() => api.pools(), []);
  const tasks = useAsync(() => api.tasks(), []);
  const reloadAll = useCallback(() => { agents.reload(); pools.reload(); tasks.reload(); }, [agents.reload, pools.reload, tasks.reload]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    // Agents' heartbeats are not pushed; slots and the queue follow the pushed overview below, this catches the rest.
    const timer = setInterval(reloadAll, 10_000);
    return () => clearInterval(timer);
  }, [reloadAll]);
  // The overview stream moves when slots are taken or freed or experiments change: then the tables are read again.
  const live = useExperimentsLive([], reloadAll);
  const o = live.overview;
  useOverviewChange(o, reloadAll);
  const waiting = tasks.data?.queue ?? [];
  return (
    <section>
      <h1>Cluster</h1>
      <ErrorNote error={agents.error ?? pools.error ?? tasks.error} />
      <h2>Resource pools</h2>
      {!pools.data ? <Loading what="pools" /> : pools.data.resourcePools.length === 0 ? <Empty>No resource pools.</Empty> : (
        <table className="table" data-testid="pools-table">
          <thead><tr><th>Pool</th><th>Type</th><th>Agents</th><th>Slots used</th><th>Slots total</th></tr></thead>
          <tbody>{pools.data.resourcePools.map((p) => <tr key={p.name}><td>{p.name}</td><td>{p.type}</td><td>{p.numAgents}</td><td>{p.slotsUsed}</td><td>{p.slotsAvailable}</td></tr>)}</tbody>
        </table>
      )}
      <h2>Agents</h2>
      {!agents.data ? <Loading what="agents" /> : agents.data.agents.length === 0 ? <Empty>No agents are connected.</Empty> : (
        <table className="table" data-testid="agents-table">
          <thead><tr><th>Agent</th><th>Host</th><th>Pool</th><th>Slots</th><th>Last heartbeat</th></tr></thead>
          <tbody>{agents.data.agents.map((a) => (
            <tr key={a.id}><td>{a.id}{a.sandboxed === false && (
              <> <span className="badge unsandboxed" data-testid="unsandboxed-badge" title="Started --unsandboxed: its tasks run without isolation, as the agent's user (docs/security.md)">unsandboxed</span></>
            )}</td><td>{a.hostname}</td><td>{a.resourcePool}</td>
              <td className="slots">{a.slots.map((s) => (
                <span key={s.id} className={`slot ${s.allocationId ? 'busy' : 'free'} ${s.enabled ? '' : 'disabled'}`} title={`${s.type}${s.device ? ` ${s.device}` : ''}: ${s.allocationId ?? 'free'}`}>{s.id}</span>
              ))}</td>
              <td><Time iso={a.lastHeartbeat} /></td></tr>
          ))}</tbody>
        </table>
      )}
      <h2>Tasks</h2>
      <TasksTable tasks={tasks.data?.tasks} />
      <h2>Queue</h2>
      {!tasks.data ? <Loading what="queue" /> : waiting.length === 0 ? <Empty>No trial is waiting for a slot.</Empty> : (
        <table className="table" data-testid="queue-table">
          <thead><tr><th>Position</th><th>Trial</th><th>Experiment</th><th>Priority</th><th>Slots</th><th>Pool</th><th>Waiting since</th></tr></thead>
          <tbody>{waiting.map((t) => <tr key={t.trialId}><td>{t.position}</td><td><Link to={`/trials/${t.trialId}`}>{t.trialId}</Link></td>
            <td><Link to={`/experiments/${t.experimentId}`}>{t.experimentId} {t.experimentName}</Link></td><td>{t.priority}</td><td>{t.slots}</td><td>{t.resourcePool}</td><td><Time iso={t.waitingSince} /></td></tr>)}</tbody>
        </table>
      )}
    </section>
  );
}
