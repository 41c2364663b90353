import { useEffect } from 'react';
import { Link } from 'react-router-dom';
import { api, Trial } from '../lib/api';
import { useAsync } from '../lib/hooks';
import { Empty, ErrorNote, Loading, StateBadge, Time } from '../components/common';

/** Agents and their slots, pools, and the queue: active trials of active experiments that hold no slot. */
export default function ClusterPage() {
  const agents = useAsync(() => api.agents(), []);
  const pools = useAsync(() => api.pools(), []);
  const queue = useAsync(async () => {
    const active = await api.experiments({ states: ['ACTIVE'], limit: 50, sortBy: 'id', orderBy: 'asc' });
    const lists = await Promise.all(active.experiments.map((e) => api.trials(e.id)));
    return lists.flatMap((l) => l.trials).filter((t) => t.state === 'STATE_ACTIVE');
  }, []);
  useEffect(() => {
    const timer = setInterval(() => { agents.reload(); pools.reload(); queue.reload(); }, 3000);
    return () => clearInterval(timer);
  }, [agents, pools, queue]);
  const allocations = new Set((agents.data?.agents ?? []).flatMap((a) => a.slots.map((s) => s.allocationId)).filter(Boolean) as string[]);
  const holds = (t: Trial) => [...allocations].some((a) => a.startsWith(t.taskId));
  const waiting = (queue.data ?? []).filter((t) => !holds(t));
  return (
    <section>
      <h1>Cluster</h1>
      <ErrorNote error={agents.error ?? pools.error ?? queue.error} />
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
            <tr key={a.id}><td>{a.id}</td><td>{a.hostname}</td><td>{a.resourcePool}</td>
              <td className="slots">{a.slots.map((s) => (
                <span key={s.id} className={`slot ${s.allocationId ? 'busy' : 'free'} ${s.enabled ? '' : 'disabled'}`} title={`${s.type}${s.device ? ` ${s.device}` : ''}: ${s.allocationId ?? 'free'}`}>{s.id}</span>
              ))}</td>
              <td><Time iso={a.lastHeartbeat} /></td></tr>
          ))}</tbody>
        </table>
      )}
      <h2>Queue</h2>
      {!queue.data ? <Loading what="queue" /> : waiting.length === 0 ? <Empty>No trial is waiting for a slot.</Empty> : (
        <table className="table" data-testid="queue-table">
          <thead><tr><th>Position</th><th>Trial</th><th>Experiment</th><th>State</th><th>Started</th></tr></thead>
          <tbody>{waiting.map((t, i) => <tr key={t.id}><td>{i + 1}</td><td><Link to={`/trials/${t.id}`}>{t.id}</Link></td><td><Link to={`/experiments/${t.experimentId}`}>{t.experimentId}</Link></td><td><StateBadge state={t.state} /></td><td><Time iso={t.startTime} /></td></tr>)}</tbody>
        </table>
      )}
    </section>
  );
}
