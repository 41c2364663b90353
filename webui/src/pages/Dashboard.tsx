import { Link } from 'react-router-dom';
import { api } from '../lib/api';
import { useAsync, useClusterTasks, useExperimentsLive, useOverviewChange } from '../lib/hooks';
import { TasksTable } from '../components/TasksTable';
import { ClusterTasksTable } from '../components/ClusterTasksTable';
import { NotebookLauncher } from '../components/NotebookLauncher';
import { withLive } from '../lib/live';
import { Empty, ErrorNote, Loading, ProgressBar, StateBadge, Time } from '../components/common';

/** How many notebooks, TensorBoards and commands the dashboard lists (the newest; the Tasks page has them all). */
const RECENT_TASKS = 10;

export function Dashboard() {
  const recent = useAsync(() => api.experiments({ sortBy: 'start_time', orderBy: 'desc', limit: 10 }), []);
  const active = useAsync(() => api.experiments({ states: ['ACTIVE'], limit: 1 }), []);
  const pools = useAsync(() => api.pools(), []);
  const tasks = useAsync(() => api.tasks(), []);
  const clusterTasks = useClusterTasks();
  // Pushed: the recent rows' changes, counts and slots; a new experiment reloads the recent rows.
  const reloadRecent = recent.reload;
  const reloadActive = active.reload;
  const live = useExperimentsLive((recent.data?.experiments ?? []).map((e) => e.id), () => { reloadRecent(); reloadActive(); });
  const o = live.overview;
  useOverviewChange(o, tasks.reload);
  const slotsUsed = o?.slotsUsed ?? pools.data?.resourcePools.reduce((n, p) => n + p.slotsUsed, 0) ?? 0;
  const slotsTotal = o?.slotsTotal ?? pools.data?.resourcePools.reduce((n, p) => n + p.slotsAvailable, 0) ?? 0;
  const agents = o?.agents ?? pools.data?.resourcePools.reduce((n, p) => n + p.numAgents, 0);
  const activeCount = o?.active ?? active.data?.pagination.total;
  return (
    <section>
      <h1>Dashboard</h1>
      <div className="cards">
        <div className="card"><div className="card-value" data-testid="slots-in-use">{pools.data || o ? `${slotsUsed} / ${slotsTotal}` : '…'}</div><div>slots in use</div></div>
        <div className="card"><div className="card-value" data-testid="active-experiments">{activeCount ?? '…'}</div><div>active experiments</div></div>
        <div className="card"><div className="card-value">{agents ?? '…'}</div><div>agents</div></div>
      </div>
      <p className="muted">Submit an experiment with <code>det experiment create CONFIG MODEL_DIR</code>.</p>
      <NotebookLauncher />
      <h2>Recent experiments</h2>
      <ErrorNote error={recent.error ?? pools.error ?? tasks.error ?? clusterTasks.error} />
      {!recent.data ? <Loading what="experiments" /> : recent.data.experiments.length === 0 ? <Empty>No experiments yet.</Empty> : (
        <table className="table">
          <thead><tr><th>ID</th><th>Name</th><th>State</th><th>Progress</th><th>Trials</th><th>Started</th><th>User</th></tr></thead>
          <tbody>{recent.data.experiments.map((listed) => withLive(listed, live.rows[listed.id])).map((e) => (
            <tr key={e.id} data-recent-id={e.id}>
              <td><Link to={`/experiments/${e.id}`}>{e.id}</Link></td><td><Link to={`/experiments/${e.id}`}>{e.name}</Link></td>
              <td><StateBadge state={e.state} /></td><td><ProgressBar value={e.progress} /></td><td>{e.numTrials}</td>
              <td><Time iso={e.startTime} /></td><td>{e.username}</td>
            </tr>))}
          </tbody>
        </table>
      )}
      <h2>Tasks</h2>
      <div data-testid="dashboard-tasks">
        <h3>Trials</h3>
        <TasksTable tasks={tasks.data?.tasks.filter((t) => t.trialId != null)} empty="No trial is running." />
        <h3>Notebooks, TensorBoards and commands <Link className="muted" to="/tasks">all tasks</Link></h3>
        <ClusterTasksTable tasks={clusterTasks.data?.tasks.slice(0, RECENT_TASKS)} onChanged={clusterTasks.reload} />
      </div>
    </section>
  );
}
