import { Link } from 'react-router-dom';
import type { TaskRow } from '../lib/api';
import { Empty, Loading, Time } from './common';

/**
 * Current allocations holding slots (or about to): of trials, and of notebooks, TensorBoards and commands, which show
 * their type and description where a trial shows its trial and experiment.
 */
export function TasksTable({ tasks, empty = 'No task is running.' }: { tasks: TaskRow[] | undefined; empty?: string }) {
  if (!tasks) return <Loading what="tasks" />;
  if (tasks.length === 0) return <Empty>{empty}</Empty>;
  return (
    <table className="table" data-testid="tasks-table">
      <thead><tr><th>Task</th><th>Trial / type</th><th>Experiment / description</th><th>State</th><th>Agent</th><th>Slots</th><th>Started</th></tr></thead>
      <tbody>{tasks.map((t) => (
        <tr key={t.allocationId} data-allocation-id={t.allocationId}><td title={t.taskId}>{t.allocationId}</td>
          {t.trialId != null && t.experimentId != null ? <>
            <td><Link to={`/trials/${t.trialId}`}>{t.trialId}</Link></td>
            <td><Link to={`/experiments/${t.experimentId}`}>{t.experimentId} {t.experimentName}</Link></td>
          </> : <>
            <td>{(t.type ?? '').toLowerCase()}</td>
            <td><Link to={`/tasks/${encodeURIComponent(t.taskId)}/logs`}>{t.description || t.taskId}</Link></td>
          </>}<td>{t.state.toLowerCase()}</td>
          <td>{t.agent ?? ''}</td><td>{t.slots.join(', ')}</td><td><Time iso={t.startTime} /></td></tr>
      ))}</tbody>
    </table>
  );
}
